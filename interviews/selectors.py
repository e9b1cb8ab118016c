"""Reads, always filtered by who is asking. A session that is not yours does not exist (404)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

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


def report_content_for(role: str, content: dict | None) -> dict | None:
    """The report as `role` may see it. Progress across the candidate's other interviews (their
    scores there, the cases they did) is the candidate's own business."""
    if content is None or role == Role.CANDIDATE:
        return content
    return {**content, "progress": {"history": [], "weakest_steps": [], "recommendations": []}}


def room_state(*, session_id, user: AbstractBaseUser, role: str) -> dict:
    """The `state` snapshot of the room protocol, filtered by role: notes, scores, the rubric
    and the case's guide only for the interviewer."""
    from rubrics.apis import RubricDetailOutput

    from .models import ChatMessage, Note, Score
    from .room import timers
    from .services.room import chat_message_data, presence
    from .services.whiteboard import whiteboard_scene

    session = InterviewSession.objects.select_related("case_study", "report").get(pk=session_id)
    now_ms = timers.to_ms(timezone.now())
    chat = [
        chat_message_data(message, message.author.username)
        for message in ChatMessage.objects.filter(session_id=session_id).select_related("author")
    ]
    report = getattr(session, "report", None)
    state = {
        "type": "state",
        "seq": session.seq,
        "server_time": now_ms,
        "me": {"user_id": user.pk, "username": user.username, "role": role},
        "session": {
            "id": str(session.pk),
            "status": session.status,
            "board_locked": session.board_locked,
            "auto_advance": session.auto_advance,
            "case_study": {
                "slug": session.case_study.slug,
                "title": session.case_study.title,
                "prompt": session.case_study.prompt,
            },
            "report_status": report.status if report else None,
        },
        "participants": presence(session_id=session_id),
        "timer": timers.timer_state(session),
        "whiteboard": {"elements": whiteboard_scene(session_id=session_id)},
        "chat": chat,
    }
    if role == Role.INTERVIEWER:
        state["notes"] = {
            note.step: {
                "text": note.text,
                "shared": note.shared,
                "updated_at": note.updated_at.isoformat(),
            }
            for note in Note.objects.filter(session_id=session_id)
        }
        state["scores"] = {
            key: {"level": level, "comment": comment}
            for key, level, comment in Score.objects.filter(session_id=session_id).values_list(
                "criterion__key", "level", "comment"
            )
        }
        state["rubric"] = RubricDetailOutput(session.rubric).data
        state["guide"] = session.case_study.guide
    return state
