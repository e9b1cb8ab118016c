"""Reads, always filtered by who is asking. A session that is not yours does not exist (404)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ..models import InterviewSession, Participant, Role


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


OPEN_STATUSES = (InterviewSession.Status.SCHEDULED, InterviewSession.Status.LIVE)
GUIDE_WITHHELD = (
    "You are the candidate of an interview on this case that has not ended yet, so its"
    " interviewer guide stays hidden from you until that interview is over."
)


def user_awaits_case_as_candidate(*, user: AbstractBaseUser, case_study_id: int) -> bool:
    """Whether `user` is the candidate of a scheduled or live session on this case study."""
    return Participant.objects.filter(
        user=user,
        role=Role.CANDIDATE,
        session__case_study_id=case_study_id,
        session__status__in=OPEN_STATUSES,
    ).exists()


def user_interviews_case(*, user: AbstractBaseUser, case_study_id: int) -> bool:
    """Whether `user` may read this case's guide as an interviewer: they interview a session on
    it, and are not waiting to be asked it as a candidate (the guide holds the answers)."""
    return Participant.objects.filter(
        user=user, role=Role.INTERVIEWER, session__case_study_id=case_study_id
    ).exists() and not user_awaits_case_as_candidate(user=user, case_study_id=case_study_id)


def guide_for(*, user: AbstractBaseUser, session: InterviewSession, role: str) -> dict | None:
    """The case's interviewer guide if `user`, in `role`, may read it in this session."""
    if role != Role.INTERVIEWER:
        return None
    if user_awaits_case_as_candidate(user=user, case_study_id=session.case_study_id):
        return None
    return session.case_study.guide
