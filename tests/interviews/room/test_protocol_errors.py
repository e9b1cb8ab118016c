import json

import pytest

from interviews.models import RoomEvent
from testkit.excalidraw import element

from .conftest import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

BAD_FRAMES = [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_message"),
    ('{"type": "teleport"}', "unknown_type"),
    ('{"no": "type"}', "unknown_type"),
    ('{"type": "chat.send"}', "bad_message"),
    ('{"type": "chat.send", "text": 5}', "bad_message"),
    ('{"type": "timer.goto", "step": "lunch"}', "bad_message"),
    ('{"type": "timer.extend", "minutes": 0}', "bad_message"),
    ('{"type": "timer.extend", "minutes": "2"}', "bad_message"),
    ('{"type": "board.lock", "locked": "yes"}', "bad_message"),
    ('{"type": "sync", "last_seq": -1}', "bad_message"),
    ('{"type": "pointer", "x": "left", "y": 1}', "bad_message"),
    ('{"type": "pointer", "x": 1, "y": 1, "button": "middle"}', "bad_message"),
    ('{"type": "whiteboard.update", "elements": {}}', "bad_message"),
    ('{"type": "whiteboard.update", "elements": [{"id": "a"}]}', "bad_message"),
    (
        '{"type": "whiteboard.update", "elements": [{"id": "", "version": 1, "versionNonce": 1,'
        ' "isDeleted": false, "type": "rectangle"}]}',
        "bad_message",
    ),
    (
        '{"type": "whiteboard.update", "elements": [{"id": "a", "version": 0, "versionNonce": 1,'
        ' "isDeleted": false, "type": "rectangle"}]}',
        "bad_message",
    ),
    ('{"type": "note.save", "step": "data", "text": "' + "n" * 20001 + '"}', "too_large"),
    ('{"type": "score.set", "criterion": "communication", "level": 7}', "bad_message"),
    ('{"type": "ping", "ref": ' + json.dumps("r" * 65) + "}", "bad_message"),
]


@pytest.mark.parametrize("frame, code", BAD_FRAMES)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(interview, frame, code):
    session, interviewer, _ = interview
    iw, _ = await join(interviewer, session.id)
    await iw.ws.send_to(text_data=frame)
    error = await iw.expect("error")
    assert error["code"] == code and error["message"]
    await iw.send({"type": "ping"})
    assert (await iw.expect("pong"))["server_time"] > 0
    await iw.close()


async def test_oversized_whiteboard_updates_are_refused_and_nothing_is_stored(candidate_joined):
    session, cw = candidate_joined
    too_many = [element(f"e{i}", 1, 1) for i in range(2001)]
    await cw.send({"type": "whiteboard.update", "elements": too_many})
    assert (await cw.expect("error"))["code"] == "too_large"
    huge = element("big", 1, 1, kind="freedraw", points=[[i, i] for i in range(10000)])
    await cw.send({"type": "whiteboard.update", "elements": [huge]})
    assert (await cw.expect("error"))["code"] == "too_large"
    await cw.ws.send_to(text_data="x" * (1024 * 1024 + 1))
    assert (await cw.expect("error"))["code"] == "too_large"
    assert await RoomEvent.objects.acount() == 0


async def test_a_client_that_keeps_abusing_is_closed_with_1008(interview):
    session, _, candidate = interview
    cw, _ = await join(candidate, session.id)
    for _ in range(19):
        await cw.ws.send_to(text_data="nope")
        assert (await cw.expect("error"))["code"] == "bad_json"
    await cw.ws.send_to(text_data="nope")
    await cw.expect("error")
    output = await cw.ws.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 1008}


async def test_binary_frames_are_refused(candidate_joined):
    session, cw = candidate_joined
    await cw.ws.send_to(bytes_data=b"\x00\x01")
    assert (await cw.expect("error"))["code"] == "bad_message"
