import json

import pytest
from channels.db import database_sync_to_async

from interviews.models import RoomEvent, WhiteboardElement
from testkit.excalidraw import element

from .conftest import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def stored(session_id) -> dict:
    rows = WhiteboardElement.objects.filter(session_id=session_id)
    return {e.element_id: (e.version, e.version_nonce, e.is_deleted) async for e in rows}


async def test_accepted_elements_reach_the_others_after_they_are_stored(joined):
    session, interviewer, candidate, iw, cw = joined
    box, label = element("box", 2, 5), element("label", 1, 9, kind="text", text="ranker")
    await cw.send({"type": "whiteboard.update", "elements": [box, label], "ref": "u1"})
    ack = await cw.expect("whiteboard.ack")
    assert (ack["ref"], ack["accepted"], ack["seq"]) == ("u1", 2, 1)
    update = await iw.expect("whiteboard.update")
    assert update["seq"] == 1 and update["elements"] == [box, label]
    assert await stored(session.id) == {"box": (2, 5, False), "label": (1, 9, False)}
    # The sender does not get its own update back.
    assert [m["type"] for m in await cw.drain()] == []


async def test_stale_versions_never_overwrite_newer_ones(joined):
    session, interviewer, candidate, iw, cw = joined
    await cw.send({"type": "whiteboard.update", "elements": [element("box", 5, 50)]})
    await cw.expect("whiteboard.ack")
    await iw.expect("whiteboard.update")
    # Older version: refused, nobody hears of it.
    await iw.send({"type": "whiteboard.update", "elements": [element("box", 4, 1)]})
    ack = await iw.expect("whiteboard.ack")
    assert (ack["accepted"], ack["seq"]) == (0, None)
    # Same version, higher nonce: loses; lower nonce: wins.
    await iw.send({"type": "whiteboard.update", "elements": [element("box", 5, 99)]})
    assert (await iw.expect("whiteboard.ack"))["accepted"] == 0
    await iw.send({"type": "whiteboard.update", "elements": [element("box", 5, 7)]})
    assert (await iw.expect("whiteboard.ack"))["accepted"] == 1
    assert (await cw.expect("whiteboard.update"))["elements"][0]["versionNonce"] == 7
    # A deletion is a newer version and stays a tombstone.
    await cw.send({"type": "whiteboard.update", "elements": [element("box", 6, 3, deleted=True)]})
    await cw.expect("whiteboard.ack")
    await cw.send({"type": "whiteboard.update", "elements": [element("box", 5, 1)]})
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 0
    assert await stored(session.id) == {"box": (6, 3, True)}
    # Every accepted change is in the log, in order.
    log = [
        (e.seq, [el["version"] for el in e.message["elements"]])
        async for e in RoomEvent.objects.filter(type="whiteboard.update").order_by("seq")
    ]
    assert log == [(1, [5]), (2, [5]), (3, [6])]


async def test_full_scene_resend_only_broadcasts_what_changed(joined):
    session, interviewer, candidate, iw, cw = joined
    scene = [element(f"e{i}", 3, i) for i in range(20)]
    await cw.send({"type": "whiteboard.update", "elements": scene})
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 20
    await iw.expect("whiteboard.update")
    scene[7] = element("e7", 4, 1)
    await cw.send({"type": "whiteboard.update", "elements": scene})
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 1
    assert [e["id"] for e in (await iw.expect("whiteboard.update"))["elements"]] == ["e7"]


async def test_locked_board_refuses_the_candidate_but_not_the_interviewer(joined):
    session, interviewer, candidate, iw, cw = joined
    await iw.send({"type": "board.lock", "locked": True})
    assert (await cw.expect("board.locked"))["locked"] is True
    await iw.expect("board.locked")
    await cw.send({"type": "whiteboard.update", "elements": [element("c", 1, 1)], "ref": "x"})
    error = await cw.expect("error")
    assert (error["code"], error["ref"]) == ("board_locked", "x")
    await iw.send({"type": "whiteboard.update", "elements": [element("i", 1, 1)]})
    assert (await iw.expect("whiteboard.ack"))["accepted"] == 1
    await iw.send({"type": "board.lock", "locked": False})
    await iw.expect("board.locked")
    await cw.expect("whiteboard.update")
    await cw.expect("board.locked")
    await cw.send({"type": "whiteboard.update", "elements": [element("c", 1, 1)]})
    assert (await cw.expect("whiteboard.ack"))["accepted"] == 1
    assert set(await stored(session.id)) == {"i", "c"}


async def test_pointer_is_relayed_with_the_name_and_not_stored(joined):
    session, interviewer, candidate, iw, cw = joined
    await cw.send({"type": "pointer", "x": 10.5, "y": -3, "button": "down", "selected_ids": ["a"]})
    pointer = await iw.expect("pointer")
    assert len(pointer.pop("connection")) == 12
    assert pointer == {
        "type": "pointer",
        "user_id": candidate.pk,
        "username": "cole",
        "x": 10.5,
        "y": -3,
        "button": "down",
        "selected_ids": ["a"],
    }
    assert await RoomEvent.objects.acount() == 0


async def test_reconnecting_client_gets_the_whole_scene_with_tombstones(interview):
    session, interviewer, candidate = interview
    cw, _ = await join(candidate, session.id)
    await cw.send(
        {
            "type": "whiteboard.update",
            "elements": [element("a", 1, 1), element("b", 2, 1, deleted=True)],
        }
    )
    await cw.expect("whiteboard.ack")
    await cw.close()
    again, state = await join(candidate, session.id)
    assert {e["id"]: e["isDeleted"] for e in state["whiteboard"]["elements"]} == {
        "a": False,
        "b": True,
    }
    await again.close()


async def test_bulk_stale_and_fresh_mix_from_two_writers_keeps_the_highest(joined):
    session, interviewer, candidate, iw, cw = joined
    # Interleave without waiting: the writer batches them; the order of arrival must not matter.
    for version in (3, 1, 4, 2):
        await cw.send({"type": "whiteboard.update", "elements": [element("z", version, 10)]})
        await iw.send({"type": "whiteboard.update", "elements": [element("z", version, 5)]})
    for _ in range(4):
        await cw.expect_where("whiteboard.ack", lambda m: True)
        await iw.expect_where("whiteboard.ack", lambda m: True)
    assert await stored(session.id) == {"z": (4, 5, False)}


async def test_each_update_is_logged_with_its_own_version_even_within_one_batch(interview):
    from interviews.room.whiteboard import WhiteboardWrite, whiteboard_apply_batch

    session, _, candidate = interview
    writes = [
        WhiteboardWrite(
            session_id=session.pk,
            user_id=candidate.pk,
            role="candidate",
            elements=[element("same", version, 1)],
        )
        for version in (1, 2, 3)
    ]
    await database_sync_to_async(whiteboard_apply_batch)(writes)
    assert [json.loads(w.message_text)["elements"][0]["version"] for w in writes] == [1, 2, 3]
    logged = [e.message["elements"][0]["version"] async for e in RoomEvent.objects.order_by("seq")]
    assert logged == [1, 2, 3]
    assert await stored(session.id) == {"same": (3, 1, False)}


async def test_idle_and_away_states_are_relayed_per_tab(joined):
    session, interviewer, candidate, iw, cw = joined
    await cw.send({"type": "user.state", "state": "away"})
    relayed = await iw.expect("user.state")
    assert (relayed["user_id"], relayed["username"], relayed["state"]) == (
        candidate.pk,
        "cole",
        "away",
    )
    assert len(relayed["connection"]) == 12
    await cw.send({"type": "user.state", "state": "asleep"})
    assert (await cw.expect("error"))["code"] == "bad_message"
    assert await RoomEvent.objects.acount() == 0
