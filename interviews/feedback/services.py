"""Writes to the feedback: rubric scores, the interviewer's notes, the candidate's
self-assessment, and releasing it all to the candidate. A change the report shows, made after the
end, rebuilds the report (here, so that every path does it)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casestudies.framework import STEP_KEYS
from rubrics.models import Criterion

from ..limits import MAX_FEEDBACK_CHANGES
from ..models import FeedbackChange, InterviewSession, Note, Score, SelfAssessment
from ..protocol import outbound
from ..realtime.notify import room_publish, users_publish
from ..reports.queue import report_rebuild
from ..sessions.permissions import require_candidate, require_interviewer


@transaction.atomic
def score_set(
    *,
    session: InterviewSession,
    role: str | None,
    criterion_key: str,
    level: int | None,
    comment: str | None = None,
) -> Score:
    """Set (or clear, with level None) the level and comment for one criterion; after the end
    the report is rebuilt to show it."""
    require_interviewer(role)
    criterion = Criterion.objects.filter(rubric_id=session.rubric_id, key=criterion_key).first()
    if criterion is None:
        raise ValidationError({"criterion": f"Unknown criterion '{criterion_key}'."})
    if level is not None and not 1 <= level <= 4:
        raise ValidationError({"level": "Level must be 1, 2, 3 or 4."})
    defaults = {"level": level}
    if comment is not None:
        defaults["comment"] = comment
    score, _ = Score.objects.update_or_create(
        session=session, criterion=criterion, defaults=defaults
    )
    _change_record(
        session, FeedbackChange.Kind.SCORE, criterion_key, level=score.level, text=score.comment
    )
    _rebuild_report_if_ended(session)
    return score


@transaction.atomic
def note_save(
    *,
    session: InterviewSession,
    role: str | None,
    step: str,
    text: str,
    shared: bool | None = None,
) -> Note:
    require_interviewer(role)
    if step not in STEP_KEYS:
        raise ValidationError({"step": f"Unknown step '{step}'."})
    defaults = {"text": text}
    if shared is not None:
        defaults["shared"] = shared
    note, _ = Note.objects.update_or_create(session=session, step=step, defaults=defaults)
    _change_record(session, FeedbackChange.Kind.NOTE, step, text=note.text, shared=note.shared)
    _rebuild_report_if_ended(session)
    return note


# A note is saved after every pause in typing: saves this close together are one change.
CHANGE_MERGE_WINDOW = timedelta(minutes=1)


def _change_record(
    session: InterviewSession,
    kind: str,
    key: str,
    *,
    level: int | None = None,
    text: str = "",
    shared: bool | None = None,
) -> None:
    """Log the note or score as it now is, for the replay's markers: a new change, or the
    latest change of the same note or score updated when it is recent (or the session's
    changes reached MAX_FEEDBACK_CHANGES)."""
    now = timezone.now()
    fields = {"level": level, "text": text, "shared": shared, "at": now}
    latest = (
        FeedbackChange.objects.filter(session=session, kind=kind, key=key).order_by("-at").first()
    )
    full = FeedbackChange.objects.filter(session=session).count() >= MAX_FEEDBACK_CHANGES
    if latest is not None and (full or now - latest.at < CHANGE_MERGE_WINDOW):
        FeedbackChange.objects.filter(pk=latest.pk).update(**fields)
    elif not full:
        FeedbackChange.objects.create(session=session, kind=kind, key=key, **fields)


def _rebuild_report_if_ended(session: InterviewSession) -> None:
    """What the report shows (scores, shared notes) changed after the end: build it again."""
    if session.status == InterviewSession.Status.ENDED:
        report_rebuild(session)


def feedback_release(*, session: InterviewSession, role: str | None) -> InterviewSession:
    require_interviewer(role)
    if session.status != InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "Feedback can be released once the interview has ended."})
    if session.feedback_released_at is None:
        session.feedback_released_at = timezone.now()
        session.save(update_fields=["feedback_released_at"])
        feedback_release_announce(session)
    return session


def feedback_release_announce(session: InterviewSession) -> None:
    """After commit: tell the room and every participant's open pages."""
    user_ids = list(session.participants.values_list("user_id", flat=True))
    message = outbound.feedback_released(session_id=str(session.pk))

    def tell() -> None:
        room_publish(session.pk, message)
        users_publish(user_ids, message)

    transaction.on_commit(tell)


@transaction.atomic
def self_assessment_save(*, session: InterviewSession, role: str | None, levels: dict):
    """The candidate's level per step (1..4; steps may be left out). Rebuilds the report so it
    shows the comparison (also when a build is under way: it may have read the old levels)."""
    require_candidate(role)
    if session.status != InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "Assess yourself once the interview has ended."})
    for key, level in levels.items():
        if key not in STEP_KEYS:
            raise ValidationError({"levels": f"Unknown step '{key}'."})
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            raise ValidationError({"levels": f"Level for '{key}' must be 1, 2, 3 or 4."})
    assessment, _ = SelfAssessment.objects.update_or_create(
        session=session, defaults={"levels": levels}
    )
    report_rebuild(session)
    return assessment
