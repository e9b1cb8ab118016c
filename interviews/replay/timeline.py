"""The interview's timeline from the room's timer log: when each step ran and when the clock
was paused. Pure.

The room logs a `timer.state` at every start, pause, resume and step change and a
`session.ended` at the end, each with the timer as it is from then on; a segment runs from one
of them to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict


class Segment(TypedDict):
    step: str
    start: int  # ms, server clock
    end: int
    running: bool  # False: the clock was paused on this step


def step_segments(events: Iterable[tuple[int, dict]], *, end_ms: int) -> list[Segment]:
    """Segments from (at ms, message) of the logged timer messages in seq order; the last one
    open runs to `end_ms`. Time before the start is no segment."""
    segments: list[Segment] = []
    current: tuple[str, int, bool] | None = None
    for at_ms, message in events:
        timer = message.get("timer")
        if not isinstance(timer, dict) or not isinstance(timer.get("step"), str):
            continue
        if current is not None and at_ms > current[1]:
            segments.append(
                {"step": current[0], "start": current[1], "end": at_ms, "running": current[2]}
            )
        status = timer.get("status")
        current = (
            (timer["step"], at_ms, status == "running")
            if status
            in (
                "running",
                "paused",
            )
            else None
        )
    if current is not None and end_ms > current[1]:
        segments.append(
            {"step": current[0], "start": current[1], "end": end_ms, "running": current[2]}
        )
    return segments
