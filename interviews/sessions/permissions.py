"""Who may do what in a session: the rules every path (HTTP, websocket, worker) asks, so that
they cannot disagree."""

from django.core.exceptions import PermissionDenied

from ..models import InterviewSession, Role

NOT_RELEASED = "Feedback has not been released by the interviewer yet."


def require_interviewer(role: str | None) -> None:
    if role != Role.INTERVIEWER:
        raise PermissionDenied("Only the interviewer can do this.")


def require_candidate(role: str | None) -> None:
    if role != Role.CANDIDATE:
        raise PermissionDenied("Only the candidate assesses themselves.")


def can_see_feedback(*, session: InterviewSession, role: str) -> bool:
    """Interviewers always; the candidate once feedback is released; observers never see
    private notes but may see released scores."""
    if role == Role.INTERVIEWER:
        return True
    return session.feedback_released
