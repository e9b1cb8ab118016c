"""Inbound room messages: one schema per type, checked before anything else runs.

`parse(raw)` turns a text frame into `(type, fields)` or raises ProtocolError with the code the
client gets back in an `error` message. Frames are parsed strictly (config.strict_json: no NaN
or Infinity, no NUL or lone surrogates, bounded nesting); limits are per type and count UTF-8
bytes (interviews/limits.py, documented in docs/protocol.md).
"""

import math
import re
from typing import Any

from casestudies.framework import STEP_KEYS
from config import strict_json

from ..limits import (
    MAX_CALL_PEER_CHARS,
    MAX_CANDIDATE_BYTES,
    MAX_CHAT_BYTES,
    MAX_COMMENT_BYTES,
    MAX_ELEMENT_BYTES,
    MAX_ELEMENT_ID_CHARS,
    MAX_ELEMENTS_PER_UPDATE,
    MAX_EXTEND_MINUTES,
    MAX_FRAME_BYTES,
    MAX_JSON_DEPTH,
    MAX_NOTE_BYTES,
    MAX_REF_CHARS,
    MAX_SAFE_INTEGER,
    MAX_SDP_BYTES,
    MAX_SDP_MID_CHARS,
    MAX_SELECTED_IDS,
    utf8_size,
)
from .elements import ElementError, check_element

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
    """Text of at most `limit` UTF-8 bytes."""
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _bad(f"'{key}' must be text.")
    if len(value) > limit // 4 and utf8_size(value) > limit:
        raise ProtocolError("too_large", f"'{key}' is longer than {limit} bytes.")
    return value


def _number(data: dict, key: str) -> float:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"'{key}' must be a number.")
    return value


def _element(raw: Any, index: int, measure: bool) -> dict:
    try:
        element = check_element(raw)
    except ElementError as exc:
        raise _bad(f"elements[{index}]: {exc}.") from exc
    if measure and utf8_size(strict_json.dumps(element)) > MAX_ELEMENT_BYTES:
        raise ProtocolError("too_large", f"elements[{index}] is larger than 64 KB.")
    return element


def _whiteboard_update(data: dict, frame_bytes: int) -> dict:
    elements = data.get("elements")
    if not isinstance(elements, list):
        raise _bad("'elements' must be a list.")
    if len(elements) > MAX_ELEMENTS_PER_UPDATE:
        raise ProtocolError("too_large", f"At most {MAX_ELEMENTS_PER_UPDATE} elements per update.")
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
        or not all(isinstance(i, str) and len(i) <= MAX_ELEMENT_ID_CHARS for i in selected)
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
    text = _text(data, "text", limit=MAX_CHAT_BYTES).strip()
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
    return {"step": step, "text": _text(data, "text", limit=MAX_NOTE_BYTES), "shared": shared}


def _score_set(data: dict, frame_bytes: int) -> dict:
    criterion = _text(data, "criterion", limit=80)
    level = data.get("level")
    if level is not None:
        level = _int(data, "level", low=1, high=4)
    comment = _text(data, "comment", limit=MAX_COMMENT_BYTES, required=False)
    return {"criterion": criterion, "level": level, "comment": comment}


def _board_lock(data: dict, frame_bytes: int) -> dict:
    if not isinstance(data.get("locked"), bool):
        raise _bad("'locked' must be true or false.")
    return {"locked": data["locked"]}


def _sync(data: dict, frame_bytes: int) -> dict:
    return {"last_seq": _int(data, "last_seq", low=0, high=MAX_SAFE_INTEGER)}


_PEER_ID = re.compile(rf"[A-Za-z0-9_-]{{1,{MAX_CALL_PEER_CHARS}}}")


def _peer_id(data: dict, key: str, *, required: bool) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _PEER_ID.fullmatch(value):
        raise _bad(f"'{key}' must be 1-{MAX_CALL_PEER_CHARS} letters, digits, '_' or '-'.")
    return value


def _only_keys(data: dict, name: str, allowed: set[str]) -> None:
    extra = set(data) - allowed
    if extra:
        raise _bad(f"'{name}' has unknown fields: {', '.join(sorted(extra))}.")


def _description(raw: Any) -> dict:
    if not isinstance(raw, dict):
        raise _bad("'description' must be an object.")
    _only_keys(raw, "description", {"type", "sdp"})
    if raw.get("type") not in ("offer", "answer"):
        raise _bad("'description.type' must be 'offer' or 'answer'.")
    sdp = _text(raw, "sdp", limit=MAX_SDP_BYTES)
    if not sdp.startswith("v=0"):
        raise _bad("'description.sdp' is not a session description.")
    return {"type": raw["type"], "sdp": sdp}


def _candidate(raw: Any) -> dict:
    if not isinstance(raw, dict):
        raise _bad("'candidate' must be an object.")
    _only_keys(raw, "candidate", {"candidate", "sdpMid", "sdpMLineIndex", "usernameFragment"})
    # An empty `candidate` is the end-of-candidates marker of one ICE generation.
    line = _text(raw, "candidate", limit=MAX_CANDIDATE_BYTES)
    if line and not line.startswith("candidate:"):
        raise _bad("'candidate.candidate' is not an ICE candidate line.")
    mid = _text(raw, "sdpMid", limit=MAX_SDP_MID_CHARS, required=False)
    index = raw.get("sdpMLineIndex")
    if index is not None:
        index = _int(raw, "sdpMLineIndex", low=0, high=1023)
    if mid is None and index is None:
        raise _bad("A candidate needs 'sdpMid' or 'sdpMLineIndex'.")
    fragment = _text(raw, "usernameFragment", limit=256, required=False)
    return {"candidate": line, "sdpMid": mid, "sdpMLineIndex": index, "usernameFragment": fragment}


def _call_signal(data: dict, frame_bytes: int) -> dict:
    """WebRTC signalling to one participant: a description, a candidate, or neither (a hello
    that tells the other side which peer connection of ours is current)."""
    fields = {
        "to": _int(data, "to", low=1, high=MAX_SAFE_INTEGER),
        "peer": _peer_id(data, "peer", required=True),
        "to_peer": _peer_id(data, "to_peer", required=False),
    }
    if "description" in data and "candidate" in data:
        raise _bad("Send a description or a candidate, not both.")
    if "description" in data:
        fields["description"] = _description(data["description"])
    elif "candidate" in data:
        fields["candidate"] = _candidate(data["candidate"])
    return fields


def _call_media(data: dict, frame_bytes: int) -> dict:
    for key in ("audio", "video"):
        if not isinstance(data.get(key), bool):
            raise _bad(f"'{key}' must be true or false.")
    return {"audio": data["audio"], "video": data["video"]}


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
    "call.signal": _call_signal,
    "call.media": _call_media,
}


def parse(raw: str) -> tuple[str, dict, str | None]:
    """Check one text frame; return (type, fields, ref)."""
    # A character is at most 4 bytes: a frame this short is within every per-frame and
    # per-element byte limit without being encoded to measure it.
    size = len(raw) if len(raw) <= _SMALL_FRAME // 4 else utf8_size(raw)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError("too_large", "Frames are limited to 1 MB.")
    try:
        data = strict_json.loads(raw, max_depth=MAX_JSON_DEPTH)
    except strict_json.StrictJSONError as exc:
        code = "bad_json" if exc.code == "bad_json" else "bad_message"
        raise ProtocolError(code, exc.message) from exc
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
