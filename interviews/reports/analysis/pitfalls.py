"""Common ML system design pitfalls, detected by explicit rules over one session's facts.

Rules are deliberately simple and visible: a candidate told "no evaluation metric named" must be
able to check the claim against what they wrote. Each rule reads only `SessionFacts` (time per
step, the concept coverage, the candidate's own written words) and, when it fires, says why the
habit costs points and what evidence triggered it. Text rules see what was written on
the board or in chat, never what was said aloud, and their evidence says so.

Phrase matching goes through `coverage.TextIndex`, so a rule and the coverage table never
disagree about whether something was mentioned: a negated mention ("no fallback") counts for
neither, and is quoted as evidence of why the rule fired.

A case can turn a text rule off or change its terms (`pitfall_rules` in the case's guide, checked
by `casestudies.guide`): street-view blurring has no online experiment by design, and its
baseline is the old detector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY

from .coverage import Evidence, Passage, StepCoverage, TextIndex, evidence_of
from .matching.quantities import QUANTITY_RE

CLARIFY_MIN_SECONDS = 120
MONITORING_MIN_SECONDS = 120
MODEL_MAX_SHARE = 0.40

METRIC_TERMS = (
    "precision",
    "recall",
    "AUC",
    "ROC",
    "NDCG",
    "MRR",
    "mean average precision",
    "log loss",
    "cross entropy",
    "normalized entropy",
    "CTR",
    "click-through rate",
    "conversion rate",
    "F1",
    "F-score",
    "accuracy",
    "RMSE",
    "MAE",
    "MSE",
    "calibration",
    "hit rate",
    "IoU",
    "BLEU",
    "perplexity",
    "watch time",
    "dwell time",
)
# Metric acronyms that are also ordinary words: they count only when written in capitals.
METRIC_ACRONYMS = ("MAP",)
FAILURE_TERMS = (
    "fallback",
    "fall back",
    "fail over",
    "failover",
    "fail open",
    "fail closed",
    "fail safe",
    "cache",
    "timeout",
    "time out",
    "deadline",
    "degrade",
    "degradation",
    "degraded mode",
    "retry",
    "circuit breaker",
    "backup",
    "load shedding",
    "rollback",
    "roll back",
    "kill switch",
    "redundancy",
    "replica",
    "quarantine",
    "hold for review",
    "dead letter",
    "stale results",
    "stale features",
    "serve stale",
    "last known good",
    "default model",
    "default value",
    "default embedding",
    # "default" alone is a word for many things; it is a failure plan next to what fails
    "default|defaults + missing|unavailable|down|fail|fails|failure|timeout|error|outage",
)
# Baseline words that double as failure plans: "fall back to popularity" is a failure plan and
# must not also count as a baseline (else one phrase silences two rules).
_DUAL_USE_BASELINE = frozenset({"popularity", "most popular", "heuristic", "rule-based"})
BASELINE_TERMS = (
    "baseline",
    "heuristic",
    "rule-based",
    "popularity",
    "most popular",
    "logistic regression",
    "linear model",
    "simple model",
    "GBDT baseline",
    "current model",
    "existing model",
    "production model",
)
ONLINE_TEST_TERMS = (
    "A/B",
    "AB test",
    "online experiment",
    "online test",
    "controlled experiment",
    "split test",
    "interleaving",
    "bucket test",
)
LABEL_TERMS = (
    "label",
    "ground truth",
    "annotation",
    "annotator",
    "annotate",
    "human review",
    "implicit feedback",
    "explicit feedback",
    "weak supervision",
    "positive example",
    "negative example",
    "positive sample",
    "negative sample",
)
# A number with a unit or magnitude ("10M DAU", "200 ms", "72 hours", "24h", "2x").
_QUANTITY_RE = QUANTITY_RE
TEXT_RULE_TERMS = {
    "no-evaluation-metric": METRIC_TERMS,
    "no-failure-handling": FAILURE_TERMS,
    "no-baseline": BASELINE_TERMS,
    "no-online-test": ONLINE_TEST_TERMS,
    "no-label-source": LABEL_TERMS,
}


class Pitfall(TypedDict):
    code: str
    title: str
    why: str
    evidence: str  # in words: what triggered the rule
    quotes: list[Evidence]  # the candidate's writing behind it (e.g. "no fallback"), if any


@dataclass(frozen=True)
class SessionFacts:
    """What the rules know about one interview, gathered by the report service.

    plan: minutes per step as planned for this session.
    step_seconds: seconds actually spent per step (missing step: never reached).
    texts: everything the candidate wrote: whiteboard text (see `coverage.scene_texts`) and
        their chat messages, as plain strings or `Passage`s that say where and when.
    coverage: `coverage.concept_coverage(guide, texts)` for the session's case study.
    step_texts: the candidate's writing grouped by the step that was current when it was
        written (chat by message time, board text by the snapshot at each step change); None
        when unknown, which turns off the rules that need it.
    visit_order: step keys in the order the timer entered them, repeats allowed; empty when
        unknown. A step counts as reached when it has seconds or appears here.
    rules: the case's `pitfall_rules` (code → {enabled, reason, terms, extra_terms}).
    """

    plan: Mapping[str, int | float]
    step_seconds: Mapping[str, int | float]
    texts: Sequence[str | Passage]
    coverage: Mapping[str, StepCoverage] = field(default_factory=dict)
    step_texts: Mapping[str, Sequence[str | Passage]] | None = None
    visit_order: Sequence[str] = ()
    rules: Mapping[str, Mapping] = field(default_factory=dict)

    def terms(self, code: str) -> tuple[str, ...]:
        """The phrases a text rule looks for, after the case's changes."""
        config = self.rules.get(code) or {}
        base = tuple(config["terms"]) if config.get("terms") else TEXT_RULE_TERMS[code]
        return base + tuple(config.get("extra_terms") or ())

    @property
    def spoken(self) -> bool:
        """Whether the candidate's transcript is among the texts (the interview was recorded)."""
        return any(isinstance(t, Passage) and t.source == "speech" for t in self.texts)

    @property
    def medium(self) -> str:
        """Where the text rules looked, for their evidence sentences."""
        return "written or said" if self.spoken else "written"

    def rule_off(self, code: str) -> bool:
        return (self.rules.get(code) or {}).get("enabled") is False

    def seconds(self, step: str) -> float:
        return float(self.step_seconds.get(step, 0) or 0)

    def reached(self, step: str) -> bool:
        return self.seconds(step) > 0 or step in self.visit_order

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds(step) for step in self.plan)


Rule = Callable[[SessionFacts, TextIndex], "Pitfall | None"]


def detect_pitfalls(facts: SessionFacts, index: TextIndex | None = None) -> list[Pitfall]:
    """Every rule that fires for `facts`, in a fixed order (time rules first), except those
    the case turned off. `index` may be passed when the caller already built it over
    `facts.texts`."""
    index = index or TextIndex(facts.texts)
    found = []
    for code, rule in RULES:
        if facts.rule_off(code):
            continue
        pitfall = rule(facts, index)
        if pitfall is not None:
            found.append({**pitfall, "quotes": pitfall.get("quotes", [])})
    return found


def _ruled_out(index: TextIndex, terms, limit: int = 3) -> list[Evidence]:
    """Quotes of mentions the writing itself rules out ("no fallback"), for evidence."""
    quotes, seen = [], set()
    for hit in index.negated_hits(terms):
        quote = evidence_of(index, hit)
        if quote["quote"] not in seen:
            seen.add(quote["quote"])
            quotes.append(quote)
    return quotes[:limit]


def _ruled_out_sentence(quotes: list[Evidence]) -> str:
    """Points to the quotes (shown beside the evidence) without repeating them."""
    if not quotes:
        return ""
    return " Some writing names it only to rule it out (quoted)."


# --- rules -------------------------------------------------------------------------------------


def _jumped_to_model(facts: SessionFacts, _: TextIndex) -> Pitfall | None:
    clarify = facts.seconds("clarify")
    if not facts.reached("model") or clarify >= CLARIFY_MIN_SECONDS:
        return None
    evidence = (
        f"Clarifying took {_minutes(clarify)} (planned {_planned(facts, 'clarify')}) "
        f"before the interview moved on to model development."
    )
    skipped = _skipped_before(facts.visit_order, "model")
    if skipped:
        evidence += " Model development was reached before " + _titles(skipped) + "."
    return {
        "code": "jumped-to-model",
        "title": "Jumped to modelling with under 2 minutes of clarifying",
        "why": (
            "The requirements decide the design: the business goal fixes the label and the "
            "metric, and the scale and latency budget rule whole model families in or out. "
            "Skipping them means designing for a problem nobody posed, and interviewers read it "
            "as a habit of building before understanding."
        ),
        "evidence": evidence,
    }


def _monitoring_skipped(facts: SessionFacts, _: TextIndex) -> Pitfall | None:
    spent = facts.seconds("monitoring")
    if spent >= MONITORING_MIN_SECONDS:
        return None
    if not facts.reached("monitoring"):
        title = "Monitoring skipped"
        evidence = "The interview never reached the monitoring step."
    else:
        title = "Monitoring rushed (under 2 minutes)"
        evidence = f"Monitoring took {_minutes(spent)} (planned {_planned(facts, 'monitoring')})."
    return {
        "code": "monitoring-skipped",
        "title": title,
        "why": (
            "A model starts to decay the day it ships: inputs drift, upstream pipelines break "
            "silently and feedback loops creep in. A design without monitoring, alerting and a "
            "way to roll back stops exactly where production problems begin."
        ),
        "evidence": evidence,
    }


def _model_overweight(facts: SessionFacts, _: TextIndex) -> Pitfall | None:
    total = facts.total_seconds
    spent = facts.seconds("model")
    if not total or spent / total <= MODEL_MAX_SHARE:
        return None
    planned_total = sum(float(m) for m in facts.plan.values())
    planned_share = float(facts.plan.get("model", 0)) / planned_total if planned_total else 0
    return {
        "code": "model-overweight",
        "title": "Over 40% of the interview spent on model development",
        "why": (
            "The model is one step of seven. Minutes poured into architecture come out of data, "
            "evaluation and serving, which is where most real systems succeed or fail; "
            "interviewers look for a complete system first and depth where it matters."
        ),
        "evidence": (
            f"Model development took {_minutes(spent)} of {_minutes(total)} "
            f"({spent / total:.0%}); the plan gave it {planned_share:.0%}."
        ),
    }


def _no_evaluation_metric(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    found_concepts = (facts.coverage.get("evaluation") or {}).get("found") or []
    terms = facts.terms("no-evaluation-metric")
    if found_concepts or index.first_match(terms):
        return None
    if any(index.contains_uppercase(acronym) for acronym in METRIC_ACRONYMS):
        return None
    quotes = _ruled_out(index, terms)
    return {
        "code": "no-evaluation-metric",
        "title": "No evaluation metric named",
        "why": (
            "Without a metric nobody can tell whether the model works or whether a change "
            "helped. Offline metrics that match the objective and an online metric tied to the "
            "business goal are what make the rest of the design testable."
        ),
        "evidence": (
            "Nothing written on the board or in chat, or said aloud, names a metric (such as "
            if facts.spoken
            else "Nothing written on the board or in chat names a metric (such as "
        )
        + (
            "precision, recall, "
            "AUC, NDCG, log loss or CTR) or any of this case's evaluation concepts."
            + _ruled_out_sentence(quotes)
        ),
        "quotes": quotes,
    }


def _no_failure_handling(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    terms = facts.terms("no-failure-handling")
    if index.first_match(terms):
        return None
    quotes = _ruled_out(index, terms)
    return {
        "code": "no-failure-handling",
        "title": "No fallback or failure handling discussed",
        "why": (
            "Services time out, features go missing and models get rolled back. A design with "
            "no answer for that, such as a fallback model, cached or popular results, timeouts "
            "or sensible defaults, fails its users on the first bad day."
        ),
        "evidence": (
            f"Nothing {facts.medium} mentions a fallback, cache, timeout, retry, failing open or "
            "closed, quarantine, stale results, degradation or rollback."
            + _ruled_out_sentence(quotes)
        ),
        "quotes": quotes,
    }


def _baseline_mentioned(facts: SessionFacts, index: TextIndex) -> bool:
    failure_hits = [hit for term in facts.terms("no-failure-handling") if (hit := index.find(term))]
    for term in facts.terms("no-baseline"):
        for hit in index.hits(term):
            if hit.negated:
                continue
            if term in _DUAL_USE_BASELINE and any(
                f.passage == hit.passage and f.end <= hit.start and hit.start - f.end <= 40
                for f in failure_hits
            ):
                continue  # "fall back to popularity": a failure plan, not a baseline
            return True
    return False


def _no_baseline(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    if not facts.reached("model") or _baseline_mentioned(facts, index):
        return None
    quotes = _ruled_out(index, facts.terms("no-baseline"))
    return {
        "code": "no-baseline",
        "title": "No baseline model mentioned",
        "why": (
            "A simple baseline (a heuristic, popularity, or logistic regression) sets the bar "
            "a complex model has to beat, can ship in days, and doubles as the fallback. "
            "Without it, no later gain can be measured or justified."
        ),
        "evidence": (
            f"Model development was reached, but nothing {facts.medium} mentions a baseline, "
            "heuristic, "
            "popularity ranking or simple linear model (a fallback to popularity is a failure "
            "plan, not a baseline)." + _ruled_out_sentence(quotes)
        ),
        "quotes": quotes,
    }


def _no_online_test(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    terms = facts.terms("no-online-test")
    if not facts.reached("evaluation") or index.first_match(terms):
        return None
    quotes = _ruled_out(index, terms)
    return {
        "code": "no-online-test",
        "title": "No online experiment (A/B test) planned",
        "why": (
            "Offline metrics are proxies. Only a controlled online experiment shows whether the "
            "model moves the business goal, and it catches regressions that historical data "
            "cannot reveal, such as changed user behaviour."
        ),
        "evidence": (
            f"Evaluation was reached, but nothing {facts.medium} mentions an A/B test, online "
            "experiment or interleaving." + _ruled_out_sentence(quotes)
        ),
        "quotes": quotes,
    }


def _no_label_source(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    terms = facts.terms("no-label-source")
    if not facts.reached("data") or index.first_match(terms):
        return None
    quotes = _ruled_out(index, terms)
    return {
        "code": "no-label-source",
        "title": "Never said where labels come from",
        "why": (
            "The label defines what the model learns. Whether it comes from clicks, human "
            "review or a delayed outcome decides its noise, bias and delay, and with them the "
            "whole training set-up."
        ),
        "evidence": (
            f"Data preparation was reached, but nothing {facts.medium} mentions labels, ground "
            "truth, "
            "annotation or implicit/explicit feedback." + _ruled_out_sentence(quotes)
        ),
        "quotes": quotes,
    }


def _no_numbers_in_clarify(facts: SessionFacts, _: TextIndex) -> Pitfall | None:
    if facts.step_texts is None or not facts.reached("clarify"):
        return None
    clarify = [
        item if isinstance(item, Passage) else Passage(item)
        for item in facts.step_texts.get("clarify") or ()
    ]
    clarify_texts = [passage.text for passage in clarify]
    if any(_QUANTITY_RE.search(text) for text in clarify_texts):
        return None
    quotes: list[Evidence] = [
        {"quote": p.text.strip()[:160], "source": p.source, "at": p.at, "step": p.step}
        for p in clarify[:3]
    ]
    return {
        "code": "no-numbers-in-clarify",
        "title": "No scale or latency numbers while clarifying",
        "why": (
            "Numbers such as requests per second, catalogue size or a latency budget turn vague "
            "requirements into constraints. Without them nobody can judge whether the proposed "
            "model and serving path are feasible."
        ),
        "evidence": (
            f"Of {len(clarify_texts)} thing(s) {facts.medium} during clarifying, none holds a "
            "number with a unit or magnitude (such as 10M users, 5k QPS, 100 ms or 72 hours)."
        ),
        "quotes": quotes,
    }


# (code, rule) in report order; the codes are those `casestudies.guide.PITFALL_RULE_CODES`
# lets a case configure (a test keeps the two in step).
RULES: tuple[tuple[str, Rule], ...] = (
    ("jumped-to-model", _jumped_to_model),
    ("monitoring-skipped", _monitoring_skipped),
    ("model-overweight", _model_overweight),
    ("no-numbers-in-clarify", _no_numbers_in_clarify),
    ("no-label-source", _no_label_source),
    ("no-baseline", _no_baseline),
    ("no-evaluation-metric", _no_evaluation_metric),
    ("no-online-test", _no_online_test),
    ("no-failure-handling", _no_failure_handling),
)


# --- wording helpers ---------------------------------------------------------------------------


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def _planned(facts: SessionFacts, step: str) -> str:
    minutes = facts.plan.get(step)
    return f"{minutes:g} min" if minutes is not None else "not planned"


def _skipped_before(visit_order: Sequence[str], step: str) -> list[str]:
    """Steps that come before `step` in the framework but were not visited before it."""
    if step not in visit_order:
        return []
    seen = set(visit_order[: list(visit_order).index(step)])
    earlier = STEP_KEYS[: STEP_KEYS.index(step)]
    return [key for key in earlier if key not in seen]


def _titles(keys: Sequence[str]) -> str:
    names = [STEPS_BY_KEY[key].title.lower() for key in keys]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
