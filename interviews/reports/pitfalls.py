"""Common ML system design pitfalls, detected by explicit rules over one session's facts.

Rules are deliberately simple and visible: a candidate told "no evaluation metric named" must be
able to check the claim against what they wrote. Each rule reads only `SessionFacts` (time per
step, the concept coverage, the candidate's own written words) and, when it fires, says why the
habit costs points and what evidence triggered it. Text rules can only see what was written on
the board or in chat, never what was said aloud, and their evidence says so.

Phrase matching goes through `coverage.TextIndex`, so a rule and the coverage table never
disagree about whether something was mentioned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY

from .coverage import StepCoverage, TextIndex

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
    "cache",
    "timeout",
    "degrade",
    "degradation",
    "retry",
    "circuit breaker",
    "default",
    "popularity",
    "backup",
    "failover",
    "load shedding",
    "rollback",
    "kill switch",
    "redundancy",
    "replica",
)
BASELINE_TERMS = (
    "baseline",
    "heuristic",
    "rule-based",
    "popularity",
    "most popular",
    "logistic regression",
    "linear model",
    "simple model",
)
ONLINE_TEST_TERMS = (
    "A/B",
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
# A number with a unit or magnitude ("10M DAU", "200 ms", "5k QPS", "3%"), or a magnitude word.
_QUANTITY_RE = re.compile(
    r"\d(?:[\d,.]*\d)?\s*(?:k|m|mm|b|bn|thousand|million|billion|ms|msec|milliseconds?|s|secs?|"
    r"seconds?|qps|rps|tps|%|dau|mau|users?|requests?|items?|queries|gb|tb|pb|/\s*s)(?![a-z])"
    r"|\b(?:hundreds|thousands|millions|billions)\b",
    re.IGNORECASE,
)


class Pitfall(TypedDict):
    code: str
    title: str
    why: str
    evidence: str


@dataclass(frozen=True)
class SessionFacts:
    """What the rules know about one interview, gathered by the report service.

    plan: minutes per step as planned for this session.
    step_seconds: seconds actually spent per step (missing step: never reached).
    texts: everything the candidate wrote: whiteboard text (see `coverage.scene_texts`) and
        their chat messages.
    coverage: `coverage.concept_coverage(guide, texts)` for the session's case study.
    step_texts: the candidate's writing grouped by the step that was current when it was
        written (chat by message time, board text by the snapshot at each step change); None
        when unknown, which turns off the rules that need it.
    visit_order: step keys in the order the timer entered them, repeats allowed; empty when
        unknown. A step counts as reached when it has seconds or appears here.
    """

    plan: Mapping[str, int | float]
    step_seconds: Mapping[str, int | float]
    texts: Sequence[str]
    coverage: Mapping[str, StepCoverage] = field(default_factory=dict)
    step_texts: Mapping[str, Sequence[str]] | None = None
    visit_order: Sequence[str] = ()

    def seconds(self, step: str) -> float:
        return float(self.step_seconds.get(step, 0) or 0)

    def reached(self, step: str) -> bool:
        return self.seconds(step) > 0 or step in self.visit_order

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds(step) for step in self.plan)


Rule = Callable[[SessionFacts, TextIndex], "Pitfall | None"]


def detect_pitfalls(facts: SessionFacts) -> list[Pitfall]:
    """Every rule that fires for `facts`, in a fixed order (time rules first)."""
    index = TextIndex(facts.texts)
    return [pitfall for rule in RULES if (pitfall := rule(facts, index)) is not None]


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
    if found_concepts or index.first_match(METRIC_TERMS):
        return None
    if any(index.contains_uppercase(acronym) for acronym in METRIC_ACRONYMS):
        return None
    return {
        "code": "no-evaluation-metric",
        "title": "No evaluation metric named",
        "why": (
            "Without a metric nobody can tell whether the model works or whether a change "
            "helped. Offline metrics that match the objective and an online metric tied to the "
            "business goal are what make the rest of the design testable."
        ),
        "evidence": (
            "Nothing written on the board or in chat names a metric (such as precision, recall, "
            "AUC, NDCG, log loss or CTR) or any of this case's evaluation concepts."
        ),
    }


def _no_failure_handling(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    if index.first_match(FAILURE_TERMS):
        return None
    return {
        "code": "no-failure-handling",
        "title": "No fallback or failure handling discussed",
        "why": (
            "Services time out, features go missing and models get rolled back. A design with "
            "no answer for that, such as a fallback model, cached or popular results, timeouts "
            "or sensible defaults, fails its users on the first bad day."
        ),
        "evidence": (
            "Nothing written mentions a fallback, cache, timeout, retry, default, degradation "
            "or rollback."
        ),
    }


def _no_baseline(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    if not facts.reached("model") or index.first_match(BASELINE_TERMS):
        return None
    return {
        "code": "no-baseline",
        "title": "No baseline model mentioned",
        "why": (
            "A simple baseline (a heuristic, popularity, or logistic regression) sets the bar "
            "a complex model has to beat, can ship in days, and doubles as the fallback. "
            "Without it, no later gain can be measured or justified."
        ),
        "evidence": (
            "Model development was reached, but nothing written mentions a baseline, heuristic, "
            "popularity ranking or simple linear model."
        ),
    }


def _no_online_test(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    if not facts.reached("evaluation") or index.first_match(ONLINE_TEST_TERMS):
        return None
    return {
        "code": "no-online-test",
        "title": "No online experiment (A/B test) planned",
        "why": (
            "Offline metrics are proxies. Only a controlled online experiment shows whether the "
            "model moves the business goal, and it catches regressions that historical data "
            "cannot reveal, such as changed user behaviour."
        ),
        "evidence": (
            "Evaluation was reached, but nothing written mentions an A/B test, online "
            "experiment or interleaving."
        ),
    }


def _no_label_source(facts: SessionFacts, index: TextIndex) -> Pitfall | None:
    if not facts.reached("data") or index.first_match(LABEL_TERMS):
        return None
    return {
        "code": "no-label-source",
        "title": "Never said where labels come from",
        "why": (
            "The label defines what the model learns. Whether it comes from clicks, human "
            "review or a delayed outcome decides its noise, bias and delay, and with them the "
            "whole training set-up."
        ),
        "evidence": (
            "Data preparation was reached, but nothing written mentions labels, ground truth, "
            "annotation or implicit/explicit feedback."
        ),
    }


def _no_numbers_in_clarify(facts: SessionFacts, _: TextIndex) -> Pitfall | None:
    if facts.step_texts is None or not facts.reached("clarify"):
        return None
    clarify_texts = facts.step_texts.get("clarify") or ()
    if any(_QUANTITY_RE.search(text) for text in clarify_texts):
        return None
    return {
        "code": "no-numbers-in-clarify",
        "title": "No scale or latency numbers while clarifying",
        "why": (
            "Numbers such as requests per second, catalogue size or a latency budget turn vague "
            "requirements into constraints. Without them nobody can judge whether the proposed "
            "model and serving path are feasible."
        ),
        "evidence": (
            f"Of {len(clarify_texts)} thing(s) written during clarifying, none holds a number "
            "with a unit or magnitude (such as 10M users, 5k QPS or 100 ms)."
        ),
    }


RULES: tuple[Rule, ...] = (
    _jumped_to_model,
    _monitoring_skipped,
    _model_overweight,
    _no_numbers_in_clarify,
    _no_label_source,
    _no_baseline,
    _no_evaluation_metric,
    _no_online_test,
    _no_failure_handling,
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
