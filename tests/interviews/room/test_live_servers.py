"""Rooms on real server processes: spanning two processes through Redis, and surviving a
SIGKILL of the server mid-interview."""

import asyncio

import pytest
from channels.db import database_sync_to_async

from interviews.models import WhiteboardElement
from testkit.excalidraw import element
from tests.conftest import require_service
from tests.live import LiveServer, RoomClient, cookie_for, launched

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def servers():
    with launched(LiveServer) as start:
        yield start


async def clients_for(interview, server_i, server_c):
    session, interviewer, candidate = interview
    cookie_i = await database_sync_to_async(cookie_for)(interviewer)
    cookie_c = await database_sync_to_async(cookie_for)(candidate)
    iw = RoomClient(server_i, cookie_i, session.id)
    cw = RoomClient(server_c, cookie_c, session.id)
    await iw.connect()
    await cw.connect()
    return iw, cw


async def test_a_room_spans_two_server_processes(interview, servers):
    require_service("REDIS_URL", "Redis")
    a, b = servers(redis=True), servers(redis=True)
    iw, cw = await clients_for(interview, a, b)

    await cw.send({"type": "whiteboard.update", "elements": [element("c1", 1, 1)]})
    assert [e["id"] for e in (await iw.expect("whiteboard.update"))["elements"]] == ["c1"]
    await iw.send({"type": "whiteboard.update", "elements": [element("i1", 1, 1)]})
    assert [e["id"] for e in (await cw.expect("whiteboard.update"))["elements"]] == ["i1"]

    await iw.send({"type": "timer.start"})
    on_a = await iw.expect("timer.state")
    on_b = await cw.expect("timer.state")
    assert on_a["timer"] == on_b["timer"] and on_a["seq"] == on_b["seq"]

    await cw.send({"type": "chat.send", "text": "hello from B"})
    assert (await iw.expect("chat.message"))["message"]["text"] == "hello from B"
    await iw.send({"type": "chat.send", "text": "hello from A"})
    assert await cw.expect("chat.message", lambda m: m["message"]["author"] == "iris")

    await cw.send({"type": "pointer", "x": 1, "y": 2})
    assert (await iw.expect("pointer"))["username"] == "cole"

    # Notes cross processes to the interviewer's other tabs only.
    cookie_i = await database_sync_to_async(cookie_for)(interview[1])
    second_tab = RoomClient(b, cookie_i, interview[0].id)
    await second_tab.connect()
    await iw.send({"type": "note.save", "step": "clarify", "text": "asked about scale"})
    assert (await second_tab.expect("note.saved"))["note"]["text"] == "asked about scale"
    await cw.send({"type": "ping"})
    await cw.expect("pong")
    assert not any(m["type"] == "note.saved" for m in cw.seen)

    # Both processes write the same element concurrently: the highest version wins.
    sends = []
    for version in range(2, 42):
        sender = iw if version % 2 else cw
        sends.append(
            sender.send(
                {"type": "whiteboard.update", "elements": [element("shared", version, version)]}
            )
        )
    await asyncio.gather(*sends)
    await iw.expect("whiteboard.ack", lambda m: True)
    # database_sync_to_async (not the async ORM): it closes its connection, which the test
    # database must not keep once the run ends.
    for _ in range(100):
        stored = await database_sync_to_async(
            WhiteboardElement.objects.filter(element_id="shared").first
        )()
        if stored and stored.version == 41:
            break
        await asyncio.sleep(0.05)
    assert stored.version == 41
    for client in (iw, cw, second_tab):
        await client.close()


async def test_a_killed_server_loses_nothing_that_was_accepted(interview, servers):
    server = servers()
    iw, cw = await clients_for(interview, server, server)
    await iw.send({"type": "timer.start"})
    await iw.expect("timer.state")
    await iw.send({"type": "timer.next"})
    await iw.expect("timer.state")
    await iw.send({"type": "timer.extend", "minutes": 2})
    timer_before = (await iw.expect("timer.state"))["timer"]

    scene = [
        element(f"e{i}", 1 + i % 3, i, kind="text" if i % 4 == 0 else "rectangle")
        for i in range(60)
    ]
    acked = 0
    for i in range(0, 40, 4):
        await cw.send({"type": "whiteboard.update", "elements": scene[i : i + 4]})
        acked += (await cw.expect("whiteboard.ack"))["accepted"]
    assert acked == 40
    # More updates in flight when the server dies: no ack, so the client keeps them.
    for i in range(40, 60, 4):
        await cw.send({"type": "whiteboard.update", "elements": scene[i : i + 4]})
    server.kill()

    server.start()
    iw, cw = await clients_for(interview, server, server)
    assert iw.state["timer"] == timer_before
    stored = {e["id"]: e for e in cw.state["whiteboard"]["elements"]}
    for el in scene[:40]:
        assert stored[el["id"]] == el
    # After reconnecting the client re-sends its full scene: nothing at all is lost.
    await cw.send({"type": "whiteboard.update", "elements": scene})
    await cw.expect("whiteboard.ack")
    rows = await database_sync_to_async(
        lambda: {e.element_id: e.element for e in WhiteboardElement.objects.all()}
    )()
    assert rows == {el["id"]: el for el in scene}
    await iw.close()
    await cw.close()


def online(message: dict) -> dict:
    return {p["username"]: p["online"] for p in message["participants"]}


async def test_a_tab_closing_on_another_process_is_seen_offline_within_seconds(interview, servers):
    require_service("REDIS_URL", "Redis")
    a, b = servers(redis=True), servers(redis=True)
    iw, cw = await clients_for(interview, a, b)
    await iw.expect("presence", lambda m: online(m) == {"iris": True, "cole": True})

    await cw.close()  # the candidate's only tab, held by process B
    await iw.expect("presence", lambda m: online(m) == {"iris": True, "cole": False}, timeout=5)

    # And back: the candidate reopens the room on B.
    await cw.connect()
    await iw.expect("presence", lambda m: online(m) == {"iris": True, "cole": True}, timeout=5)
    await iw.close()
    await cw.close()


async def test_a_killed_process_drops_out_of_presence_within_the_heartbeat_window(
    interview, servers
):
    require_service("REDIS_URL", "Redis")
    window = 4  # seconds; production uses a minute
    env = {"ROOM_PRESENCE_TIMEOUT_SECONDS": str(window)}
    a, b = servers(redis=True, env=env), servers(redis=True, env=env)
    iw, cw = await clients_for(interview, a, b)
    await iw.expect("presence", lambda m: online(m) == {"iris": True, "cole": True})

    b.kill()  # no close frames, no goodbye: only the heartbeat can tell
    await iw.expect(
        "presence", lambda m: online(m) == {"iris": True, "cole": False}, timeout=window + 5
    )
    await iw.close()


async def test_call_signalling_crosses_processes_to_the_named_participant_only(interview, servers):
    """Signalling is addressed to one user: it reaches that user's socket on the other process,
    and neither the sender's process nor a third person on either process hears it."""
    require_service("REDIS_URL", "Redis")
    from interviews.models import Participant
    from tests.factories import UserFactory

    a, b = servers(redis=True), servers(redis=True)
    iw, cw = await clients_for(interview, a, b)

    def observer_cookie():
        user = UserFactory(username="olga")
        Participant.objects.create(session=interview[0], user=user, role="observer")
        return cookie_for(user)

    cookie_o = await database_sync_to_async(observer_cookie)()
    ow = RoomClient(a, cookie_o, interview[0].id)
    await ow.connect()
    candidate_id = interview[2].pk
    hello = {"type": "call.signal", "to": candidate_id, "peer": "iv-1", "to_peer": None}
    await iw.send(hello)
    got = await cw.expect("call.signal")
    assert got == {"type": "call.signal", "from": interview[1].pk, "peer": "iv-1", "to_peer": None}
    await cw.send({"type": "call.signal", "to": ow.state["me"]["user_id"], "peer": "cd-1"})
    assert (await ow.expect("call.signal"))["from"] == candidate_id
    for client in (iw, cw, ow):
        await client.send({"type": "ping"})
        await client.expect("pong")
    assert [m["from"] for m in ow.seen if m["type"] == "call.signal"] == [candidate_id]
    assert not any(m["type"] == "call.signal" for m in iw.seen)
    for client in (iw, cw, ow):
        await client.close()
