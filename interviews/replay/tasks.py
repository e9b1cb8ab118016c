"""The replay's background work: the board's keyframes, built once the interview has ended so
that the first opening of the replay finds them ready rather than building them itself."""

from celery import shared_task

from ..models import InterviewSession
from ..transient import retried_task
from .services import board_keyframes_ensure


@shared_task(**retried_task(backoff_max=120))
def board_keyframes_build(session_id: str) -> int:
    """Idempotent (board_keyframes_ensure builds nothing twice), so a redelivery is harmless.
    A session deleted meanwhile has nothing to build."""
    session = InterviewSession.objects.filter(pk=session_id).first()
    if session is None or session.status != InterviewSession.Status.ENDED:
        return 0
    return board_keyframes_ensure(session=session)
