"""Merging whiteboard updates into the stored scene.

Excalidraw's rule decides which copy of an element wins: the higher `version`; on equal
versions the lower `versionNonce`. A batch holds updates from any number of rooms (the writer
groups them to commit many at once). The rooms' session rows are locked first, in a fixed
order, so two server processes merging into the same room take turns and a stale element never
overwrites a newer one, whatever the arrival order.

This is the hot path of a busy room (20 updates a second per person drawing), so it speaks SQL
directly: a batch costs the same four round trips however many rooms and updates it holds
(lock and read, upsert and log, commit), with no model instances, and each accepted element is
serialized once for the stored row, the log and the wire.

A session's board is capped (interviews/limits.py): the session row counts its stored elements
and their bytes, so the cap costs no extra query.
"""

import uuid
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from config import strict_json

from ..limits import MAX_BOARD_BYTES, MAX_BOARD_ELEMENTS, MAX_ROOM_EVENTS
from ..models import InterviewSession, Role, RoomEvent, WhiteboardElement
from ..protocol import outbound

SESSIONS = InterviewSession._meta.db_table
ELEMENTS = WhiteboardElement._meta.db_table
EVENTS = RoomEvent._meta.db_table


@dataclass
class WhiteboardWrite:
    session_id: object
    user_id: int
    role: str
    elements: list[dict]
    # Filled in by whiteboard_apply_batch:
    accepted: list[dict] = field(default_factory=list)
    seq: int | None = None  # of the logged whiteboard.update, when anything was accepted
    message_text: str = ""  # that message as sent to the room
    error: tuple[str, str] | None = None  # (code, message) when the update was refused


@dataclass
class _Room:
    seq: int
    status: str
    board_locked: bool
    elements: int  # stored elements, tombstones included
    size: int  # their bytes


@dataclass
class _Stored:
    version: int
    nonce: int
    size: int


def wins(new: dict, stored: tuple[int, int] | None) -> bool:
    """Whether element `new` replaces the stored (version, versionNonce)."""
    if stored is None:
        return True
    version, nonce = stored
    return new["version"] > version or (new["version"] == version and new["versionNonce"] < nonce)


BOARD_FULL = (
    "board_full",
    f"The board is full (at most {MAX_BOARD_ELEMENTS} elements and"
    f" {MAX_BOARD_BYTES // (1024 * 1024)} MB); delete something or clear part of it first.",
)
ROOM_FULL = ("room_full", "This interview has logged as many changes as one session may hold.")


def _refusal(room: _Room, write: WhiteboardWrite) -> tuple[str, str] | None:
    if room.status == InterviewSession.Status.ENDED:
        return "session_ended", "The interview has ended; the board is read-only."
    if write.role == Role.OBSERVER:
        return "forbidden", "Observers cannot draw."
    if room.board_locked and write.role != Role.INTERVIEWER:
        return "board_locked", "The interviewer has locked the board."
    if room.seq >= MAX_ROOM_EVENTS:
        return ROOM_FULL
    return None


def _db_id(room: str):
    """A session id as this database stores it (uuid on PostgreSQL, hex text on SQLite)."""
    return InterviewSession._meta.pk.get_db_prep_value(uuid.UUID(room), connection)


def _placeholders(count: int, width: int) -> str:
    row = "(" + ", ".join(["%s"] * width) + ")"
    return ", ".join([row] * count)


def _lock_and_read(room_ids: list[str], element_ids: set[str]):
    """Lock the rooms (in id order: two processes with overlapping batches cannot deadlock)
    and read what is stored of the elements the batch touches."""
    ids = [_db_id(room) for room in room_ids]
    marks = ", ".join(["%s"] * len(ids))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    if connection.vendor == "postgresql":
        size = "octet_length(data)"
    else:
        size = "length(CAST(data AS BLOB))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, seq, status, board_locked, board_elements, board_bytes FROM {SESSIONS}"
            f" WHERE id IN ({marks}) ORDER BY id{lock}",
            ids,
        )
        by_db_id = dict(zip(ids, room_ids, strict=True))
        rooms = {}
        for db_id, seq, status, locked, elements, size_bytes in cursor.fetchall():
            room = by_db_id.get(db_id) or by_db_id.get(_db_id(str(db_id)))
            rooms[room] = _Room(seq, status, bool(locked), elements, size_bytes)
        stored = {}
        if not element_ids:  # an empty update: nothing to read ("IN ()" is not SQL)
            return rooms, stored
        element_marks = ", ".join(["%s"] * len(element_ids))
        cursor.execute(
            f"SELECT session_id, element_id, version, version_nonce, {size} FROM {ELEMENTS}"
            f" WHERE session_id IN ({marks}) AND element_id IN ({element_marks})",
            [*ids, *element_ids],
        )
        for db_id, element_id, version, nonce, element_size in cursor.fetchall():
            room = by_db_id.get(db_id) or by_db_id.get(_db_id(str(db_id)))
            stored[(room, element_id)] = _Stored(version, nonce, element_size)
    return rooms, stored


def _write(winners: dict, texts: dict, events: list, rooms: dict, changed: set, now) -> None:
    """Upsert the winning elements, log the events and move the rooms' seq, in one round trip
    on PostgreSQL (one statement each on SQLite, which takes one statement per call)."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    statements = []
    params: list = []
    for (room, element_id), element in winners.items():
        params += [
            _db_id(room),
            element_id,
            element["version"],
            element["versionNonce"],
            element["isDeleted"],
            texts[(room, element_id)],
            stamp,
        ]
    statements.append(
        (
            f"INSERT INTO {ELEMENTS} (session_id, element_id, version, version_nonce, is_deleted,"
            f" data, updated_at) VALUES {_placeholders(len(winners), 7)}"
            " ON CONFLICT (session_id, element_id) DO UPDATE SET version = excluded.version,"
            " version_nonce = excluded.version_nonce, is_deleted = excluded.is_deleted,"
            " data = excluded.data, updated_at = excluded.updated_at",
            params,
        )
    )
    params = []
    for room, seq, user_id, text in events:
        params += [_db_id(room), seq, "whiteboard.update", user_id, text, stamp]
    statements.append(
        (
            f"INSERT INTO {EVENTS} (session_id, seq, type, user_id, payload, created_at)"
            f" VALUES {_placeholders(len(events), 6)}",
            params,
        )
    )
    ids = [_db_id(room) for room in sorted(changed)]
    cases = " ".join(["WHEN %s THEN %s"] * len(ids))
    params = []
    for column in ("seq", "elements", "size"):
        for db_id, room in zip(ids, sorted(changed), strict=True):
            params += [db_id, getattr(rooms[room], column)]
    statements.append(
        (
            f"UPDATE {SESSIONS} SET seq = CASE id {cases} END,"
            f" board_elements = CASE id {cases} END, board_bytes = CASE id {cases} END"
            f" WHERE id IN ({', '.join(['%s'] * len(ids))})",
            params + ids,
        )
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "; ".join(sql for sql, _ in statements), [p for _, ps in statements for p in ps]
            )
        else:
            for sql, ps in statements:
                cursor.execute(sql, ps)


def _merge(write: WhiteboardWrite, room: _Room, stored: dict) -> list[tuple[dict, str, int]]:
    """The elements of `write` that win over what is stored, each with its JSON text and size;
    sets write.error instead when the write is refused or would overfill the board."""
    write.error = _refusal(room, write)
    if write.error:
        return []
    session = str(write.session_id)
    merged, rows, size = [], 0, 0
    for element in write.elements:
        before = stored.get((session, element["id"]))
        if not wins(element, before and (before.version, before.nonce)):
            continue
        try:
            text = strict_json.dumps(element)
        except ValueError:
            write.error = ("bad_message", f"Element {element['id']} is not valid JSON.")
            return []
        element_size = len(text.encode())
        rows += before is None
        size += element_size - (before.size if before else 0)
        merged.append((element, text, element_size))
    if room.elements + rows > MAX_BOARD_ELEMENTS or room.size + size > MAX_BOARD_BYTES:
        write.error = BOARD_FULL
        return []
    room.elements += rows
    room.size += size
    return merged


@transaction.atomic
def whiteboard_apply_batch(writes: list[WhiteboardWrite]) -> list[WhiteboardWrite]:
    """Merge every write in one transaction; fills in accepted / seq / message_text / error per
    write. Writes to one room are applied in the order given."""
    room_ids = sorted({str(w.session_id) for w in writes})
    rooms, stored = _lock_and_read(room_ids, {e["id"] for w in writes for e in w.elements})
    winners: dict[tuple[str, str], dict] = {}
    texts: dict[tuple[str, str], str] = {}
    events, changed = [], set()
    for write in writes:
        session = str(write.session_id)
        room = rooms[session]
        merged = _merge(write, room, stored)
        if not merged:
            continue
        for element, text, size in merged:
            key = (session, element["id"])
            stored[key] = _Stored(element["version"], element["versionNonce"], size)
            winners[key] = element
            # An element updated twice in one batch is stored once (its last version), but
            # each update is logged and sent with its own version.
            texts[key] = text
            write.accepted.append(element)
        room.seq += 1
        changed.add(session)
        write.seq = room.seq
        elements = ",".join(text for _, text, _ in merged)
        write.message_text = outbound.whiteboard_update_text(
            seq=write.seq, user_id=write.user_id, elements=elements
        )
        events.append((session, write.seq, write.user_id, write.message_text))
    if winners:
        _write(winners, texts, events, rooms, changed, timezone.now())
    return writes
