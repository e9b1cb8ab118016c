"""The report's status: pending when a build is queued, running, ready or failed; every change is
announced after commit to the room and to the participants' open pages."""

from django.db import transaction

from ..models import InterviewSession, Participant, Report
from ..protocol import outbound
from ..realtime.notify import room_publish, users_publish


def report_status_announce(report: Report) -> None:
    """After commit: tell the room, and every participant's open pages, the new status."""
    session_id, status = report.session_id, report.status
    user_ids = list(
        Participant.objects.filter(session_id=session_id).values_list("user_id", flat=True)
    )

    def tell() -> None:
        message = outbound.report_status(session_id=str(session_id), status=status)
        room_publish(session_id, message)
        users_publish(user_ids, message)
        if status == Report.Status.READY:
            ready = outbound.report_ready(session_id=str(session_id))
            room_publish(session_id, ready)
            users_publish(user_ids, ready)

    transaction.on_commit(tell)


def report_request(*, session: InterviewSession) -> Report:
    """Mark the report pending (a build is about to be queued)."""
    report, _ = Report.objects.get_or_create(session=session)
    report.status = Report.Status.PENDING
    report.error = ""
    report.save(update_fields=["status", "error", "updated_at"])
    report_status_announce(report)
    return report


def report_fail(*, session_id, reason: str) -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(session_id=session_id)
        report.status = Report.Status.FAILED
        report.error = reason[:2000]
        report.save(update_fields=["status", "error", "updated_at"])
        report_status_announce(report)
