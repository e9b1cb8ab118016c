import pytest
from channels.db import database_sync_to_async

from interviews.models import InterviewSession, Report, WhiteboardSnapshot
from interviews.room import selectors as room_selectors
from testkit.excalidraw import element

from .conftest import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_session_end_makes_the_room_read_only_and_builds_the_report(joined):
    session, interviewer, candidate, iw, cw = joined
    await iw.send({"type": "timer.start"})
    await cw.send({"type": "whiteboard.update", "elements": [element("a", 1, 1)]})
    await cw.expect("whiteboard.ack")
    await iw.send({"type": "session.end"})
    ended = [await s.expect_where("session.ended", lambda m: True) for s in (iw, cw)]
    assert ended[0] == ended[1]
    assert ended[0]["timer"]["status"] == "ended"
    stored = await InterviewSession.objects.aget(pk=session.pk)
    assert stored.status == "ended" and stored.ended_at and not stored.timer_running
    snapshot = await WhiteboardSnapshot.objects.filter(reason="end").aget()
    assert [e["id"] for e in snapshot.elements] == ["a"]
    # Tasks run inline here: the report is built right after the commit (so its news may even
    # come before session.ended), and the room hears of it.
    if not any(m["type"] == "report.status" and m["status"] == "ready" for m in cw.seen):
        await cw.expect_where("report.status", lambda m: m["status"] == "ready")
    assert (await Report.objects.aget(session_id=session.pk)).status == "ready"

    for socket, message in (
        (cw, {"type": "whiteboard.update", "elements": [element("b", 1, 1)]}),
        (cw, {"type": "chat.send", "text": "one more thing"}),
        (iw, {"type": "timer.resume"}),
        (iw, {"type": "note.save", "step": "data", "text": "late"}),
        (iw, {"type": "board.lock", "locked": True}),
        (iw, {"type": "session.end"}),
    ):
        await socket.send(message)
        assert (await socket.expect_where("error", lambda m: True))["code"] == "session_ended"


async def test_sync_replays_what_a_client_missed_in_order(interview):
    session, interviewer, candidate = interview
    iw, _ = await join(interviewer, session.id)
    await iw.send({"type": "timer.start"})
    await iw.send({"type": "chat.send", "text": "first"})
    await iw.send({"type": "whiteboard.update", "elements": [element("a", 1, 1)]})
    await iw.expect("whiteboard.ack")
    cw, state = await join(candidate, session.id)
    assert state["seq"] == 3
    await cw.send({"type": "sync", "last_seq": 1})
    reply = await cw.expect("sync")
    assert reply["seq"] == 3
    assert [(m["type"], m["seq"]) for m in reply["events"]] == [
        ("chat.message", 2),
        ("whiteboard.update", 3),
    ]
    await cw.send({"type": "sync", "last_seq": 3})
    assert (await cw.expect("sync"))["events"] == []
    await iw.close()
    await cw.close()


async def test_sync_after_too_many_missed_messages_sends_a_fresh_state(
    interviewer_joined, monkeypatch
):
    monkeypatch.setattr(room_selectors, "MAX_REPLAY", 2)
    session, iw = interviewer_joined
    for i in range(3):
        await iw.send({"type": "chat.send", "text": f"m{i}"})
        await iw.expect("chat.message")
    await iw.send({"type": "sync", "last_seq": 0})
    state = await iw.expect("state")
    assert state["seq"] == 3 and len(state["chat"]) == 3


def _log_out_through_the_api(user) -> int:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(user)
    return client.post("/api/auth/logout/").status_code


async def test_logout_closes_the_users_room_sockets(interview):
    session, interviewer, candidate = interview
    cw, _ = await join(candidate, session.id)
    assert await database_sync_to_async(_log_out_through_the_api)(candidate) == 204
    output = await cw.ws.receive_output(timeout=3)
    while output.get("type") != "websocket.close":
        output = await cw.ws.receive_output(timeout=3)
    assert output["code"] == 4401
