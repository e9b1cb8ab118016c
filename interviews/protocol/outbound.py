"""Every message the server sends on the room and notification sockets, defined once as a JSON
Schema (docs/protocol.md describes them in prose), and built by the functions below: nothing
else in the app writes a message's `type` or fields.

Messages that must not be lost are built in two steps: a builder returns the event (its type and
payload) and `sequenced` adds the per-session `seq` the room's log gives it (room/services.py).

The test suite validates every message a test socket receives against `SCHEMAS` (tests/
interviews/room/conftest.py and tests/live.py), so a message that drifts from its definition
fails the tests that produce it. `python manage.py protocol_schema` writes these schemas, with
the limits of interviews/limits.py, to frontend/src/room/protocol.schema.json: the browser takes
its limits from there and its list of message types is checked against it
(frontend/src/room/protocol.test.ts); a test keeps that file in step with this module.
"""

from casestudies.framework import STEP_KEYS

from .. import limits
from ..models import InterviewSession, Report, Role

INT = {"type": "integer"}
NUMBER = {"type": "number"}
TEXT = {"type": "string"}
BOOL = {"type": "boolean"}
NULL = {"type": "null"}
ANY_OBJECT = {"type": "object"}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, NULL]}


def one_of(*values) -> dict:
    return {"enum": list(values)}


def obj(required: dict, optional: dict | None = None) -> dict:
    """An object with exactly these fields: all of `required`, any of `optional`."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def message(kind: str, required: dict, optional: dict | None = None) -> dict:
    return obj({"type": {"const": kind}, **required}, optional)


ROLE = one_of(*Role.values)
PRACTICE_EVENTS = (
    "pairing.made",
    "pairing.reminder",
    "pairing.cancelled",
    "pairing.time_proposed",
    "pairing.moved",
    "rating.revealed",
    "interview.next",
)
STEP = one_of(*STEP_KEYS)
REPORT_STATUS = one_of(*Report.Status.values)
ELEMENT = {
    "type": "object",
    "properties": {
        "id": TEXT,
        "type": TEXT,
        "version": INT,
        "versionNonce": INT,
        "isDeleted": BOOL,
    },
    "required": ["id", "type", "version", "versionNonce", "isDeleted"],
}
PARTICIPANT = obj({"user_id": INT, "username": TEXT, "role": ROLE, "online": BOOL})
TIMER_STEP = obj(
    {
        "key": STEP,
        "title": TEXT,
        "planned_seconds": NUMBER,
        "extra_seconds": NUMBER,
        "spent_seconds": NUMBER,
    }
)
TIMER = obj(
    {
        "status": one_of("not_started", "running", "paused", "ended"),
        "current_step": INT,
        "step": STEP,
        "segment_started_at": nullable(INT),
        "auto_advance": BOOL,
        "steps": {"type": "array", "items": TIMER_STEP},
    }
)
CHAT_ENTRY = obj(
    {
        "seq": INT,
        "author": TEXT,
        "author_id": INT,
        "text": TEXT,
        "sent_at": TEXT,
    },
    {"client_id": nullable(TEXT)},
)
NOTE = obj({"text": TEXT, "shared": BOOL, "updated_at": TEXT})
SCORE = obj({"level": nullable(INT), "comment": TEXT})
CASE_BRIEF = obj({"slug": TEXT, "title": TEXT, "prompt": TEXT})
ROOM_SESSION = obj(
    {
        "id": TEXT,
        "status": one_of(*InterviewSession.Status.values),
        "board_locked": BOOL,
        "auto_advance": BOOL,
        "case_study": CASE_BRIEF,
        "report_status": nullable(REPORT_STATUS),
    }
)
ERROR_CODES = (
    "bad_json",
    "bad_message",
    "unknown_type",
    "too_large",
    "forbidden",
    "board_locked",
    "session_ended",
    "not_started",
    "rate_limited",
    "board_full",
    "chat_full",
    "room_full",
    "server_error",
)

# Messages a `sync` answer may replay: the ones that carry a seq.
SEQUENCED = {
    "whiteboard.update": message(
        "whiteboard.update",
        {"seq": INT, "user_id": nullable(INT), "elements": {"type": "array", "items": ELEMENT}},
    ),
    "chat.message": message("chat.message", {"seq": INT, "message": CHAT_ENTRY}),
    "timer.state": message("timer.state", {"seq": INT, "server_time": INT, "timer": TIMER}),
    "board.locked": message("board.locked", {"seq": INT, "locked": BOOL}),
    "session.ended": message(
        "session.ended",
        {"seq": INT, "ended_at": TEXT, "report_status": nullable(REPORT_STATUS)},
        {"timer": TIMER, "server_time": INT},
    ),
}

# docs/recording.md: whether audio is being recorded, each person's answer, since when.
RECORDING = obj(
    {
        "state": one_of("pending", "refused", "active", "closed"),
        "consents": obj(
            {"interviewer": nullable(BOOL), "candidate": nullable(BOOL)},
        ),
        "active_since": nullable(INT),
    }
)

ICE_SERVER = obj({"urls": {"type": "array", "items": TEXT}}, {"username": TEXT, "credential": TEXT})
CALL_CONFIG = obj(
    {"ice_servers": {"type": "array", "items": ICE_SERVER}, "expires_at": nullable(INT)}
)
SESSION_DESCRIPTION = obj({"type": one_of("offer", "answer"), "sdp": TEXT})
ICE_CANDIDATE = obj(
    {
        "candidate": TEXT,
        "sdpMid": nullable(TEXT),
        "sdpMLineIndex": nullable(INT),
        "usernameFragment": nullable(TEXT),
    }
)

STATE = message(
    "state",
    {
        "seq": INT,
        "server_time": INT,
        "me": obj({"user_id": INT, "username": TEXT, "role": ROLE}),
        "session": ROOM_SESSION,
        "participants": {"type": "array", "items": PARTICIPANT},
        "timer": TIMER,
        "whiteboard": obj({"elements": {"type": "array", "items": ELEMENT}}),
        "chat": {"type": "array", "items": CHAT_ENTRY},
        "recording": RECORDING,
        "call": CALL_CONFIG,
    },
    # Interviewer only (docs/protocol.md).
    {
        "notes": {"type": "object", "propertyNames": STEP, "additionalProperties": NOTE},
        "scores": {"type": "object", "additionalProperties": SCORE},
        "rubric": ANY_OBJECT,
        "guide": ANY_OBJECT,
        "guide_withheld": TEXT,
    },
)

SCHEMAS: dict[str, dict] = {
    "state": STATE,
    **SEQUENCED,
    "presence": message("presence", {"participants": {"type": "array", "items": PARTICIPANT}}),
    "whiteboard.ack": message(
        "whiteboard.ack", {"ref": nullable(TEXT), "accepted": INT, "seq": nullable(INT)}
    ),
    "pointer": message(
        "pointer",
        {
            "user_id": INT,
            "connection": TEXT,
            "username": TEXT,
            "x": NUMBER,
            "y": NUMBER,
            "button": one_of("up", "down"),
            "selected_ids": {"type": "array", "items": TEXT},
        },
    ),
    "user.state": message(
        "user.state",
        {
            "user_id": INT,
            "connection": TEXT,
            "username": TEXT,
            "state": one_of("active", "idle", "away"),
        },
    ),
    # WebRTC signalling, relayed to the one participant it is addressed to; never stored.
    "call.signal": message(
        "call.signal",
        {"from": INT, "peer": TEXT, "to_peer": nullable(TEXT)},
        {"description": SESSION_DESCRIPTION, "candidate": ICE_CANDIDATE},
    ),
    "call.media": message("call.media", {"user_id": INT, "audio": BOOL, "video": BOOL}),
    "note.saved": message("note.saved", {"note": obj({**NOTE["properties"], "step": STEP})}),
    "score.saved": message(
        "score.saved", {"score": obj({**SCORE["properties"], "criterion": TEXT})}
    ),
    "report.status": message("report.status", {"status": REPORT_STATUS}, {"session_id": TEXT}),
    "report.ready": message("report.ready", {}, {"session_id": TEXT, "status": REPORT_STATUS}),
    "feedback.released": message("feedback.released", {}, {"session_id": TEXT}),
    # Peer practice (the practice app sends it through its bridge): to a user's notification
    # sockets for changes to their pairings, and to the room when its second interview, with
    # roles swapped, is next (`session_id` is that interview's session).
    "practice.notice": message(
        "practice.notice",
        {"event": one_of(*PRACTICE_EVENTS), "pairing_id": TEXT, "text": TEXT},
        {"session_id": TEXT},
    ),
    "recording.status": message("recording.status", RECORDING["properties"]),
    "pong": message("pong", {"server_time": INT}),
    "error": message(
        "error", {"code": one_of(*ERROR_CODES), "message": TEXT}, {"ref": nullable(TEXT)}
    ),
    "sync": message(
        "sync",
        {
            "events": {"type": "array", "items": {"anyOf": list(SEQUENCED.values())}},
            "seq": INT,
        },
    ),
}


# Builders --------------------------------------------------------------------------------------

Event = tuple[str, dict]  # (type, payload) of a message that gets a seq when it is logged


def sequenced(kind: str, seq: int, payload: dict) -> dict:
    return {"type": kind, "seq": seq, **payload}


def timer_state(*, server_time: int, timer: dict) -> Event:
    return "timer.state", {"server_time": server_time, "timer": timer}


def chat_message(*, entry: dict) -> Event:
    return "chat.message", {"message": entry}


def board_locked(*, locked: bool) -> Event:
    return "board.locked", {"locked": locked}


def session_ended(*, ended_at: str, report_status: str, server_time: int, timer: dict) -> Event:
    return "session.ended", {
        "ended_at": ended_at,
        "report_status": report_status,
        "server_time": server_time,
        "timer": timer,
    }


def whiteboard_update_text(*, seq: int, user_id: int, elements: str) -> str:
    """`whiteboard.update`, written as text around elements already serialized (the hot path:
    each element is serialized once, for the row, the log and the wire)."""
    return f'{{"type":"whiteboard.update","seq":{seq},"user_id":{user_id},"elements":[{elements}]}}'


def chat_entry(*, seq, author: str, author_id, text: str, sent_at: str, client_id) -> dict:
    return {
        "seq": seq,
        "author": author,
        "author_id": author_id,
        "text": text,
        "sent_at": sent_at,
        "client_id": client_id,
    }


def state(
    *,
    seq: int,
    server_time: int,
    me: dict,
    session: dict,
    participants: list[dict],
    timer: dict,
    elements: list[dict],
    chat: list[dict],
    recording: dict,
    call: dict,
    interviewer: dict | None = None,
) -> dict:
    """The room snapshot; `recording`: whether audio is recorded, `call`: the ICE servers (every
    role); `interviewer`:
    the fields only the interviewer gets (notes, scores, rubric, guide or guide_withheld)."""
    return {
        "type": "state",
        "seq": seq,
        "server_time": server_time,
        "me": me,
        "session": session,
        "participants": participants,
        "timer": timer,
        "whiteboard": {"elements": elements},
        "chat": chat,
        "recording": recording,
        "call": call,
        **(interviewer or {}),
    }


def call_signal(*, sender: int, fields: dict) -> dict:
    """WebRTC signalling relayed to the participant it names (`to`), who learns it `from` whom."""
    relayed = {key: value for key, value in fields.items() if key != "to"}
    return {"type": "call.signal", "from": sender, **relayed}


def call_media(*, user_id: int, fields: dict) -> dict:
    """Whether a participant's microphone and camera are on."""
    return {"type": "call.media", "user_id": user_id, **fields}


def recording_status(*, recording: dict) -> dict:
    """Volatile: someone answered the recording question or deleted the recordings."""
    return {"type": "recording.status", **recording}


def presence(*, participants: list[dict]) -> dict:
    return {"type": "presence", "participants": participants}


def whiteboard_ack(*, ref, accepted: int, seq: int | None) -> dict:
    return {"type": "whiteboard.ack", "ref": ref, "accepted": accepted, "seq": seq}


def _collaborator(kind: str, user_id: int, connection: str, username: str, fields: dict) -> dict:
    return {
        "type": kind,
        "user_id": user_id,
        "connection": connection,
        "username": username,
        **fields,
    }


def pointer(*, user_id: int, connection: str, username: str, fields: dict) -> dict:
    """`fields`: the pointer frame as checked at the door (x, y, button, selected_ids)."""
    return _collaborator("pointer", user_id, connection, username, fields)


def user_state(*, user_id: int, connection: str, username: str, state: str) -> dict:
    return _collaborator("user.state", user_id, connection, username, {"state": state})


def note_saved(*, step: str, text: str, shared: bool, updated_at: str) -> dict:
    return {
        "type": "note.saved",
        "note": {"step": step, "text": text, "shared": shared, "updated_at": updated_at},
    }


def score_saved(*, criterion: str, level: int | None, comment: str) -> dict:
    return {
        "type": "score.saved",
        "score": {"criterion": criterion, "level": level, "comment": comment},
    }


def report_status(*, session_id: str, status: str) -> dict:
    return {"type": "report.status", "session_id": session_id, "status": status}


def report_ready(*, session_id: str) -> dict:
    return {"type": "report.ready", "session_id": session_id}


def feedback_released(*, session_id: str) -> dict:
    return {"type": "feedback.released", "session_id": session_id}


def practice_notice(*, event: str, pairing_id: str, text: str, session_id: str | None = None):
    notice = {"type": "practice.notice", "event": event, "pairing_id": pairing_id, "text": text}
    if session_id is not None:
        notice["session_id"] = session_id
    return notice


def pong(*, server_time: int) -> dict:
    return {"type": "pong", "server_time": server_time}


def error(*, code: str, message: str, ref) -> dict:
    return {"type": "error", "code": code, "message": message, "ref": ref}


def sync(*, events: list[dict], seq: int) -> dict:
    return {"type": "sync", "events": events, "seq": seq}


def protocol_document() -> dict:
    """What the browser's protocol module is checked against: the schemas and the limits."""
    return {
        "$comment": "Generated by `python manage.py protocol_schema`; do not edit.",
        "messages": SCHEMAS,
        "limits": {
            "elementsPerFrame": limits.MAX_ELEMENTS_PER_UPDATE,
            "bytesPerElement": limits.MAX_ELEMENT_BYTES,
            "bytesPerFrame": limits.MAX_FRAME_BYTES,
            "chatBytes": limits.MAX_CHAT_BYTES,
            "noteBytes": limits.MAX_NOTE_BYTES,
            "commentBytes": limits.MAX_COMMENT_BYTES,
            "selectedIds": limits.MAX_SELECTED_IDS,
            "sdpBytes": limits.MAX_SDP_BYTES,
            "candidateBytes": limits.MAX_CANDIDATE_BYTES,
            "callPeerChars": limits.MAX_CALL_PEER_CHARS,
        },
    }
