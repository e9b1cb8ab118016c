"""Which step of the interview a stretch of speech belongs to, from the room's timer log.

Pure functions. The room logs a `timer.state` message at every start, pause, resume and step
change, and `session.ended` at the end; each says the step that is current from then on. A
segment belongs to the step current at its middle: speech that straddles a step change goes to
the side that holds most of it, and speech during a pause still belongs to the paused step.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class StepChange:
    at_ms: int  # when the message was logged (server clock)
    step: str  # the step current from then on
    started: bool = True  # False while the interview had not started yet


def step_at(changes: Sequence[StepChange], at_ms: int) -> str:
    """The step current at `at_ms`; "" before the timer started. `changes` in time order."""
    position = bisect_right([change.at_ms for change in changes], at_ms)
    if position == 0:
        return ""
    change = changes[position - 1]
    return change.step if change.started else ""


def align_segments(segments: Sequence[tuple[int, int]], changes: Sequence[StepChange]) -> list[str]:
    """The step of each (start_ms, end_ms) segment, in the order given."""
    times = [change.at_ms for change in changes]
    steps = []
    for start, end in segments:
        middle = (start + max(start, end)) // 2
        position = bisect_right(times, middle)
        if position == 0 or not changes[position - 1].started:
            steps.append("")
        else:
            steps.append(changes[position - 1].step)
    return steps


def changes_from_log(events: Sequence[tuple[int, dict]]) -> list[StepChange]:
    """StepChanges from (at_ms, message) of logged `timer.state` and `session.ended` messages."""
    changes = []
    for at_ms, message in events:
        timer = message.get("timer")
        if not isinstance(timer, dict) or not isinstance(timer.get("step"), str):
            continue
        changes.append(StepChange(at_ms, timer["step"], timer.get("status") != "not_started"))
    changes.sort(key=lambda change: change.at_ms)
    return changes
