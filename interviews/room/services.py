"""Writes made from the room: joining, timers, chat, board lock, end of interview, and the
interviewer's notes and scores while it runs.

Each write locks the session row, so the per-session `seq` and the timer stay consistent
across server processes, stores the outgoing message in the room's event log, and returns that
message; the caller broadcasts it only after this returns (after commit).
"""

import json
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from casestudies.framework import STEP_KEYS
from config import strict_json

from ..feedback.services import note_save, score_set
from ..limits import MAX_CHAT_MESSAGES, MAX_ROOM_EVENTS, LimitReached
from ..models import (
    ChatMessage,
    InterviewSession,
    Participant,
    Role,
    RoomConnection,
    RoomEvent,
    WhiteboardElement,
    WhiteboardSnapshot,
)
from ..protocol import outbound
from ..reports.queue import report_queue
from ..sessions.permissions import require_interviewer
from ..sessions.signals import session_ended
from . import timers
from .selectors import chat_entry
from .timers import TimerError


def lock_session(session_id) -> InterviewSession:
    return InterviewSession.objects.select_for_update().get(pk=session_id)


def events_build(
    session: InterviewSession, events: list[tuple[str, dict, object]], *, now: datetime
) -> tuple[list[dict], list[RoomEvent]]:
    """Give the next seqs of a locked session to messages that must not be lost; returns the
    messages and their unsaved log rows. The caller stores the rows and the new seq.

    LimitReached once the session has logged MAX_ROOM_EVENTS messages; ending the interview is
    always allowed."""
    messages, rows = [], []
    for kind, payload, user_id in events:
        if session.seq >= MAX_ROOM_EVENTS and kind != "session.ended":
            raise LimitReached(
                "room_full", "This interview has logged as many changes as one session may hold."
            )
        session.seq += 1
        message = outbound.sequenced(kind, session.seq, payload)
        messages.append(message)
        rows.append(
            RoomEvent(
                session_id=session.pk,
                seq=session.seq,
                type=kind,
                user_id=user_id,
                payload=strict_json.dumps(message),
                created_at=now,
            )
        )
    return messages, rows


def events_append(
    session: InterviewSession, events: list[tuple[str, dict, object]], *, now: datetime
) -> list[dict]:
    """Sequence and log messages that must not be lost, and return them.

    `events` are (type, payload, user id). Call with the session row locked (lock_session) in
    the transaction that makes the change, so seqs are unique and gap-free across processes.
    """
    messages, rows = events_build(session, events, now=now)
    InterviewSession.objects.filter(pk=session.pk).update(seq=session.seq)
    RoomEvent.objects.bulk_create(rows)
    return messages


def event_append(
    session: InterviewSession, event: outbound.Event, *, user_id=None, now: datetime
) -> dict:
    """events_append for one message (`event`: an outbound builder's type and payload)."""
    kind, payload = event
    return events_append(session, [(kind, payload, user_id)], now=now)[0]


def room_join(*, session_id, user: AbstractBaseUser, connection_id: str) -> str:
    """Register an open socket; returns the user's role. PermissionDenied for non-participants
    (and for sessions that do not exist: the room does not say which)."""
    role = (
        Participant.objects.filter(session_id=session_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role is None:
        raise PermissionDenied("Not a participant of this session.")
    RoomConnection.objects.update_or_create(
        id=connection_id,
        defaults={"session_id": session_id, "user": user, "last_seen": timezone.now()},
    )
    return role


def room_leave(*, connection_id: str) -> None:
    RoomConnection.objects.filter(id=connection_id).delete()


def connections_refresh(*, connection_ids: list[str]) -> None:
    """Heartbeat for the sockets this process holds; also forgets long-dead connections."""
    now = timezone.now()
    if connection_ids:
        RoomConnection.objects.filter(id__in=connection_ids).update(last_seen=now)
    RoomConnection.objects.filter(last_seen__lt=now - timedelta(hours=1)).delete()


def _snapshot(session: InterviewSession, step_key: str, reason: str) -> None:
    elements = [
        json.loads(data)
        for data in WhiteboardElement.objects.filter(session_id=session.pk, is_deleted=False)
        .order_by("updated_at", "element_id")
        .values_list("data", flat=True)
    ]
    WhiteboardSnapshot.objects.create(
        session_id=session.pk, step=step_key, reason=reason, seq=session.seq, elements=elements
    )


def _timer_state(session: InterviewSession, now: datetime) -> outbound.Event:
    return outbound.timer_state(server_time=timers.to_ms(now), timer=timers.timer_state(session))


TIMER_COMMANDS = {
    "timer.start": lambda s, now, f: timers.start(s, now),
    "timer.pause": lambda s, now, f: timers.pause(s, now),
    "timer.resume": lambda s, now, f: timers.resume(s, now),
    "timer.next": lambda s, now, f: timers.next_step(s, now),
    "timer.goto": lambda s, now, f: timers.goto(s, f["step"], now),
    "timer.extend": lambda s, now, f: timers.extend(s, f["minutes"], now),
}
TIMER_FIELDS = [
    "status",
    "started_at",
    "current_step",
    "timer_running",
    "segment_started_at",
    "step_seconds",
    "step_extra_seconds",
]


@transaction.atomic
def timer_command(*, session_id, role: str, command: str, fields: dict, user_id=None) -> dict:
    """Apply a timer command for the interviewer; returns the `timer.state` message."""
    require_interviewer(role)
    session = lock_session(session_id)
    now = timezone.now()
    step_before = session.current_step
    TIMER_COMMANDS[command](session, now, fields)
    session.save(update_fields=TIMER_FIELDS)
    if session.current_step != step_before:
        _snapshot(session, STEP_KEYS[step_before], "step_change")
    return event_append(session, _timer_state(session, now), user_id=user_id, now=now)


@transaction.atomic
def timer_auto_advance(*, session_id, expected_step: int) -> dict | None:
    """Move to the next step if the current one is still `expected_step` and its time is up.
    Safe to call from every server process: only the first call advances."""
    session = lock_session(session_id)
    now = timezone.now()
    if session.current_step != expected_step or not timers.auto_advance_due(session, now):
        return None
    timers.next_step(session, now)
    session.save(update_fields=TIMER_FIELDS)
    _snapshot(session, STEP_KEYS[expected_step], "step_change")
    return event_append(session, _timer_state(session, now), now=now)


@transaction.atomic
def chat_send(
    *, session_id, user: AbstractBaseUser, role: str, text: str, client_id: str = ""
) -> tuple[dict, bool]:
    """Store and sequence a chat message; returns (chat.message, is_new). A re-send with a
    client_id already stored returns the stored message and is_new False."""
    if role == Role.OBSERVER:
        raise PermissionDenied("Observers cannot chat.")
    session = lock_session(session_id)
    _require_open(session)
    if client_id:
        existing = ChatMessage.objects.filter(
            session_id=session_id, author=user, client_id=client_id
        ).first()
        if existing:
            return _chat_stored(existing, user.username), False
    if ChatMessage.objects.filter(session_id=session_id).count() >= MAX_CHAT_MESSAGES:
        raise LimitReached(
            "chat_full", f"This interview's chat already holds {MAX_CHAT_MESSAGES} messages."
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            # The row lock makes session.seq + 1 the seq event_append gives this message.
            message = ChatMessage.objects.create(
                session_id=session_id,
                author=user,
                text=text,
                seq=session.seq + 1,
                client_id=client_id,
            )
    except IntegrityError:  # the same client_id raced in from another tab
        existing = ChatMessage.objects.get(session_id=session_id, author=user, client_id=client_id)
        return _chat_stored(existing, user.username), False
    event = outbound.chat_message(entry=chat_entry(message, user.username))
    return event_append(session, event, user_id=user.pk, now=now), True


def _chat_stored(message: ChatMessage, username: str) -> dict:
    """The `chat.message` a re-sent chat line already got (it is not logged again)."""
    kind, payload = outbound.chat_message(entry=chat_entry(message, username))
    return outbound.sequenced(kind, message.seq, payload)


@transaction.atomic
def board_lock(*, session_id, role: str, locked: bool, user_id=None) -> dict:
    require_interviewer(role)
    session = lock_session(session_id)
    _require_open(session)
    session.board_locked = locked
    session.save(update_fields=["board_locked"])
    return event_append(
        session, outbound.board_locked(locked=locked), user_id=user_id, now=timezone.now()
    )


@transaction.atomic
def session_end(*, session_id, role: str, user_id=None) -> dict:
    """End the interview: stop the clock, snapshot the board, make the room read-only and queue
    the feedback report once this commits."""
    require_interviewer(role)
    session = lock_session(session_id)
    _require_open(session)
    now = timezone.now()
    timers.stop(session, now)
    if session.started_at is None:
        session.started_at = now
    session.status = InterviewSession.Status.ENDED
    session.ended_at = now
    session.save(update_fields=[*TIMER_FIELDS, "ended_at"])
    _snapshot(session, STEP_KEYS[session.current_step], "end")
    report = report_queue(session=session)
    session_pk = session.pk
    transaction.on_commit(
        lambda: session_ended.send(sender=InterviewSession, session_id=session_pk)
    )
    event = outbound.session_ended(
        ended_at=now.isoformat(),
        report_status=report.status,
        server_time=timers.to_ms(now),
        timer=timers.timer_state(session),
    )
    return event_append(session, event, user_id=user_id, now=now)


def _require_open(session: InterviewSession) -> None:
    if session.status == InterviewSession.Status.ENDED:
        raise TimerError("session_ended", "The interview has ended; the room is read-only.")


def _open_session_for_interviewer(session_id, role: str) -> InterviewSession:
    require_interviewer(role)
    session = InterviewSession.objects.get(pk=session_id)
    _require_open(session)
    return session


@transaction.atomic
def room_note_save(*, session_id, role: str, step: str, text: str, shared: bool | None) -> dict:
    """Save the interviewer's note for a step; returns the `note.saved` message."""
    session = _open_session_for_interviewer(session_id, role)
    note = note_save(session=session, role=role, step=step, text=text, shared=shared)
    return outbound.note_saved(
        step=note.step, text=note.text, shared=note.shared, updated_at=note.updated_at.isoformat()
    )


@transaction.atomic
def room_score_set(
    *, session_id, role: str, criterion: str, level: int | None, comment: str | None
) -> dict:
    """Set a rubric level (and comment); returns the `score.saved` message."""
    session = _open_session_for_interviewer(session_id, role)
    score = score_set(
        session=session, role=role, criterion_key=criterion, level=level, comment=comment
    )
    return outbound.score_saved(criterion=criterion, level=score.level, comment=score.comment)
