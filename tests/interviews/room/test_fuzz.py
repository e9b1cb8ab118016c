"""Fuzzing the room: thousands of generated frames of every inbound type, with hostile values of
every JSON type, from both participants of one room, through the real ASGI application.

Whatever arrives, the server never answers `server_error`, never drops either socket, stores
nothing beyond the documented limits, and everything it stores reads back as strict JSON (what
a browser's JSON.parse accepts). A summary of what was tried lands in
test-artifacts/fuzz-summary.json.
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from casestudies.framework import STEP_KEYS
from config import strict_json
from interviews.limits import (
    MAX_BOARD_ELEMENTS,
    MAX_CHAT_BYTES,
    MAX_COMMENT_BYTES,
    MAX_ELEMENT_BYTES,
    MAX_NOTE_BYTES,
    MAX_SAFE_INTEGER,
    utf8_size,
)
from interviews.models import (
    ChatMessage,
    InterviewSession,
    Note,
    RoomEvent,
    Score,
    WhiteboardElement,
)
from interviews.protocol.elements import check_element
from interviews.protocol.inbound import SCHEMAS
from interviews.realtime.hub import hub
from interviews.room import consumers
from testkit.excalidraw import element, text_element

from .conftest import join, open_socket

pytestmark = pytest.mark.django_db(transaction=True)

FRAMES = int(os.environ.get("ROOM_FUZZ_FRAMES", "10000"))
BATCH = 50
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

# Ending the interview makes every later write a plain `session_ended`; it has its own tests.
TYPES = sorted(set(SCHEMAS) - {"session.end"}) + ["teleport"]

surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
hostile_text = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "\x00", "a\x00b", '"><script>alert(1)</script>', "😀" * 30]),
    st.builds(lambda a, s, b: a + s + b, st.text(max_size=4), surrogates, st.text(max_size=4)),
)
hostile_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([MAX_SAFE_INTEGER, MAX_SAFE_INTEGER + 1, -1, 0, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
hostile_json = st.recursive(
    hostile_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)

ELEMENT_IDS = [f"el{i}" for i in range(30)]


def _valid_fields(kind: str) -> dict:
    return {
        "whiteboard.update": {"elements": []},
        "pointer": {"x": 10.5, "y": 20, "button": "down", "selected_ids": ["el1"]},
        "user.state": {"state": "idle"},
        "chat.send": {"text": "two-tower retrieval", "client_id": "c1"},
        "timer.goto": {"step": "data"},
        "timer.extend": {"minutes": 2},
        "note.save": {"step": "model", "text": "solid framing", "shared": True},
        "score.set": {"criterion": "communication", "level": 3, "comment": "clear"},
        "board.lock": {"locked": False},
        "sync": {"last_seq": 0},
        "call.signal": {
            "to": 1,
            "peer": "p1",
            "candidate": {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0},
        },
        "call.media": {"audio": True, "video": False},
    }.get(kind, {})


ELEMENT_BASES = [
    element("x", 1, 1),
    text_element("x", "feature store"),
    element("x", 1, 1, kind="freedraw", points=[[0, 0], [3, 4]], pressures=[0.5]),
    element("x", 1, 1, kind="arrow", points=[[0, 0], [10, 5]], startBinding=None),
]
# Board updates carry the most structure: they are sent most often.
WEIGHTED_TYPES = [*TYPES, *["whiteboard.update"] * 6]


class FrameMaker:
    """Frames built from a pool of hostile values that Hypothesis draws for each example.

    Drawing every frame through Hypothesis costs tens of milliseconds a frame; drawing a pool of
    values and a seeded Random once per example, then mixing them into valid messages, gives the
    same hostile values at a small fraction of the cost."""

    def __init__(self, pool: list, rng):
        self.pool, self.rng = pool, rng

    def hostile(self):
        return self.rng.choice(self.pool)

    def element(self):
        rng = self.rng
        if rng.random() < 0.1:
            return self.hostile()
        item = {**rng.choice(ELEMENT_BASES), "id": rng.choice(ELEMENT_IDS)}
        item["version"] = rng.randint(1, 50) if rng.random() < 0.8 else self.hostile()
        item["versionNonce"] = rng.randint(-(2**31), 2**31)
        keys = [*item, "extra", "customData"]
        if rng.random() < 0.5:
            for key in rng.sample(keys, rng.randint(1, 3)):
                item[key] = self.hostile()
        return item

    def frame(self) -> str:
        rng = self.rng
        kind = rng.choice(WEIGHTED_TYPES)
        message = {"type": kind, **_valid_fields(kind)}
        if kind == "whiteboard.update":
            message["elements"] = [self.element() for _ in range(rng.randint(0, 4))]
        for key in rng.sample([*message, "ref", "extra"], rng.randint(0, 3)):
            if key != "type" or rng.random() < 0.1:
                message[key] = self.hostile()
        text = json.dumps(message)  # writes NaN and Infinity, escapes surrogates: on purpose
        mangle = rng.randint(0, 19)
        if mangle == 0:
            text = text[: rng.randint(0, len(text))]
        elif mangle == 1:
            text = '{"type":"whiteboard.update","elements":' + "[" * rng.randint(10, 3000)
        elif mangle == 2:
            text = text.replace("1", "1e999", 1)
        return text


def _kind(text: str) -> str:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return "(not JSON)"
    kind = value.get("type") if isinstance(value, dict) else None
    return kind if isinstance(kind, str) and kind in TYPES else "(no known type)"


async def _exchange(socket, frame_texts: list[str], seen: Counter) -> None:
    """Send frames, then a ping; read until its pong, counting error codes."""
    for text in frame_texts:
        # send_input, not send_to: an empty frame is one of the hostile cases.
        await socket.ws.send_input({"type": "websocket.receive", "text": text})
    await socket.send({"type": "ping", "ref": "fence"})
    while True:
        message = await socket.receive(timeout=20)
        if message["type"] == "error":
            seen[message["code"]] += 1
        if message["type"] == "pong":
            return


PER_EXAMPLE = 400
SUMMARY = {"frames": 0, "errors_by_code": Counter(), "types": Counter()}


@settings(
    max_examples=max(1, FRAMES // PER_EXAMPLE),
    deadline=None,
    database=None,
    # A failing frame is in the assertion message; shrinking a run this long would take ages.
    phases=[Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@pytest.mark.asyncio
@given(data=st.data())
async def test_thousands_of_hostile_frames_never_hurt_the_room(interview, monkeypatch, data):
    """Each example sends PER_EXAMPLE frames from both sockets of the same room, whose board,
    chat and log grow from one example to the next."""
    # Abuse protection would close the sockets after a few bad frames; it has its own tests.
    monkeypatch.setattr(consumers, "RATE_PER_SECOND", 1e9)
    monkeypatch.setattr(consumers, "RATE_BURST", 1e9)
    monkeypatch.setattr(consumers, "ABUSE_ERRORS", 10**9)
    session, interviewer, candidate = interview
    iw, _ = await join(interviewer, session.id)
    cw, _ = await join(candidate, session.id)
    errors: Counter = Counter()
    maker = FrameMaker(
        data.draw(st.lists(hostile_json, min_size=30, max_size=30)),
        data.draw(st.randoms(use_true_random=True)),
    )
    for _ in range(PER_EXAMPLE // (2 * BATCH)):
        for socket in (iw, cw):
            batch = [maker.frame() for _ in range(BATCH)]
            SUMMARY["types"].update(map(_kind, batch))
            await _exchange(socket, batch, errors)
            SUMMARY["frames"] += len(batch)
    await hub.writer.flush()
    for socket in (iw, cw):
        await _exchange(socket, [], errors)
    SUMMARY["errors_by_code"].update(errors)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "fuzz-summary.json").write_text(json.dumps(SUMMARY, indent=2, sort_keys=True))
    assert errors["server_error"] == 0, dict(errors)

    # Both sockets still work: a valid drawing from one reaches the other.
    await iw.send({"type": "board.lock", "locked": False})
    await iw.expect("board.locked")
    fresh = element(f"fresh{SUMMARY['frames']}", 1, 1)
    await cw.send({"type": "whiteboard.update", "elements": [fresh]})
    await iw.expect_where("whiteboard.update", lambda m: m["elements"] == [fresh])
    await _assert_everything_stored_is_within_limits_and_strict(session.pk)

    # A browser joining now reads the snapshot strictly.
    connected, communicator = await open_socket(interviewer, session.id)
    assert connected
    assert strict_json.loads(await communicator.receive_from())["type"] == "state"
    await communicator.disconnect()
    await iw.close()
    await cw.close()


def test_the_fuzz_run_tried_every_type_and_enough_frames():
    """Runs after the fuzz test (file order): it really sent what it promises."""
    assert SUMMARY["frames"] >= FRAMES
    assert set(TYPES) <= set(SUMMARY["types"])
    assert SUMMARY["errors_by_code"]["server_error"] == 0
    assert sum(SUMMARY["errors_by_code"].values()) > SUMMARY["frames"] // 4


async def _assert_everything_stored_is_within_limits_and_strict(session_id) -> None:
    sizes = []
    async for text in WhiteboardElement.objects.values_list("data", flat=True):
        check_element(strict_json.loads(text))
        sizes.append(utf8_size(text))
        assert sizes[-1] <= MAX_ELEMENT_BYTES
    row = await InterviewSession.objects.aget(pk=session_id)
    assert row.board_elements == len(sizes) <= MAX_BOARD_ELEMENTS
    assert row.board_bytes == sum(sizes)
    async for text in RoomEvent.objects.values_list("payload", flat=True):
        strict_json.loads(text, max_depth=64)
    async for text in ChatMessage.objects.values_list("text", flat=True):
        assert utf8_size(text) <= MAX_CHAT_BYTES and not strict_json.has_unsafe_chars(text)
    async for text in Note.objects.values_list("text", flat=True):
        assert utf8_size(text) <= MAX_NOTE_BYTES and not strict_json.has_unsafe_chars(text)
    async for text in Score.objects.values_list("comment", flat=True):
        assert utf8_size(text) <= MAX_COMMENT_BYTES and not strict_json.has_unsafe_chars(text)
    assert set(STEP_KEYS) >= {n async for n in Note.objects.values_list("step", flat=True)}
