"""The one place practice reaches into the interviews app beyond its models: creating a
pairing's sessions, changing or discarding them before they start, who has practised which
case, who is in the room. When interviews moves these, only this module changes."""

from collections import defaultdict
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from casestudies.models import CaseStudy
from interviews.models import (
    InterviewSession,
    Participant,
    Role,
    RoomConnection,
    Score,
    SelfAssessment,
)
from interviews.protocol.outbound import practice_notice
from interviews.realtime.notify import room_publish, users_publish
from interviews.sessions.apis import public_base_url as base_url
from interviews.sessions.services import invite_accept, session_create, session_recase
from interviews.sessions.signals import session_ended


def interview_session_create(
    *,
    interviewer: AbstractBaseUser,
    candidate: AbstractBaseUser,
    case_study: CaseStudy,
    scheduled_for: datetime,
) -> InterviewSession:
    """A scheduled session with both participants in place. Runs in the caller's transaction;
    raises django's ValidationError as interviews' session_create does."""
    session, invite = session_create(
        user=interviewer,
        case_study=case_study,
        role=Role.INTERVIEWER,
        scheduled_for=scheduled_for,
    )
    invite_accept(token=invite.token, user=candidate)
    return session


def interview_sessions_reschedule(*, session_ids: list, scheduled_for: datetime) -> None:
    InterviewSession.objects.filter(
        pk__in=session_ids, status=InterviewSession.Status.SCHEDULED
    ).update(scheduled_for=scheduled_for)


def interview_session_recase(
    *, session_id, user: AbstractBaseUser, case_study: CaseStudy
) -> InterviewSession:
    """`user`, the session's interviewer, puts it on another case before it starts; raises
    PermissionDenied or ValidationError as interviews' session_recase does."""
    return session_recase(session_id=session_id, user=user, case_study=case_study)


def interview_sessions_discard(*, session_ids: list) -> None:
    """Delete sessions of a called-off pairing that never started: nothing happened in them,
    and left open they would count against their creator's cap on open sessions."""
    InterviewSession.objects.filter(
        pk__in=session_ids, status=InterviewSession.Status.SCHEDULED
    ).delete()


def case_ids_practised(user_ids: list[int]) -> dict[int, set[int]]:
    """Case studies each user has been in a session on, in any role (an interviewer has read
    the guide's answers)."""
    practised: dict[int, set[int]] = {uid: set() for uid in user_ids}
    rows = Participant.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "session__case_study_id"
    )
    for user_id, case_id in rows:
        practised[user_id].add(case_id)
    return practised


def users_present(*, session_ids: list, user_ids: list[int]) -> set[int]:
    """Which of these users have a live room connection to one of these sessions."""
    return set(
        RoomConnection.objects.filter(session_id__in=session_ids, user_id__in=user_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )


def public_base_url(request) -> str:
    """The app's origin for links in answer to `request` (the calendar file's link), as
    interviews builds its invite links."""
    return base_url(request)


def score_agreement(*, session_ids: list) -> dict:
    """How close the interviewer's scores came to their candidates' own view, over these
    sessions: per step the candidate assessed, the gap between their level and the mean of
    the interviewer's levels on that step's criteria."""
    assessed = dict(
        SelfAssessment.objects.filter(session_id__in=session_ids).values_list(
            "session_id", "levels"
        )
    )
    given: dict[tuple, list[int]] = defaultdict(list)
    for session_id, step, level in Score.objects.filter(
        session_id__in=list(assessed), level__isnull=False
    ).values_list("session_id", "criterion__step", "level"):
        given[(session_id, step)].append(level)
    gaps = [
        abs(own - sum(given[(session_id, step)]) / len(given[(session_id, step)]))
        for session_id, levels in assessed.items()
        for step, own in levels.items()
        if given.get((session_id, step))
    ]
    if not gaps:
        return {"steps_compared": 0, "mean_gap": None, "within_one_level": None}
    return {
        "steps_compared": len(gaps),
        "mean_gap": round(sum(gaps) / len(gaps), 2),
        "within_one_level": round(sum(gap <= 1 for gap in gaps) / len(gaps), 2),
    }


def users_notify(user_ids, *, event: str, pairing_id, text: str, session_id=None) -> None:
    """After the caller's commit, a `practice.notice` to these users' open pages (the
    notifications socket). Volatile: pages reload their pairings when the socket reconnects."""
    message = practice_notice(
        event=event,
        pairing_id=str(pairing_id),
        text=text,
        session_id=None if session_id is None else str(session_id),
    )
    ids = list(user_ids)
    transaction.on_commit(lambda: users_publish(ids, message))


def room_notify(room_session_id, *, event: str, pairing_id, text: str, session_id) -> None:
    """After the caller's commit, a `practice.notice` to everyone in the room of
    `room_session_id`, pointing at `session_id`."""
    message = practice_notice(
        event=event, pairing_id=str(pairing_id), text=text, session_id=str(session_id)
    )
    transaction.on_commit(lambda: room_publish(room_session_id, message))


def on_session_ended(receiver) -> None:
    """Call `receiver(session_id=...)` after the end of any interview has committed."""

    def relay(sender, session_id, **kwargs) -> None:
        receiver(session_id=session_id)

    session_ended.connect(relay, weak=False, dispatch_uid="practice.session_ended")
