"""Progress across interviews: a level per step, and which case study to practise next.

The scheme is meant to be explained in one sentence to the candidate:

1. Average each step's level over their earlier interviews; steps below "Solid" (3) are weak,
   and the (at most two) weakest are the focus. If every step is solid, the lowest one is.
2. Each unpractised case study gets, per focus step, the step's gap to "Exceptional" (4 minus the
   average) times how much that case asks of the step. A case's emphasis comes from
   `steps_emphasis` when given; otherwise from its guide: the step's material (strong answer,
   hints, key concepts) relative to the guide's average step, so 1.3 means "30% more than usual".
3. The highest totals win; ties go to the easier case, then alphabetical order.

Rubric levels are weighted the same way as the session score (see `rubrics.scoring`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypedDict

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY
from rubrics.scoring import MAX_LEVEL, weighted_score

SOLID_LEVEL = 3.0
MAX_FOCUS_STEPS = 2
DEFAULT_LIMIT = 3
_DIFFICULTY_ORDER = {"easy": 0, "medium": 1, "hard": 2}


class StepAverage(TypedDict):
    step: str
    average: float
    sessions: int  # how many interviews scored this step


class Recommendation(TypedDict):
    slug: str
    title: str
    focus_steps: list[str]
    emphasis: dict[str, float]  # focus step -> how much this case asks of it (1.0 = average)
    score: float
    why: str


def step_levels_from_scores(
    criteria: Iterable[Mapping[str, Any]], levels: Mapping[str, int | None]
) -> dict[str, float | None]:
    """One level per framework step from an interview's rubric scores.

    `criteria`: rows with `key`, `step` (blank or None for cross-cutting criteria, which are left
    out) and `weight`; `levels`: criterion key → level 1..4 or None when unscored. A step's level
    is the weighted mean of its scored criteria, 2 decimals; None when none was scored.
    Raises ValueError for a level outside 1..4 (as the session score does).
    """
    weights_by_step: dict[str, dict[str, Decimal]] = {}
    for criterion in criteria:
        step = criterion.get("step")
        if step:
            weight = Decimal(str(criterion["weight"]))
            weights_by_step.setdefault(step, {})[criterion["key"]] = weight
    result: dict[str, float | None] = {}
    for step in STEP_KEYS:
        weights = weights_by_step.get(step)
        score = weighted_score(weights, levels).score if weights else None
        result[step] = float(score) if score is not None else None
    return result


def weakest_steps(step_scores_history: Mapping[str, Sequence[float | None]]) -> list[StepAverage]:
    """Every step with at least one score, weakest first (framework order breaks ties)."""
    averages: list[StepAverage] = []
    for step in STEP_KEYS:
        scores = [float(s) for s in step_scores_history.get(step, ()) if s is not None]
        if scores:
            averages.append(
                {
                    "step": step,
                    "average": round(sum(scores) / len(scores), 2),
                    "sessions": len(scores),
                }
            )
    return sorted(averages, key=lambda a: a["average"])  # stable: framework order on ties


def recommend_next_cases(
    step_scores_history: Mapping[str, Sequence[float | None]],
    cases: Iterable[Mapping[str, Any]],
    practised: set[str],
    *,
    limit: int = DEFAULT_LIMIT,
) -> list[Recommendation]:
    """Up to `limit` case studies the candidate has not practised, best first, each with why.

    `step_scores_history`: step → the candidate's levels for it in earlier interviews (see
    `step_levels_from_scores`; None entries are ignored). `cases`: dicts with `slug`, `title`,
    and optionally `difficulty`, `guide` (the case study guide) and `steps_emphasis` (step →
    relative weight, overriding what the guide suggests). `practised`: slugs already done.
    With no scored history, the easiest unpractised cases come first.
    """
    ranked = weakest_steps(step_scores_history)
    focus = [a for a in ranked if a["average"] < SOLID_LEVEL][:MAX_FOCUS_STEPS] or ranked[:1]
    candidates = [case for case in cases if case["slug"] not in practised]

    scored: list[tuple[float, Mapping[str, Any], dict[str, float]]] = []
    for case in candidates:
        emphasis = {a["step"]: _emphasis(case, a["step"]) for a in focus}
        score = sum((MAX_LEVEL - a["average"]) * emphasis[a["step"]] for a in focus)
        scored.append((score, case, emphasis))
    scored.sort(
        key=lambda item: (
            -item[0],
            _DIFFICULTY_ORDER.get(item[1].get("difficulty", ""), 1),
            item[1]["slug"],
        )
    )
    return [
        {
            "slug": case["slug"],
            "title": case["title"],
            "focus_steps": [a["step"] for a in focus],
            "emphasis": {step: round(value, 2) for step, value in emphasis.items()},
            "score": round(score, 2),
            "why": _why(focus, case, emphasis),
        }
        for score, case, emphasis in scored[:limit]
    ]


def _emphasis(case: Mapping[str, Any], step: str) -> float:
    """How much `case` asks of `step`, relative to its average step (1.0 when unknown)."""
    explicit = case.get("steps_emphasis") or {}
    if step in explicit:
        return float(explicit[step])
    steps = (case.get("guide") or {}).get("steps") or {}
    material = {key: _material(steps[key]) for key in STEP_KEYS if key in steps}
    if step not in material or not any(material.values()):
        return 1.0
    return material[step] / (sum(material.values()) / len(material))


def _material(guide_step: Mapping[str, Any]) -> int:
    """Words the guide devotes to a step: strong answer, hints and key concepts."""
    parts: list[str] = [guide_step.get("strong_answer") or "", *(guide_step.get("hints") or ())]
    for concept in guide_step.get("key_concepts") or ():
        parts.append(concept.get("name", ""))
        parts.extend(concept.get("aliases") or ())
    return sum(len(part.split()) for part in parts)


def _why(focus: list[StepAverage], case: Mapping[str, Any], emphasis: dict[str, float]) -> str:
    if not focus:
        difficulty = str(case.get("difficulty") or "new")
        article = "an" if difficulty[0] in "aeiou" else "a"
        return f"No scored interviews yet: {article} {difficulty} case study to start with."
    weak = [
        f"{_title(a['step'])} (average {a['average']:g} over {a['sessions']} "
        f"interview{'s' if a['sessions'] != 1 else ''})"
        for a in focus
    ]
    if focus[0]["average"] >= SOLID_LEVEL:
        opening = f"Every step you were scored on is solid; the lowest is {weak[0]}."
    else:
        opening = f"Your weakest step{'s are' if len(weak) > 1 else ' is'} {_join(weak)}."
    weights = [f"{_title(a['step']).lower()} {emphasis[a['step']]:.1f}×" for a in focus]
    return f"{opening} This case weights {_join(weights)} against its average step."


def _title(step: str) -> str:
    return STEPS_BY_KEY[step].title if step in STEPS_BY_KEY else step


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
