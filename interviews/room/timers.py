"""The step timer, kept by the server. Pure functions over a session's timer fields.

The stored state is: the current step index, whether it runs, when the running segment began,
seconds of closed segments per step, and extra seconds per step. Everything a screen shows is
derived from that and the server's clock, so two screens and a restarted server agree.
"""

from datetime import datetime

from django.utils import timezone

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY

now = timezone.now


class TimerError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def to_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def status_of(session) -> str:
    if session.status == "ended":
        return "ended"
    if session.status == "scheduled":
        return "not_started"
    return "running" if session.timer_running else "paused"


def spent_seconds(session, step_key: str, now: datetime) -> float:
    """Seconds spent in a step so far, the running segment included."""
    spent = float(session.step_seconds.get(step_key, 0))
    if session.timer_running and STEP_KEYS[session.current_step] == step_key:
        spent += max(0.0, (now - session.segment_started_at).total_seconds())
    return spent


def budget_seconds(session, step_key: str) -> float:
    return session.plan[step_key] * 60 + float(session.step_extra_seconds.get(step_key, 0))


def seconds_left_in_step(session, now: datetime) -> float:
    key = STEP_KEYS[session.current_step]
    return budget_seconds(session, key) - spent_seconds(session, key, now)


def timer_state(session) -> dict:
    """The `timer` object of the protocol (closed segments only; clients add the running one)."""
    return {
        "status": status_of(session),
        "current_step": session.current_step,
        "step": STEP_KEYS[session.current_step],
        "segment_started_at": to_ms(session.segment_started_at) if session.timer_running else None,
        "auto_advance": session.auto_advance,
        "steps": [
            {
                "key": key,
                "title": STEPS_BY_KEY[key].title,
                "planned_seconds": session.plan[key] * 60,
                "extra_seconds": float(session.step_extra_seconds.get(key, 0)),
                "spent_seconds": round(float(session.step_seconds.get(key, 0)), 3),
            }
            for key in STEP_KEYS
        ],
    }


def _close_segment(session, now: datetime) -> None:
    if session.timer_running:
        key = STEP_KEYS[session.current_step]
        elapsed = max(0.0, (now - session.segment_started_at).total_seconds())
        session.step_seconds = {
            **session.step_seconds,
            key: round(float(session.step_seconds.get(key, 0)) + elapsed, 3),
        }
        session.segment_started_at = now


def _require_live(session) -> None:
    if session.status == "ended":
        raise TimerError("session_ended", "The interview has ended.")
    if session.status != "live":
        raise TimerError("not_started", "Start the interview first.")


def start(session, now: datetime) -> None:
    if session.status == "ended":
        raise TimerError("session_ended", "The interview has ended.")
    if session.status == "live":
        raise TimerError("bad_message", "The interview is already running.")
    session.status = "live"
    session.started_at = now
    session.timer_running = True
    session.segment_started_at = now


def pause(session, now: datetime) -> None:
    _require_live(session)
    if not session.timer_running:
        raise TimerError("bad_message", "The timer is already paused.")
    _close_segment(session, now)
    session.timer_running = False
    session.segment_started_at = None


def resume(session, now: datetime) -> None:
    _require_live(session)
    if session.timer_running:
        raise TimerError("bad_message", "The timer is already running.")
    session.timer_running = True
    session.segment_started_at = now


def goto(session, step_key: str, now: datetime) -> None:
    _require_live(session)
    if step_key not in STEP_KEYS:
        raise TimerError("bad_message", f"Unknown step '{step_key}'.")
    _close_segment(session, now)
    session.current_step = STEP_KEYS.index(step_key)


def next_step(session, now: datetime) -> None:
    _require_live(session)
    if session.current_step >= len(STEP_KEYS) - 1:
        raise TimerError("bad_message", "This is the last step; end the interview instead.")
    goto(session, STEP_KEYS[session.current_step + 1], now)


def extend(session, minutes: int, now: datetime) -> None:
    _require_live(session)
    key = STEP_KEYS[session.current_step]
    extra = float(session.step_extra_seconds.get(key, 0)) + minutes * 60
    session.step_extra_seconds = {**session.step_extra_seconds, key: extra}


def stop(session, now: datetime) -> None:
    """Close the running segment for good (end of interview)."""
    _close_segment(session, now)
    session.timer_running = False
    session.segment_started_at = None


def auto_advance_due(session, now: datetime) -> bool:
    return (
        session.auto_advance
        and session.status == "live"
        and session.timer_running
        and session.current_step < len(STEP_KEYS) - 1
        and seconds_left_in_step(session, now) <= 0
    )
