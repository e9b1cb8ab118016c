"""Reads of the room, filtered by who is asking: the `state` snapshot, the log since a seq,
presence."""

import json
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from config import strict_json
from rubrics.apis import RubricDetailOutput

from ..media.call import call_config
from ..models import (
    ChatMessage,
    InterviewSession,
    Note,
    Participant,
    Role,
    RoomConnection,
    RoomEvent,
    Score,
    WhiteboardElement,
)
from ..protocol import outbound
from ..recordings.selectors import recording_room_data
from ..sessions.selectors import GUIDE_WITHHELD, guide_for
from . import timers

MAX_REPLAY = 500


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


def presence_heartbeat_seconds() -> float:
    """How often each server process refreshes its sockets' rows and checks its rooms'
    presence: a quarter of ROOM_PRESENCE_TIMEOUT_SECONDS."""
    return settings.ROOM_PRESENCE_TIMEOUT_SECONDS / 4


def presence_stale_after() -> timedelta:
    """A connection whose server has not refreshed it for three heartbeats is offline.

    A live process must miss two heartbeats in a row before its sockets flicker offline; a
    dead process's sockets are offline at most three heartbeats after it died, and the other
    processes see it at their next check: within ROOM_PRESENCE_TIMEOUT_SECONDS."""
    return timedelta(seconds=3 * presence_heartbeat_seconds())


def presence_many(*, session_ids: list[str]) -> dict[str, list[dict]]:
    """Each session's participants and whether any socket of theirs is online, in join order."""
    since = timezone.now() - presence_stale_after()
    online = set(
        RoomConnection.objects.filter(session_id__in=session_ids, last_seen__gte=since).values_list(
            "session_id", "user_id"
        )
    )
    rooms: dict[str, list[dict]] = {str(session_id): [] for session_id in session_ids}
    for p in Participant.objects.filter(session_id__in=session_ids).select_related("user"):
        rooms[str(p.session_id)].append(
            {
                "user_id": p.user_id,
                "username": p.user.username,
                "role": p.role,
                "online": (p.session_id, p.user_id) in online,
            }
        )
    return rooms


def presence(*, session_id) -> list[dict]:
    return presence_many(session_ids=[str(session_id)])[str(session_id)]


def presence_texts(*, session_ids: list[str]) -> dict[str, str]:
    """Each room's `presence` message, serialized: what the hub's heartbeat compares with the
    last presence it gave the room's members."""
    return {
        room: strict_json.dumps(outbound.presence(participants=participants))
        for room, participants in presence_many(session_ids=session_ids).items()
    }


def chat_entry(message: ChatMessage, username: str) -> dict:
    return outbound.chat_entry(
        seq=message.seq,
        author=username,
        author_id=message.author_id,
        text=message.text,
        sent_at=message.created_at.isoformat(),
        client_id=message.client_id,
    )


def whiteboard_scene(*, session_id) -> list[dict]:
    """The merged scene, tombstones included (clients need them to delete their copies)."""
    return [
        json.loads(data)
        for data in WhiteboardElement.objects.filter(session_id=session_id)
        .order_by("updated_at", "element_id")
        .values_list("data", flat=True)
    ]


def room_state(*, session_id, user: AbstractBaseUser, role: str) -> dict:
    """The `state` snapshot of the room protocol, filtered by role: notes, scores, the rubric
    and the case's guide only for the interviewer."""
    session = InterviewSession.objects.select_related("case_study", "report").get(pk=session_id)
    now_ms = timers.to_ms(timezone.now())
    chat = [
        chat_entry(message, message.author.username)
        for message in ChatMessage.objects.filter(session_id=session_id).select_related("author")
    ]
    report = getattr(session, "report", None)
    interviewer = None
    if role == Role.INTERVIEWER:
        interviewer = {}
        interviewer["notes"] = {
            note.step: {
                "text": note.text,
                "shared": note.shared,
                "updated_at": note.updated_at.isoformat(),
            }
            for note in Note.objects.filter(session_id=session_id)
        }
        interviewer["scores"] = {
            key: {"level": level, "comment": comment}
            for key, level, comment in Score.objects.filter(session_id=session_id).values_list(
                "criterion__key", "level", "comment"
            )
        }
        interviewer["rubric"] = RubricDetailOutput(session.rubric).data
        guide = guide_for(user=user, session=session, role=role)
        if guide is None:
            interviewer["guide_withheld"] = GUIDE_WITHHELD
        else:
            interviewer["guide"] = guide
    return outbound.state(
        seq=session.seq,
        server_time=now_ms,
        me={"user_id": user.pk, "username": user.username, "role": role},
        session={
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
        participants=presence(session_id=session_id),
        timer=timers.timer_state(session),
        elements=whiteboard_scene(session_id=session_id),
        chat=chat,
        recording=recording_room_data(session),
        call=call_config(user_id=user.pk),
        interviewer=interviewer,
    )
