"""Auto-advance: when a running step's time is up, the room moves to the next step.

Scheduled in every process holding members of the room, from each `timer.state` (and
`session.ended`) its members are given; the service lets only the first call advance."""

import logging

from channels.db import database_sync_to_async

from ..realtime.hub import hub
from . import timers
from .services import timer_auto_advance

logger = logging.getLogger(__name__)

# The messages that carry the room's timer.
TIMER_MESSAGES = frozenset({"timer.state", "session.ended"})


def track_timer(room: str, timer: dict) -> None:
    """Schedule the next auto-advance for a room this process holds members of (or forget the
    one scheduled, when the timer no longer runs towards a next step)."""
    hub.unschedule(room)
    if not (timer["auto_advance"] and timer["status"] == "running"):
        return
    if timer["current_step"] >= len(timer["steps"]) - 1 or not hub.holds(room):
        return
    step = timer["steps"][timer["current_step"]]
    now_ms = timers.to_ms(timers.now())
    spent = step["spent_seconds"] + (now_ms - timer["segment_started_at"]) / 1000
    left = step["planned_seconds"] + step["extra_seconds"] - spent
    current = timer["current_step"]
    hub.schedule(room, max(0.0, left) + 0.05, lambda: _advance(room, current))


def on_timer_message(room: str, message: dict) -> None:
    track_timer(room, message["timer"])


async def _advance(room: str, step: int) -> None:
    try:
        message = await database_sync_to_async(timer_auto_advance)(
            session_id=room, expected_step=step
        )
    except Exception:
        logger.exception("auto-advance of %s failed", room)
        return
    if message is not None:
        await hub.publish(room, message)
