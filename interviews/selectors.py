"""Reads, always filtered by who is asking. A session that is not yours does not exist (404)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from .models import InterviewSession, Participant, Role


def session_list_for_user(
    *, user: AbstractBaseUser, status: str | None = None, role: str | None = None
) -> QuerySet[InterviewSession]:
    """Sessions `user` takes part in, newest first, with what list pages show prefetched."""
    mine = Participant.objects.filter(user=user)
    if role:
        mine = mine.filter(role=role)
    sessions = InterviewSession.objects.filter(id__in=mine.values("session_id"))
    if status:
        sessions = sessions.filter(status=status)
    return sessions.select_related("case_study", "report").prefetch_related(
        Prefetch("participants", queryset=Participant.objects.select_related("user"))
    )


def session_get_for_user(*, user: AbstractBaseUser, session_id) -> tuple[InterviewSession, str]:
    """The session and `user`'s role in it; Http404 when it does not exist or is not theirs."""
    try:
        participant = Participant.objects.select_related(
            "session__case_study", "session__rubric"
        ).get(session_id=session_id, user=user)
    except (Participant.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such session.") from exc
    return participant.session, participant.role


def role_of(*, user: AbstractBaseUser, session: InterviewSession) -> str | None:
    if not user.is_authenticated:
        return None
    return (
        Participant.objects.filter(session=session, user=user)
        .values_list("role", flat=True)
        .first()
    )


def user_interviews_case(*, user: AbstractBaseUser, case_study_id: int) -> bool:
    """Whether `user` is the interviewer of some session on this case study."""
    return Participant.objects.filter(
        user=user, role=Role.INTERVIEWER, session__case_study_id=case_study_id
    ).exists()


def can_see_feedback(*, session: InterviewSession, role: str) -> bool:
    """Interviewers always; the candidate once feedback is released; observers never see
    private notes but may see released scores."""
    if role == Role.INTERVIEWER:
        return True
    return session.feedback_released
