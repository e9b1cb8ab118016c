"""The board at any moment of an ended interview, from the room's log. Pure functions.

The log holds exactly the elements the server accepted, in `seq` order, so the board after an
event is the board before it with those elements put in by id (each was the winning copy when
it was logged). A keyframe is the whole board after one event; the board at a moment is the
last keyframe at or before it with the later changes applied. Keyframes are taken every
KEYFRAME_CHANGES logged updates, or sooner when the updates since the last one hold
KEYFRAME_BYTES, so the changes a reader applies after a keyframe stay few and small whatever
the session.

An event's replay time is the latest logging time up to its seq: logging times follow seq
order within a few milliseconds, and a time that never goes back lets a reader stop at the
first change past the moment.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

KEYFRAME_CHANGES = 250
KEYFRAME_BYTES = 256 * 1024


@dataclass(frozen=True)
class Change:
    seq: int
    at_ms: int  # replay time (never earlier than the change before)
    user_id: int | None
    elements: list[dict]


@dataclass(frozen=True)
class Keyframe:
    seq: int
    at_ms: int
    scene: dict[str, dict]  # element id -> element, in order of first appearance


def changes_from_log(rows: Iterable[tuple[int, int, int | None, str]], *, floor_ms: int = 0):
    """Changes from (seq, logged at ms, user id, whiteboard.update text) in seq order, with
    replay times that never go back (nor below `floor_ms`). Yields (Change, its text's bytes)."""
    at_ms = floor_ms
    for seq, logged_ms, user_id, text in rows:
        at_ms = max(at_ms, logged_ms)
        elements = json.loads(text).get("elements")
        yield Change(seq, at_ms, user_id, elements if isinstance(elements, list) else []), len(text)


def scene_apply(scene: dict[str, dict], elements: list) -> None:
    for element in elements:
        if isinstance(element, dict) and isinstance(element.get("id"), str):
            scene[element["id"]] = element


def keyframes_build(changes: Iterable[tuple[Change, int]], *, start_ms: int) -> Iterator[Keyframe]:
    """The keyframes of a log: the empty board at `start_ms` (before anything was logged), then
    one after every KEYFRAME_CHANGES updates or KEYFRAME_BYTES of them."""
    scene: dict[str, dict] = {}
    yield Keyframe(0, start_ms, {})
    count = size = 0
    for change, nbytes in changes:
        scene_apply(scene, change.elements)
        count += 1
        size += nbytes
        if count >= KEYFRAME_CHANGES or size >= KEYFRAME_BYTES:
            yield Keyframe(change.seq, change.at_ms, dict(scene))
            count = size = 0


def scene_at(base: dict[str, dict], changes: Iterable[Change], at_ms: int) -> dict[str, dict]:
    """The board at `at_ms`: `base` (a keyframe's scene, or empty) with the changes logged up
    to that moment applied. `changes` follow the base, in seq order."""
    scene = dict(base)
    for change in changes:
        if change.at_ms > at_ms:
            break
        scene_apply(scene, change.elements)
    return scene
