"""The feedback report: status transitions now; the content is assembled by report_content."""

import logging

from django.db import transaction
from django.utils import timezone

from ..models import InterviewSession, Report
from ..room.notify import room_notify

logger = logging.getLogger(__name__)


def _set_status(report: Report, status: str, **fields) -> None:
    report.status = status
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    session_id = report.session_id

    def tell() -> None:
        room_notify(session_id, {"type": "report.status", "status": status})
        if status == Report.Status.READY:
            room_notify(session_id, {"type": "report.ready"})

    transaction.on_commit(tell)


def report_content(session: InterviewSession) -> dict:
    """What the report says. Minimal until the report issue fills it in."""
    return {"session_id": str(session.pk), "generated_at": timezone.now().isoformat()}


def report_build(*, session_id: str, final_attempt: bool = False) -> str:
    """Build the report of an ended session; idempotent (one report per session, content
    replaced atomically). Returns the final status."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().select_related("session").get(session_id=session_id)
        )
        if report.session.status != InterviewSession.Status.ENDED:
            return report.status
        report.attempts += 1
        report.status = Report.Status.RUNNING
        report.save(update_fields=["attempts", "status", "updated_at"])
    try:
        content = report_content(report.session)
    except Exception as exc:
        logger.exception("report for %s failed", session_id)
        if final_attempt:
            _set_status(report, Report.Status.FAILED, error=str(exc)[:2000])
            return report.status
        raise
    with transaction.atomic():
        _set_status(
            report, Report.Status.READY, content=content, error="", finished_at=timezone.now()
        )
    return report.status
