"""The replay's one write: the board's keyframes of an ended session, built from the room's
log when the interview ends (replay.tasks), or by the first opening of its replay if that comes
first. The log of an ended session never changes, so they never need rebuilding."""

from __future__ import annotations

from django.db import transaction

from config import strict_json

from ..models import BoardKeyframe, InterviewSession
from ..recordings.selectors import to_ms
from .board import keyframes_build
from .selectors import board_changes


def board_keyframes_ensure(*, session: InterviewSession) -> int:
    """Build the keyframes of an ended session unless they exist; returns how many there are.
    Two first openings at once build the same rows; the unique (session, seq) keeps one."""
    if session.status != InterviewSession.Status.ENDED:
        raise ValueError("Keyframes are built for ended sessions only.")
    existing = BoardKeyframe.objects.filter(session_id=session.pk).count()
    if existing:
        return existing
    rows = [
        BoardKeyframe(
            session_id=session.pk,
            seq=keyframe.seq,
            at_ms=keyframe.at_ms,
            elements=strict_json.dumps(list(keyframe.scene.values())),
        )
        for keyframe in keyframes_build(
            board_changes(session.pk), start_ms=to_ms(session.created_at)
        )
    ]
    with transaction.atomic():
        BoardKeyframe.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
