"""The interviewer's overrides of the report's credits and pitfalls (see analysis/overrides.py
for how they change the content)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..models import InterviewSession, Report, ReportOverride
from ..sessions.permissions import require_interviewer
from .analysis.overrides import DECISIONS, KINDS, apply_overrides, override_targets
from .selectors import report_decisions


@transaction.atomic
def report_override_set(
    *, session: InterviewSession, role: str | None, kind: str, key: str, decision: str | None
) -> Report:
    """Confirm or reject (`decision`; None takes the override back) one credit or pitfall of the
    built report, and apply it to the stored content at once: no rebuild is needed.

    Only the interviewer, and only before feedback is released: the released report is what the
    candidate was given. The item must be one the current report holds.
    """
    require_interviewer(role)
    if kind not in KINDS or (decision is not None and decision not in DECISIONS):
        raise ValidationError({"detail": "Unknown kind or decision."})
    report = Report.objects.select_for_update().select_related("session").get(session=session)
    if report.session.feedback_released:
        raise PermissionDenied("Feedback is released: the report can no longer be changed.")
    if report.status != Report.Status.READY or report.content is None:
        raise ValidationError({"detail": "The report is not ready yet."})
    if (kind, key) not in override_targets(report.content):
        raise ValidationError({"key": f"The report has no {kind} '{key}'."})
    if decision is None:
        ReportOverride.objects.filter(session=session, kind=kind, key=key).delete()
    else:
        ReportOverride.objects.update_or_create(
            session=session, kind=kind, key=key, defaults={"decision": decision}
        )
    report.content = apply_overrides(report.content, report_decisions(session.pk))
    report.save(update_fields=["content", "updated_at"])
    return report
