"""Shape of a case study's content and of its interviewer-only guide.

`parse_case_study` checks one content file (as loaded from YAML) and returns the model fields;
`check_guide` checks the guide alone and is also what the admin form runs, so a hand edit cannot
store a guide the room or the report would choke on.
"""

import re
from typing import Any

from .framework import STEP_KEYS

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOMAINS = ("recommendation", "search", "computer-vision", "ads", "trust-safety", "social", "nlp")
DIFFICULTIES = ("easy", "medium", "hard")


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
    return {"name": _text(value.get("name"), f"{where}.name"), "aliases": aliases}


def _step(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ContentError(f"{where}: expected an object")
    concepts = _list(value.get("key_concepts"), f"{where}.key_concepts")
    return {
        "hints": _texts(value.get("hints"), f"{where}.hints"),
        "key_concepts": [_concept(c, f"{where}.key_concepts[{i}]") for i, c in enumerate(concepts)],
        "strong_answer": _text(value.get("strong_answer"), f"{where}.strong_answer"),
    }


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
    return {
        "clarifying_questions": questions,
        "steps": {key: _step(steps[key], f"steps.{key}") for key in STEP_KEYS},
        "pitfalls": pitfalls,
        "follow_ups": _texts(guide.get("follow_ups"), "follow_ups"),
    }


def parse_case_study(data: Any) -> dict:
    """Turn one content file into CaseStudy fields plus `tags`; raise ContentError if malformed."""
    if not isinstance(data, dict):
        raise ContentError("expected a mapping at the top of the file")
    slug = _text(data.get("slug"), "slug")
    if not SLUG_RE.match(slug):
        raise ContentError("slug: lowercase letters, digits and dashes only")
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
