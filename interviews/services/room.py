"""Writes made from the room: joining, timers, chat, board lock, end of interview.

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
from ..room import timers
from ..room.timers import TimerError

# A connection whose server stopped refreshing it for this long no longer counts as online.
PRESENCE_TTL = timedelta(seconds=60)
MAX_REPLAY = 500


def lock_session(session_id) -> InterviewSession:
    return InterviewSession.objects.select_for_update().get(pk=session_id)


def events_build(
    session: InterviewSession, events: list[tuple[str, dict, object]], *, now: datetime
) -> tuple[list[dict], list[RoomEvent]]:
    """Give the next seqs of a locked session to messages that must not be lost; returns the
    messages and their unsaved log rows. The caller stores the rows and the new seq."""
    messages, rows = [], []
    for kind, payload, user_id in events:
        session.seq += 1
        message = {"type": kind, "seq": session.seq, **payload}
        messages.append(message)
        rows.append(
            RoomEvent(
                session_id=session.pk,
                seq=session.seq,
                type=kind,
                user_id=user_id,
                payload=json.dumps(message, separators=(",", ":")),
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
    session: InterviewSession, kind: str, payload: dict, *, user_id=None, now: datetime
) -> dict:
    """events_append for one message."""
    return events_append(session, [(kind, payload, user_id)], now=now)[0]


def events_since(*, session_id, last_seq: int) -> list[dict] | None:
    """Messages after `last_seq`, oldest first; None when more than MAX_REPLAY were missed (the
    client should take a fresh snapshot instead)."""
    texts = list(
        RoomEvent.objects.filter(session_id=session_id, seq__gt=last_seq)
        .order_by("seq")
        .values_list("payload", flat=True)[: MAX_REPLAY + 1]
    )
    if len(texts) > MAX_REPLAY:
        return None
    rows = [json.loads(text) for text in texts]
    now_ms = timers.to_ms(timezone.now())
    for message in rows:
        if "server_time" in message:
            # server_time tells the client the server's clock when the message is sent.
            message["server_time"] = now_ms
    return rows


def presence(*, session_id) -> list[dict]:
    since = timezone.now() - PRESENCE_TTL
    online = set(
        RoomConnection.objects.filter(session_id=session_id, last_seen__gte=since).values_list(
            "user_id", flat=True
        )
    )
    return [
        {
            "user_id": p.user_id,
            "username": p.user.username,
            "role": p.role,
            "online": p.user_id in online,
        }
        for p in Participant.objects.filter(session_id=session_id).select_related("user")
    ]


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


def _require_interviewer(role: str) -> None:
    if role != Role.INTERVIEWER:
        raise PermissionDenied("Only the interviewer can do this.")


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


def _timer_message(session: InterviewSession, now: datetime) -> dict:
    return {"server_time": timers.to_ms(now), "timer": timers.timer_state(session)}


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
    _require_interviewer(role)
    session = lock_session(session_id)
    now = timezone.now()
    step_before = session.current_step
    TIMER_COMMANDS[command](session, now, fields)
    session.save(update_fields=TIMER_FIELDS)
    if session.current_step != step_before:
        _snapshot(session, STEP_KEYS[step_before], "step_change")
    return event_append(
        session, "timer.state", _timer_message(session, now), user_id=user_id, now=now
    )


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
    return event_append(session, "timer.state", _timer_message(session, now), now=now)


def _require_open(session: InterviewSession) -> None:
    if session.status == InterviewSession.Status.ENDED:
        raise TimerError("session_ended", "The interview has ended; the room is read-only.")


def chat_message_data(message: ChatMessage, username: str) -> dict:
    return {
        "seq": message.seq,
        "author": username,
        "author_id": message.author_id,
        "text": message.text,
        "sent_at": message.created_at.isoformat(),
        "client_id": message.client_id,
    }


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
            data = chat_message_data(existing, user.username)
            return {"type": "chat.message", "seq": existing.seq, "message": data}, False
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
        data = chat_message_data(existing, user.username)
        return {"type": "chat.message", "seq": existing.seq, "message": data}, False
    payload = {"message": chat_message_data(message, user.username)}
    return event_append(session, "chat.message", payload, user_id=user.pk, now=now), True


@transaction.atomic
def board_lock(*, session_id, role: str, locked: bool, user_id=None) -> dict:
    _require_interviewer(role)
    session = lock_session(session_id)
    _require_open(session)
    session.board_locked = locked
    session.save(update_fields=["board_locked"])
    return event_append(
        session, "board.locked", {"locked": locked}, user_id=user_id, now=timezone.now()
    )


@transaction.atomic
def session_end(*, session_id, role: str, user_id=None) -> dict:
    """End the interview: stop the clock, snapshot the board, make the room read-only and queue
    the feedback report once this commits."""
    from ..tasks import build_report
    from .reports import report_request

    _require_interviewer(role)
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
    report = report_request(session=session)
    transaction.on_commit(lambda: build_report.delay(str(session.pk)))
    payload = {
        "ended_at": now.isoformat(),
        "report_status": report.status,
        **_timer_message(session, now),
    }
    return event_append(session, "session.ended", payload, user_id=user_id, now=now)


def _open_session_for_interviewer(session_id, role: str) -> InterviewSession:
    _require_interviewer(role)
    session = InterviewSession.objects.get(pk=session_id)
    _require_open(session)
    return session


@transaction.atomic
def room_note_save(*, session_id, role: str, step: str, text: str, shared: bool | None) -> dict:
    """Save the interviewer's note for a step; returns the `note.saved` message."""
    from .sessions import note_save

    session = _open_session_for_interviewer(session_id, role)
    note = note_save(session=session, role=role, step=step, text=text, shared=shared)
    return {
        "type": "note.saved",
        "note": {
            "step": note.step,
            "text": note.text,
            "shared": note.shared,
            "updated_at": note.updated_at.isoformat(),
        },
    }


@transaction.atomic
def room_score_set(
    *, session_id, role: str, criterion: str, level: int | None, comment: str | None
) -> dict:
    """Set a rubric level (and comment); returns the `score.saved` message."""
    from .sessions import score_set

    session = _open_session_for_interviewer(session_id, role)
    score = score_set(
        session=session, role=role, criterion_key=criterion, level=level, comment=comment
    )
    return {
        "type": "score.saved",
        "score": {"criterion": criterion, "level": score.level, "comment": score.comment},
    }
