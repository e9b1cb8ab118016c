"""Merging whiteboard updates into the stored scene.

Excalidraw's rule decides which copy of an element wins: the higher `version`; on equal
versions the lower `versionNonce`. A batch holds updates from any number of rooms (the writer
groups them to commit many at once); per room, the session row is locked first, so two server
processes merging into the same room take turns and a stale element never overwrites a newer
one, whatever the arrival order.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from ..models import InterviewSession, Role, WhiteboardElement
from .room import events_append, lock_session


@dataclass
class WhiteboardWrite:
    session_id: object
    user_id: int
    role: str
    elements: list[dict]
    # Filled in by whiteboard_apply_batch:
    accepted: list[dict] = field(default_factory=list)
    message: dict | None = None  # the whiteboard.update message, when anything was accepted
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


def _apply_room(session_id, writes: list[WhiteboardWrite]) -> None:
    session = lock_session(session_id)
    ids = {e["id"] for w in writes for e in w.elements}
    stored = {
        element_id: (version, nonce)
        for element_id, version, nonce in WhiteboardElement.objects.filter(
            session_id=session_id, element_id__in=ids
        ).values_list("element_id", "version", "version_nonce")
    }
    winners: dict[str, dict] = {}
    for write in writes:
        write.error = _refusal(session, write)
        if write.error:
            continue
        for element in write.elements:
            if wins(element, stored.get(element["id"])):
                stored[element["id"]] = (element["version"], element["versionNonce"])
                winners[element["id"]] = element
                write.accepted.append(element)
    if not winners:
        return
    now = timezone.now()
    WhiteboardElement.objects.bulk_create(
        [
            WhiteboardElement(
                session_id=session_id,
                element_id=element["id"],
                version=element["version"],
                version_nonce=element["versionNonce"],
                is_deleted=element["isDeleted"],
                data=element,
                updated_at=now,
            )
            for element in winners.values()
        ],
        update_conflicts=True,
        unique_fields=["session", "element_id"],
        update_fields=["version", "version_nonce", "is_deleted", "data", "updated_at"],
    )
    changed = [write for write in writes if write.accepted]
    messages = events_append(
        session,
        [
            ("whiteboard.update", {"user_id": w.user_id, "elements": w.accepted}, w.user_id)
            for w in changed
        ],
        now=now,
    )
    for write, message in zip(changed, messages, strict=True):
        write.message = message


@transaction.atomic
def whiteboard_apply_batch(writes: list[WhiteboardWrite]) -> list[WhiteboardWrite]:
    """Merge every write in one transaction; fills in accepted / message / error per write,
    in the order the writes arrived (per room)."""
    by_room: dict[object, list[WhiteboardWrite]] = {}
    for write in writes:
        by_room.setdefault(write.session_id, []).append(write)
    # A fixed lock order keeps two processes with overlapping batches from deadlocking.
    for session_id in sorted(by_room, key=str):
        _apply_room(session_id, by_room[session_id])
    return writes


def whiteboard_scene(*, session_id) -> list[dict]:
    """The merged scene, tombstones included (clients need them to delete their copies)."""
    return list(
        WhiteboardElement.objects.filter(session_id=session_id)
        .order_by("updated_at", "element_id")
        .values_list("data", flat=True)
    )
