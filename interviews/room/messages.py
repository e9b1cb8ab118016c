"""Inbound room messages: one schema per type, checked before anything else runs.

`parse(raw)` turns a text frame into `(type, fields)` or raises ProtocolError with the code the
client gets back in an `error` message. Limits are per type (docs/protocol.md).
"""

import json
import math
from typing import Any

from casestudies.framework import STEP_KEYS

MAX_FRAME_BYTES = 1024 * 1024
MAX_ELEMENTS = 2000
MAX_ELEMENT_BYTES = 64 * 1024
MAX_ELEMENT_ID = 64
MAX_CHAT_CHARS = 2000
MAX_NOTE_CHARS = 20000
MAX_COMMENT_CHARS = 4000
MAX_REF_CHARS = 64
MAX_SELECTED_IDS = 200
MAX_EXTEND_MINUTES = 30
# Small frames cannot hold an element above the per-element limit, so only big frames pay for
# measuring each element.
_SMALL_FRAME = MAX_ELEMENT_BYTES


class ProtocolError(Exception):
    def __init__(self, code: str, message: str, ref: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref


def _bad(message: str) -> ProtocolError:
    return ProtocolError("bad_message", message)


def _int(data: dict, key: str, *, low: int, high: int) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(f"'{key}' must be a whole number from {low} to {high}.")
    return value


def _text(data: dict, key: str, *, limit: int, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _bad(f"'{key}' must be text.")
    if len(value) > limit:
        raise ProtocolError("too_large", f"'{key}' is longer than {limit} characters.")
    return value


def _number(data: dict, key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"'{key}' must be a number.")
    return value


def _element(raw: Any, index: int, measure: bool) -> dict:
    if not isinstance(raw, dict):
        raise _bad(f"elements[{index}] must be an object.")
    element_id = raw.get("id")
    if not isinstance(element_id, str) or not 0 < len(element_id) <= MAX_ELEMENT_ID:
        raise _bad(f"elements[{index}].id must be text of 1-{MAX_ELEMENT_ID} characters.")
    for key in ("version", "versionNonce"):
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**62:
            raise _bad(f"elements[{index}].{key} must be a whole number.")
    if raw["version"] < 1:
        raise _bad(f"elements[{index}].version must be at least 1.")
    if not isinstance(raw.get("isDeleted"), bool):
        raise _bad(f"elements[{index}].isDeleted must be true or false.")
    if not isinstance(raw.get("type"), str) or not 0 < len(raw["type"]) <= 32:
        raise _bad(f"elements[{index}].type must be text.")
    if measure and len(json.dumps(raw)) > MAX_ELEMENT_BYTES:
        raise ProtocolError("too_large", f"elements[{index}] is larger than 64 KB.")
    return raw


def _whiteboard_update(data: dict, frame_bytes: int) -> dict:
    elements = data.get("elements")
    if not isinstance(elements, list):
        raise _bad("'elements' must be a list.")
    if len(elements) > MAX_ELEMENTS:
        raise ProtocolError("too_large", f"At most {MAX_ELEMENTS} elements per update.")
    measure = frame_bytes > _SMALL_FRAME
    checked = [_element(raw, i, measure) for i, raw in enumerate(elements)]
    if len({e["id"] for e in checked}) != len(checked):
        raise _bad("An element id appears twice in one update.")
    return {"elements": checked}


def _pointer(data: dict, frame_bytes: int) -> dict:
    button = data.get("button", "up")
    if button not in ("up", "down"):
        raise _bad("'button' must be 'up' or 'down'.")
    selected = data.get("selected_ids", [])
    if (
        not isinstance(selected, list)
        or len(selected) > MAX_SELECTED_IDS
        or not all(isinstance(i, str) and len(i) <= MAX_ELEMENT_ID for i in selected)
    ):
        raise _bad(f"'selected_ids' must be a list of at most {MAX_SELECTED_IDS} element ids.")
    return {
        "x": _number(data, "x"),
        "y": _number(data, "y"),
        "button": button,
        "selected_ids": selected,
    }


USER_STATES = ("active", "idle", "away")


def _user_state(data: dict, frame_bytes: int) -> dict:
    if data.get("state") not in USER_STATES:
        raise _bad(f"'state' must be one of {', '.join(USER_STATES)}.")
    return {"state": data["state"]}


def _chat_send(data: dict, frame_bytes: int) -> dict:
    text = _text(data, "text", limit=MAX_CHAT_CHARS).strip()
    if not text:
        raise _bad("A chat message cannot be empty.")
    client_id = _text(data, "client_id", limit=MAX_REF_CHARS, required=False) or ""
    return {"text": text, "client_id": client_id}


def _no_fields(data: dict, frame_bytes: int) -> dict:
    return {}


def _timer_goto(data: dict, frame_bytes: int) -> dict:
    step = data.get("step")
    if step not in STEP_KEYS:
        raise _bad(f"'step' must be one of {', '.join(STEP_KEYS)}.")
    return {"step": step}


def _timer_extend(data: dict, frame_bytes: int) -> dict:
    return {"minutes": _int(data, "minutes", low=1, high=MAX_EXTEND_MINUTES)}


def _note_save(data: dict, frame_bytes: int) -> dict:
    step = data.get("step")
    if step not in STEP_KEYS:
        raise _bad(f"'step' must be one of {', '.join(STEP_KEYS)}.")
    shared = data.get("shared")
    if shared is not None and not isinstance(shared, bool):
        raise _bad("'shared' must be true or false.")
    return {"step": step, "text": _text(data, "text", limit=MAX_NOTE_CHARS), "shared": shared}


def _score_set(data: dict, frame_bytes: int) -> dict:
    criterion = _text(data, "criterion", limit=80)
    level = data.get("level")
    if level is not None:
        level = _int(data, "level", low=1, high=4)
    comment = _text(data, "comment", limit=MAX_COMMENT_CHARS, required=False)
    return {"criterion": criterion, "level": level, "comment": comment}


def _board_lock(data: dict, frame_bytes: int) -> dict:
    if not isinstance(data.get("locked"), bool):
        raise _bad("'locked' must be true or false.")
    return {"locked": data["locked"]}


def _sync(data: dict, frame_bytes: int) -> dict:
    return {"last_seq": _int(data, "last_seq", low=0, high=2**62)}


SCHEMAS = {
    "whiteboard.update": _whiteboard_update,
    "pointer": _pointer,
    "user.state": _user_state,
    "chat.send": _chat_send,
    "timer.start": _no_fields,
    "timer.pause": _no_fields,
    "timer.resume": _no_fields,
    "timer.next": _no_fields,
    "timer.goto": _timer_goto,
    "timer.extend": _timer_extend,
    "note.save": _note_save,
    "score.set": _score_set,
    "board.lock": _board_lock,
    "session.end": _no_fields,
    "sync": _sync,
    "ping": _no_fields,
}


def parse(raw: str) -> tuple[str, dict, str | None]:
    """Check one text frame; return (type, fields, ref)."""
    size = len(raw)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError("too_large", "Frames are limited to 1 MB.")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ProtocolError("bad_json", "The frame is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise _bad("A message must be a JSON object.")
    ref = data.get("ref")
    if ref is not None and (not isinstance(ref, str) or len(ref) > MAX_REF_CHARS):
        raise _bad(f"'ref' must be text of at most {MAX_REF_CHARS} characters.")
    kind = data.get("type")
    schema = SCHEMAS.get(kind) if isinstance(kind, str) else None
    if schema is None:
        raise ProtocolError("unknown_type", f"Unknown message type {kind!r}.", ref)
    try:
        return kind, schema(data, size), ref
    except ProtocolError as exc:
        exc.ref = ref
        raise
