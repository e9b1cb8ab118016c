"""Reads of the report, filtered by who is asking."""

from ..models import ReportOverride, Role


def report_content_for(role: str, content: dict | None) -> dict | None:
    """The report as `role` may see it. Progress across the candidate's other interviews (their
    scores there, the cases they did) is the candidate's own business."""
    if content is None or role == Role.CANDIDATE:
        return content
    return {**content, "progress": {"history": [], "weakest_steps": [], "recommendations": []}}


def report_decisions(session_id) -> dict[tuple[str, str], str]:
    """Every override of the session's report, (kind, key) -> decision."""
    return {
        (kind, key): decision
        for kind, key, decision in ReportOverride.objects.filter(session_id=session_id).values_list(
            "kind", "key", "decision"
        )
    }
