"""Merging whiteboard updates into the stored scene.

Excalidraw's rule decides which copy of an element wins: the higher `version`; on equal
versions the lower `versionNonce`. A batch holds updates from any number of rooms (the writer
groups them to commit many at once). The rooms' session rows are locked first, in a fixed
order, so two server processes merging into the same room take turns and a stale element never
overwrites a newer one, whatever the arrival order. A batch costs the same handful of
statements however many rooms and updates it holds.
"""

import json
import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from ..models import InterviewSession, Role, RoomEvent, WhiteboardElement


@dataclass
class WhiteboardWrite:
    session_id: object
    user_id: int
    role: str
    elements: list[dict]
    # Filled in by whiteboard_apply_batch:
    accepted: list[dict] = field(default_factory=list)
    message: dict | None = None  # {"type", "seq"} of the whiteboard.update, if any accepted
    message_text: str = ""  # that message as sent to the room
    error: tuple[str, str] | None = None  # (code, message) when the update was refused


def wins(new: dict, stored: tuple[int, int] | None) -> bool:
    """Whether element `new` replaces the stored (version, versionNonce)."""
    if stored is None:
        return True
    version, nonce = stored
    return new["version"] > version or (new["version"] == version and new["versionNonce"] < nonce)


def _refusal(session: InterviewSession, write: WhiteboardWrite) -> tuple[str, str] | None:
    if session.status == InterviewSession.Status.ENDED:
        return "session_ended", "The interview has ended; the board is read-only."
    if write.role == Role.OBSERVER:
        return "forbidden", "Observers cannot draw."
    if session.board_locked and write.role != Role.INTERVIEWER:
        return "board_locked", "The interviewer has locked the board."
    return None


@transaction.atomic
def whiteboard_apply_batch(writes: list[WhiteboardWrite]) -> list[WhiteboardWrite]:
    """Merge every write in one transaction; fills in accepted / message / error per write.
    Writes to one room are applied in the order given."""
    room_ids = sorted({str(w.session_id) for w in writes})
    # The lock order (by id) keeps two processes with overlapping batches from deadlocking.
    sessions = {
        str(s.pk): s
        for s in InterviewSession.objects.select_for_update()
        .filter(pk__in=room_ids)
        .order_by("pk")
        .only("id", "seq", "status", "board_locked")
    }
    element_ids = {e["id"] for w in writes for e in w.elements}
    stored = {
        (str(session_id), element_id): (version, nonce)
        for session_id, element_id, version, nonce in WhiteboardElement.objects.filter(
            session_id__in=room_ids, element_id__in=element_ids
        ).values_list("session_id", "element_id", "version", "version_nonce")
    }
    winners: dict[tuple[str, str], dict] = {}
    for write in writes:
        room = str(write.session_id)
        write.error = _refusal(sessions[room], write)
        if write.error:
            continue
        for element in write.elements:
            key = (room, element["id"])
            if wins(element, stored.get(key)):
                stored[key] = (element["version"], element["versionNonce"])
                winners[key] = element
                write.accepted.append(element)
    if not winners:
        return writes

    now = timezone.now()
    # Each accepted element is serialized once: the same text is stored as the element, inside
    # the logged event, and sent to the room.
    texts = {key: _dumps(element) for key, element in winners.items()}
    _upsert_elements(winners, texts, now)
    events = []
    changed_rooms = set()
    for write in writes:
        if not write.accepted:
            continue
        room = str(write.session_id)
        session = sessions[room]
        session.seq += 1
        changed_rooms.add(room)
        # An element updated twice in one batch is stored once (its last version), but each
        # update is logged and sent with its own version.
        elements = ",".join(
            texts[(room, e["id"])] if winners[(room, e["id"])] is e else _dumps(e)
            for e in write.accepted
        )
        write.message_text = (
            f'{{"type":"whiteboard.update","seq":{session.seq},"user_id":{write.user_id},'
            f'"elements":[{elements}]}}'
        )
        write.message = {"type": "whiteboard.update", "seq": session.seq}
        events.append((room, session.seq, write.user_id, write.message_text))
    InterviewSession.objects.filter(pk__in=changed_rooms).update(
        seq=Case(*(When(pk=room, then=Value(sessions[room].seq)) for room in changed_rooms))
    )
    _insert_events(events, now)
    return writes


def _dumps(element: dict) -> str:
    return json.dumps(element, separators=(",", ":"))


def _session_param(room: str):
    return InterviewSession._meta.pk.get_db_prep_value(uuid.UUID(room), connection)


def _upsert_elements(winners: dict, texts: dict, now) -> None:
    """One INSERT ... ON CONFLICT for every winning element (PostgreSQL and SQLite alike).
    Raw SQL because this is the per-update hot path: no model instances, JSON dumped once."""
    table = WhiteboardElement._meta.db_table
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows, params = [], []
    for (room, element_id), element in winners.items():
        rows.append("(%s, %s, %s, %s, %s, %s, %s)")
        params += [
            _session_param(room),
            element_id,
            element["version"],
            element["versionNonce"],
            element["isDeleted"],
            texts[(room, element_id)],
            stamp,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (session_id, element_id, version, version_nonce, is_deleted,"
            f" data, updated_at) VALUES {', '.join(rows)}"
            " ON CONFLICT (session_id, element_id) DO UPDATE SET version = excluded.version,"
            " version_nonce = excluded.version_nonce, is_deleted = excluded.is_deleted,"
            " data = excluded.data, updated_at = excluded.updated_at",
            params,
        )


def _insert_events(events: list[tuple[str, int, int, str]], now) -> None:
    table = RoomEvent._meta.db_table
    stamp = connection.ops.adapt_datetimefield_value(now)
    rows, params = [], []
    for room, seq, user_id, text in events:
        rows.append("(%s, %s, %s, %s, %s, %s)")
        params += [_session_param(room), seq, "whiteboard.update", user_id, text, stamp]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (session_id, seq, type, user_id, payload, created_at)"
            f" VALUES {', '.join(rows)}",
            params,
        )


def whiteboard_scene(*, session_id) -> list[dict]:
    """The merged scene, tombstones included (clients need them to delete their copies)."""
    return list(
        WhiteboardElement.objects.filter(session_id=session_id)
        .order_by("updated_at", "element_id")
        .values_list("data", flat=True)
    )
