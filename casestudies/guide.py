"""Shape of a case study's content and of its interviewer-only guide.

`parse_case_study` checks one content file (as loaded from YAML) and returns the model fields;
`check_guide` checks the guide alone and is also what the admin form runs, so a hand edit cannot
store a guide the room or the report would choke on.
"""

import re
from typing import Any

from .framework import STEP_KEYS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Slugs that name an API route under /api/casestudies/ rather than a case.
RESERVED_SLUGS = frozenset({"facets"})
# The library lists cases by domain, then title; domains are kept in that (alphabetical) order.
DOMAIN_LABELS = {
    "ads": "Ads",
    "computer-vision": "Computer vision",
    "fintech": "Fintech",
    "genai": "GenAI",
    "logistics": "Logistics",
    "marketplace": "Marketplace",
    "nlp": "NLP",
    "recommendation": "Recommendation",
    "search": "Search",
    "social": "Social",
    "trust-safety": "Trust & safety",
}
DOMAINS = tuple(DOMAIN_LABELS)
DIFFICULTIES = ("easy", "medium", "hard")
# The report's pitfall rules a case may configure under `pitfall_rules` (interviews.reports.
# pitfalls keeps the same codes). Text rules look for phrases and can have their terms changed;
# every rule can be turned off for a case where it does not apply.
PITFALL_RULE_CODES = (
    "jumped-to-model",
    "monitoring-skipped",
    "model-overweight",
    "no-numbers-in-clarify",
    "no-label-source",
    "no-baseline",
    "no-evaluation-metric",
    "no-online-test",
    "no-failure-handling",
)
TEXT_PITFALL_RULES = (
    "no-label-source",
    "no-baseline",
    "no-evaluation-metric",
    "no-online-test",
    "no-failure-handling",
)
MAX_EXAMPLES = 8  # per key concept
MAX_EXAMPLE_BYTES = 300
# Not "off": YAML reads a bare `off` as the boolean false.
_RULE_KEYS = ("enabled", "reason", "terms", "extra_terms")


class ContentError(ValueError):
    """A content file or guide does not have the expected shape; the message names where."""


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: expected non-empty text")
    return value.strip()


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ContentError(f"{where}: expected a list")
    return value


def _texts(value: Any, where: str) -> list[str]:
    return [_text(item, f"{where}[{i}]") for i, item in enumerate(_list(value, where))]


def _concept(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected an object with name and aliases")
    aliases = _texts(value.get("aliases"), f"{where}.aliases")
    if not aliases:
        raise ContentError(f"{where}.aliases: needs at least one alias")
    concept = {"name": _text(value.get("name"), f"{where}.name"), "aliases": aliases}
    if value.get("examples") is not None:
        concept["examples"] = _examples(value["examples"], f"{where}.examples")
    return concept


def _examples(value: Any, where: str) -> list[str]:
    """How candidates put a concept in their own words: what the report's meaning check
    compares unsure writing with (never matched as words)."""
    examples = _texts(value, where)
    if len(examples) > MAX_EXAMPLES:
        raise ContentError(f"{where}: at most {MAX_EXAMPLES} examples")
    for i, example in enumerate(examples):
        if len(example.encode()) > MAX_EXAMPLE_BYTES:
            raise ContentError(f"{where}[{i}]: at most {MAX_EXAMPLE_BYTES} bytes")
    return examples


def _step(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected an object")
    concepts = _list(value.get("key_concepts"), f"{where}.key_concepts")
    return {
        "hints": _texts(value.get("hints"), f"{where}.hints"),
        "key_concepts": [_concept(c, f"{where}.key_concepts[{i}]") for i, c in enumerate(concepts)],
        "strong_answer": _text(value.get("strong_answer"), f"{where}.strong_answer"),
    }


def _follow_up(value: Any, where: str) -> dict:
    """A follow-up question and the step it belongs to. A plain string (the original format)
    is accepted and belongs to no step; the room shows those at the end of the interview."""
    if isinstance(value, str):
        return {"question": _text(value, where), "step": None}
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected text or an object with question and step")
    step = value.get("step")
    if step is not None and step not in STEP_KEYS:
        raise ContentError(f"{where}.step: unknown step '{step}'; steps are {STEP_KEYS}")
    return {"question": _text(value.get("question"), f"{where}.question"), "step": step}


def _pitfall_rules(value: Any) -> dict:
    """`pitfall_rules`: rule code → {enabled: false, reason} or {terms, extra_terms}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError("pitfall_rules: expected an object keyed by rule code")
    rules = {}
    for code, config in value.items():
        where = f"pitfall_rules.{code}"
        if code not in PITFALL_RULE_CODES:
            raise ContentError(f"{where}: unknown rule; rules are {list(PITFALL_RULE_CODES)}")
        if not isinstance(config, dict) or not config:
            raise ContentError(f"{where}: expected an object with enabled/reason or terms")
        unknown = set(config) - set(_RULE_KEYS)
        if unknown:
            raise ContentError(f"{where}: unknown key(s) {sorted(unknown)}; keys are {_RULE_KEYS}")
        rule: dict = {}
        if "enabled" in config:
            if not isinstance(config["enabled"], bool):
                raise ContentError(f"{where}.enabled: expected true or false")
            rule["enabled"] = config["enabled"]
            if not config["enabled"]:  # say why, so the report can say it too
                rule["reason"] = _text(config.get("reason"), f"{where}.reason")
        elif "reason" in config:
            rule["reason"] = _text(config["reason"], f"{where}.reason")
        for key in ("terms", "extra_terms"):
            if key in config:
                if code not in TEXT_PITFALL_RULES:
                    raise ContentError(f"{where}.{key}: only text rules have terms")
                terms = _texts(config[key], f"{where}.{key}")
                if not terms:
                    raise ContentError(f"{where}.{key}: needs at least one term")
                rule[key] = terms
        if rule.get("enabled") is False and ("terms" in rule or "extra_terms" in rule):
            raise ContentError(f"{where}: a rule turned off has no terms")
        rules[code] = rule
    return rules


def check_guide(guide: Any) -> dict:
    """Return the guide normalised (text stripped); raise ContentError on a wrong shape."""
    if not isinstance(guide, dict):
        raise ContentError("guide: expected an object")
    steps = guide.get("steps")
    if not isinstance(steps, dict):
        raise ContentError("steps: expected an object keyed by step")
    unknown = set(steps) - set(STEP_KEYS)
    if unknown:
        raise ContentError(f"steps: unknown step(s) {sorted(unknown)}; steps are {STEP_KEYS}")
    missing = [key for key in STEP_KEYS if key not in steps]
    if missing:
        raise ContentError(f"steps: missing {missing}")
    questions = []
    for i, qa in enumerate(_list(guide.get("clarifying_questions"), "clarifying_questions")):
        where = f"clarifying_questions[{i}]"
        if not isinstance(qa, dict):
            raise ContentError(f"{where}: expected an object with question and answer")
        questions.append(
            {
                "question": _text(qa.get("question"), f"{where}.question"),
                "answer": _text(qa.get("answer"), f"{where}.answer"),
            }
        )
    pitfalls = []
    for i, pitfall in enumerate(_list(guide.get("pitfalls"), "pitfalls")):
        where = f"pitfalls[{i}]"
        if not isinstance(pitfall, dict):
            raise ContentError(f"{where}: expected an object with title and why")
        pitfalls.append(
            {
                "title": _text(pitfall.get("title"), f"{where}.title"),
                "why": _text(pitfall.get("why"), f"{where}.why"),
            }
        )
    checked = {
        "clarifying_questions": questions,
        "steps": {key: _step(steps[key], f"steps.{key}") for key in STEP_KEYS},
        "pitfalls": pitfalls,
        "follow_ups": [
            _follow_up(item, f"follow_ups[{i}]")
            for i, item in enumerate(_list(guide.get("follow_ups"), "follow_ups"))
        ],
    }
    rules = _pitfall_rules(guide.get("pitfall_rules"))
    if rules:  # optional: guides without it keep their stored shape
        checked["pitfall_rules"] = rules
    return checked


def parse_case_study(data: Any) -> dict:
    """Turn one content file into CaseStudy fields plus `tags`; raise ContentError if malformed."""
    if not isinstance(data, dict):
        raise ContentError("expected a mapping at the top of the file")
    slug = _text(data.get("slug"), "slug")
    if not SLUG_RE.match(slug):
        raise ContentError("slug: lowercase letters, digits and dashes only")
    if slug in RESERVED_SLUGS:
        raise ContentError(f"slug: '{slug}' is reserved")
    domain = _text(data.get("domain"), "domain")
    if domain not in DOMAINS:
        raise ContentError(f"domain: one of {DOMAINS}")
    difficulty = _text(data.get("difficulty"), "difficulty")
    if difficulty not in DIFFICULTIES:
        raise ContentError(f"difficulty: one of {DIFFICULTIES}")
    tags = [tag.lower() for tag in _texts(data.get("tags", []), "tags")]
    return {
        "slug": slug,
        "title": _text(data.get("title"), "title"),
        "domain": domain,
        "difficulty": difficulty,
        "tags": sorted(set(tags)),
        "prompt": _text(data.get("prompt"), "prompt"),
        "guide": check_guide(data),
    }
