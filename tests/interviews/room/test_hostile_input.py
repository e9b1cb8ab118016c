"""Frames an attacker or a careless client sends: each gets a clear error, nothing bad is
stored, and no other socket, room or later reader is hurt."""

import json

import pytest
from channels.db import database_sync_to_async

from config import strict_json
from interviews.limits import MAX_SAFE_INTEGER
from interviews.models import ChatMessage, InterviewSession, RoomEvent, WhiteboardElement
from interviews.room import services as room_services
from interviews.room import whiteboard
from interviews.room import writer as writer_module
from interviews.room.whiteboard import WhiteboardWrite
from testkit.excalidraw import element, text_element

from .conftest import join, open_socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def update(*elements, ref="u") -> str:
    return json.dumps({"type": "whiteboard.update", "elements": list(elements), "ref": ref})


async def refused(socket, frame: str) -> dict:
    await socket.ws.send_to(text_data=frame)
    return await socket.expect("error")


async def test_nan_and_infinity_on_the_board_are_refused_and_the_room_stays_readable(interview):
    session, interviewer, candidate = interview
    cw, _ = await join(candidate, session.id)
    bad = element("box", 1, 1, x=float("nan"), y=float("inf"))
    assert (await refused(cw, update(bad)))["code"] == "bad_json"
    assert (await refused(cw, update(element("b2", 1, 1)).replace("100.5", "1e999")))[
        "code"
    ] == "bad_json"
    assert await WhiteboardElement.objects.acount() == 0
    await cw.send({"type": "whiteboard.update", "elements": [element("fine", 1, 1)]})
    await cw.expect("whiteboard.ack")
    # A browser joining afterwards can still read the snapshot, strictly.
    connected, communicator = await open_socket(interviewer, session.id)
    assert connected
    state = strict_json.loads(await communicator.receive_from())
    assert [e["id"] for e in state["whiteboard"]["elements"]] == ["fine"]
    await communicator.disconnect()
    await cw.close()


@pytest.mark.parametrize(
    "field, value",
    [
        ("fontFamily", [1, 2]),
        ("textAlign", {"left": True}),
        ("strokeColor", '"><script>alert(1)</script>'),
        ("x", "12"),
        ("points", [[0, 0], [1]]),
        ("groupIds", ["ok", 'bad"id']),
        ("roundness", {"type": "3"}),
        ("opacity", 101),
        ("boundElements", [{"id": "a", "type": "circle"}]),
        ("customData", {"deep": {"deeper": {"deepest": {"too": {"far": 1}}}}}),
    ],
)
async def test_element_fields_of_the_wrong_type_are_refused_at_the_door(interview, field, value):
    session, _, candidate = interview
    cw, _ = await join(candidate, session.id)
    error = await refused(cw, update(text_element("t", "feature store", **{field: value})))
    assert error["code"] == "bad_message" and field in error["message"]
    assert await WhiteboardElement.objects.acount() == 0
    await cw.close()


@pytest.mark.parametrize(
    "escaped",
    ["a\\u0000b", "\\ud800", "x\\udfffy"],
)
async def test_nul_and_lone_surrogates_get_bad_message_everywhere(interview, escaped):
    session, interviewer, candidate = interview
    iw, _ = await join(interviewer, session.id)
    cw, _ = await join(candidate, session.id)
    frames = [
        (cw, f'{{"type": "chat.send", "text": "hi {escaped}"}}'),
        (cw, f'{{"type": "chat.send", "text": "hi", "client_id": "{escaped}"}}'),
        (iw, f'{{"type": "note.save", "step": "data", "text": "{escaped}"}}'),
        (
            iw,
            '{"type": "score.set", "criterion": "communication", "level": 2,'
            f' "comment": "{escaped}"}}',
        ),
        (cw, update(element("placeholder", 1, 1)).replace("placeholder", escaped)),
    ]
    for socket, frame in frames:
        error = await refused(socket, frame)
        assert error["code"] == "bad_message", frame
    assert await ChatMessage.objects.acount() == 0
    assert await RoomEvent.objects.acount() == 0
    await iw.close()
    await cw.close()


async def test_limits_count_bytes_not_characters(joined):
    session, interviewer, candidate, iw, cw = joined
    emoji = "\U0001f600"  # one character, four bytes
    # 300,000 characters is 1.2 MB of UTF-8: over the 1 MB frame limit.
    frame = json.dumps({"type": "chat.send", "text": emoji * 300_000}, ensure_ascii=False)
    assert len(frame) < 1024 * 1024
    assert (await refused(cw, frame))["code"] == "too_large"
    # 20,000 emoji in one text element: 80 KB, over 64 KB per element.
    big = text_element("t", emoji * 20_000)
    assert (
        await refused(
            cw, json.dumps({"type": "whiteboard.update", "elements": [big]}, ensure_ascii=False)
        )
    )["code"] == "too_large"
    assert (
        await refused(
            cw, json.dumps({"type": "chat.send", "text": emoji * 501}, ensure_ascii=False)
        )
    )["code"] == "too_large"
    note = json.dumps(
        {"type": "note.save", "step": "data", "text": emoji * 5001}, ensure_ascii=False
    )
    assert (await refused(iw, note))["code"] == "too_large"
    # Exactly at the limit is fine.
    await cw.ws.send_to(
        text_data=json.dumps({"type": "chat.send", "text": emoji * 500}, ensure_ascii=False)
    )
    assert (await cw.expect("chat.message"))["message"]["text"] == emoji * 500
    assert await WhiteboardElement.objects.acount() == 0


@pytest.mark.parametrize("key", ["version", "versionNonce", "seed"])
async def test_integers_beyond_what_a_browser_compares_exactly_are_refused(interview, key):
    session, _, candidate = interview
    cw, _ = await join(candidate, session.id)
    hostile = {**element("box", 1, 1), key: MAX_SAFE_INTEGER + 1}
    error = await refused(cw, update(hostile))
    assert error["code"] == "bad_message"
    await cw.send({"type": "whiteboard.update", "elements": [element("box", MAX_SAFE_INTEGER, 1)]})
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 1
    await cw.close()


async def test_deep_nesting_is_refused_and_sync_keeps_working(candidate_joined):
    session, cw = candidate_joined
    deep = '{"a":' * 900 + "1" + "}" * 900
    frame = update(element("box", 1, 1, customData={"x": 1})).replace('{"x": 1}', deep)
    assert (await refused(cw, frame))["code"] == "bad_message"
    assert (await refused(cw, "[" * 100_000))["code"] == "bad_message"
    await cw.send({"type": "sync", "last_seq": 0})
    assert (await cw.expect("sync"))["events"] == []


async def test_a_board_cannot_grow_past_its_cap(candidate_joined, monkeypatch):
    monkeypatch.setattr(whiteboard, "MAX_BOARD_ELEMENTS", 3)
    session, cw = candidate_joined
    await cw.send(
        {"type": "whiteboard.update", "elements": [element(f"e{i}", 1, 1) for i in range(3)]}
    )
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 3
    await cw.send({"type": "whiteboard.update", "elements": [element("e3", 1, 1)]})
    assert (await cw.expect("error"))["code"] == "board_full"
    # Changing what is there is still allowed; the cap counts elements, not changes.
    await cw.send({"type": "whiteboard.update", "elements": [element("e0", 2, 1)]})
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 1
    row = await InterviewSession.objects.aget(pk=session.pk)
    assert row.board_elements == 3 == await WhiteboardElement.objects.acount()
    sizes = [
        len(d.encode()) async for d in WhiteboardElement.objects.values_list("data", flat=True)
    ]
    assert row.board_bytes == sum(sizes)


async def test_the_stored_board_size_is_capped_in_bytes(interview, monkeypatch):
    one = len(strict_json.dumps(element("e0", 1, 1)).encode())
    monkeypatch.setattr(whiteboard, "MAX_BOARD_BYTES", one * 2 + 10)
    session, _, candidate = interview
    cw, _ = await join(candidate, session.id)
    await cw.send(
        {"type": "whiteboard.update", "elements": [element("e0", 1, 1), element("e1", 1, 1)]}
    )
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 2
    await cw.send({"type": "whiteboard.update", "elements": [element("e2", 1, 1)]})
    assert (await cw.expect("error"))["code"] == "board_full"
    await cw.close()


async def test_chat_and_the_room_log_are_capped(joined, monkeypatch):
    monkeypatch.setattr(room_services, "MAX_CHAT_MESSAGES", 2)
    session, interviewer, candidate, iw, cw = joined
    for text in ("one", "two"):
        await cw.send({"type": "chat.send", "text": text})
        await cw.expect("chat.message")
    await cw.send({"type": "chat.send", "text": "three"})
    assert (await cw.expect("error"))["code"] == "chat_full"
    assert await ChatMessage.objects.acount() == 2
    monkeypatch.setattr(room_services, "MAX_ROOM_EVENTS", 2)
    await iw.send({"type": "timer.start"})
    assert (await iw.expect("error"))["code"] == "room_full"
    # Ending the interview is always possible.
    await iw.send({"type": "session.end"})
    assert (await iw.expect("session.ended"))["seq"] == 3


async def test_the_board_log_is_capped_too(candidate_joined, monkeypatch):
    monkeypatch.setattr(whiteboard, "MAX_ROOM_EVENTS", 1)
    session, cw = candidate_joined
    await cw.send({"type": "whiteboard.update", "elements": [element("e0", 1, 1)]})
    assert (await cw.expect("whiteboard.ack"))["seq"] == 1
    await cw.send({"type": "whiteboard.update", "elements": [element("e1", 1, 1)]})
    assert (await cw.expect("error"))["code"] == "room_full"


async def test_full_board_errors_do_not_count_as_abuse(candidate_joined, monkeypatch):
    monkeypatch.setattr(whiteboard, "MAX_BOARD_ELEMENTS", 0)
    session, cw = candidate_joined
    for i in range(25):
        await cw.send({"type": "whiteboard.update", "elements": [element(f"e{i}", 1, 1)]})
        assert (await cw.expect("error"))["code"] == "board_full"
    await cw.send({"type": "ping"})
    await cw.expect("pong")


async def test_one_rooms_failing_update_never_fails_another_rooms_drawing(make_interview):
    good, _, candidate = await database_sync_to_async(make_interview)()
    other = await database_sync_to_async(_second_session)(good)
    # One room's update makes the database refuse the whole statement (a version no integer
    # column holds, as if it had slipped past the door); the other room's shares its batch.
    batch = [
        WhiteboardWrite(
            session_id=str(other.pk),
            user_id=candidate.pk,
            role="candidate",
            elements=[element("bad", 2**70, 1)],
        ),
        WhiteboardWrite(
            session_id=str(good.pk),
            user_id=candidate.pk,
            role="candidate",
            elements=[element("ok", 1, 1)],
        ),
    ]
    poisoned, fine = await database_sync_to_async(writer_module._apply)(batch)
    assert fine.error is None and fine.seq == 1 and len(fine.accepted) == 1
    assert poisoned.error[0] == "server_error" and poisoned.seq is None
    assert not poisoned.accepted
    stored = [e async for e in WhiteboardElement.objects.values_list("session_id", "element_id")]
    assert stored == [(good.pk, "ok")]


def _second_session(first):
    from interviews.sessions import services as session_services

    session, _ = session_services.session_create(
        user=first.created_by, case_study=first.case_study, role="interviewer"
    )
    return session


async def test_an_empty_update_is_acknowledged_without_changing_anything(candidate_joined):
    session, cw = candidate_joined
    await cw.send({"type": "whiteboard.update", "elements": [], "ref": "nothing"})
    ack = await cw.expect("whiteboard.ack")
    assert (ack["ref"], ack["accepted"], ack["seq"]) == ("nothing", 0, None)
    assert await RoomEvent.objects.acount() == 0
