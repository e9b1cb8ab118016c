"""Handing an ended session to the keyframe task: the one module that imports it."""

from .tasks import board_keyframes_build


def keyframes_queue_on_end(*, session_id, **_) -> None:
    """Receiver of sessions.signals.session_ended, which is sent after the end has committed."""
    board_keyframes_build.delay(str(session_id))
