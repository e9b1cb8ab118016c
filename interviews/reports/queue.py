"""Queueing report builds: the one module that hands work to the report task, always after the
commit that made it due (write, commit, then tell)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import InterviewSession, Report
from ..sessions.permissions import require_interviewer
from .status import report_request
from .tasks import report_build


def report_queue(*, session: InterviewSession) -> Report:
    """Mark the report of a session that is ending pending, and build it once this commits."""
    report = report_request(session=session)
    transaction.on_commit(lambda: report_build.delay(str(session.pk)))
    return report


def report_rebuild(session: InterviewSession) -> None:
    """Mark an ended session's report pending and queue a fresh build after commit (what the
    report shows changed: scores, shared notes, the self-assessment)."""
    report_request(session=session)
    transaction.on_commit(lambda: report_build.delay(str(session.pk), force=True))


def report_refresh_for_transcript(*, session_id, **_) -> None:
    """The transcript of a session changed (recordings.signals.transcript_changed). An ended
    session's report is built now if it waits for the transcript, rebuilt if it was built
    without this part of it; a session still running builds its report at its end anyway."""
    session = InterviewSession.objects.filter(pk=session_id).first()
    if session is None or session.status != InterviewSession.Status.ENDED:
        return
    status = Report.objects.filter(session_id=session_id).values_list("status", flat=True).first()
    if status is None:
        return
    if status == Report.Status.PENDING:
        transaction.on_commit(lambda: report_build.delay(str(session_id)))
    else:
        with transaction.atomic():
            report_rebuild(session)


@transaction.atomic
def report_regenerate(*, session: InterviewSession, role: str | None) -> None:
    """Queue a fresh build of an ended session's report (the interviewer's button)."""
    require_interviewer(role)
    if session.status != InterviewSession.Status.ENDED:
        raise ValidationError({"detail": "The report is built once the interview has ended."})
    report_rebuild(session)
