"""Time per step: the plan the interviewer set against the time the room's timer recorded.

Candidates often cannot feel where the minutes went; seeing "model development: 19 of 10
planned minutes, 42% of the interview" is the feedback. The room stores whole seconds per step;
this turns them into minutes, overruns and shares, in framework order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TypedDict

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY


class StepTime(TypedDict):
    key: str
    title: str
    planned_minutes: float
    actual_minutes: float
    overrun_minutes: float  # minutes beyond the plan; 0 when the step ended within it
    share: float  # fraction (0..1) of the interview's actual time spent on this step


class TimeTotals(TypedDict):
    planned_minutes: float
    actual_minutes: float
    overrun_minutes: float  # sum of the steps' overruns (time saved elsewhere does not cancel it)


class Timing(TypedDict):
    steps: list[StepTime]
    total: TimeTotals


def step_timing(plan: Mapping[str, int | float], seconds: Mapping[str, int | float]) -> Timing:
    """Planned vs. actual minutes per step of `plan` (step key → minutes), in framework order.

    `seconds` maps step key → seconds spent; a step without an entry took no time, and entries
    for steps outside the plan are ignored (the plan says which steps this interview had).
    Shares are 0 when no time was recorded at all. Minutes are rounded to 0.1 and shares to
    0.001 for display; compute rules from the raw seconds, not from these rounded values.
    Raises ValueError on a negative or non-numeric duration.
    """
    keys = [key for key in STEP_KEYS if key in plan] + [k for k in plan if k not in STEP_KEYS]
    spent = {key: _duration(seconds.get(key, 0), key) for key in keys}
    total_seconds = sum(spent.values())
    steps: list[StepTime] = []
    for key in keys:
        planned = _duration(plan[key], key)
        actual = spent[key] / 60
        steps.append(
            {
                "key": key,
                "title": STEPS_BY_KEY[key].title if key in STEPS_BY_KEY else key,
                "planned_minutes": round(planned, 1),
                "actual_minutes": round(actual, 1),
                "overrun_minutes": round(max(0.0, actual - planned), 1),
                "share": round(spent[key] / total_seconds, 3) if total_seconds else 0.0,
            }
        )
    return {
        "steps": steps,
        "total": {
            "planned_minutes": round(sum(float(plan[key]) for key in keys), 1),
            "actual_minutes": round(total_seconds / 60, 1),
            "overrun_minutes": round(sum(max(0.0, spent[k] / 60 - plan[k]) for k in keys), 1),
        },
    }


def _duration(value: object, key: str) -> float:
    """A plan's minutes or a step's seconds: a finite, non-negative number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"time for step '{key}' must be a number, got {value!r}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"time for step '{key}' must be a non-negative number, got {value!r}")
    return float(value)
