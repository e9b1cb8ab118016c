import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from interviews.models import RoomConnection
from tests.factories import UserFactory

from .conftest import join, open_socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def close_code(communicator) -> int:
    output = await communicator.receive_output(timeout=3)
    assert output["type"] == "websocket.close", output
    return output["code"]


async def test_anonymous_socket_is_closed_with_4401_before_any_data(interview):
    session, _, _ = interview
    connected, communicator = await open_socket(None, session.id)
    assert connected
    assert await close_code(communicator) == 4401


async def test_non_participant_is_closed_with_4403(interview):
    session, _, _ = interview
    stranger = await database_sync_to_async(UserFactory)(username="sam")
    connected, communicator = await open_socket(stranger, session.id)
    assert await close_code(communicator) == 4403


@pytest.mark.parametrize("session_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
async def test_unknown_session_looks_the_same_as_a_foreign_one(interview, session_id):
    _, interviewer, _ = interview
    connected, communicator = await open_socket(interviewer, session_id)
    assert await close_code(communicator) == 4403


async def test_foreign_origin_is_refused_at_the_handshake(interview):
    session, interviewer, _ = interview
    connected, _ = await open_socket(interviewer, session.id, origin=b"http://evil.example")
    assert not connected


async def test_state_snapshot_is_filtered_by_role(interview):
    session, interviewer, candidate = interview
    iw, state_i = await join(interviewer, session.id)
    cw, state_c = await join(candidate, session.id)
    for state in (state_i, state_c):
        assert state["seq"] == 0
        assert state["timer"]["status"] == "not_started"
        assert state["session"]["case_study"]["prompt"]
        assert state["whiteboard"] == {"elements": []} and state["chat"] == []
        assert {p["username"] for p in state["participants"]} == {"iris", "cole"}
    assert state_i["me"]["role"] == "interviewer"
    assert {"notes", "scores", "rubric", "guide"} <= set(state_i)
    assert state_i["rubric"]["criteria"]
    assert state_c["me"]["role"] == "candidate"
    assert not {"notes", "scores", "rubric", "guide"} & set(state_c)
    await iw.close()
    await cw.close()


async def test_presence_follows_connections(interview):
    session, interviewer, candidate = interview
    iw, _ = await join(interviewer, session.id)
    cw, _ = await join(candidate, session.id)

    def online(message):
        return {p["username"]: p["online"] for p in message["participants"]}

    await iw.expect_where("presence", lambda m: online(m) == {"iris": True, "cole": True})
    await cw.close()
    await iw.expect_where("presence", lambda m: online(m) == {"iris": True, "cole": False})
    await iw.close()
    assert await RoomConnection.objects.acount() == 0


async def test_sockets_of_a_process_that_stopped_refreshing_them_go_offline_by_heartbeat(
    interview, settings
):
    """A socket held by another process that died: its row exists, nobody refreshes it, and
    nobody sends a presence for it. This process's heartbeat notices and tells its members."""
    settings.ROOM_PRESENCE_TIMEOUT_SECONDS = 2
    session, interviewer, candidate = interview
    await RoomConnection.objects.acreate(
        id="held-by-a-dead-process", session=session, user=candidate, last_seen=timezone.now()
    )
    iw, state = await join(interviewer, session.id)
    assert {p["username"]: p["online"] for p in state["participants"]} == {
        "iris": True,
        "cole": True,
    }

    def online(message):
        return {p["username"]: p["online"] for p in message["participants"]}

    await iw.expect_where(
        "presence", lambda m: online(m) == {"iris": True, "cole": False}, timeout=5
    )
    await iw.close()


async def test_forged_or_stale_session_cookies_are_anonymous(interview):
    from channels.testing import WebsocketCommunicator

    from config.asgi import application

    session, interviewer, _ = interview
    forged = WebsocketCommunicator(
        application,
        f"/ws/sessions/{session.id}/",
        [(b"origin", b"http://localhost"), (b"cookie", b"sessionid=not-a-real-session")],
    )
    await forged.connect()
    assert await close_code(forged) == 4401
    # A password change invalidates existing sessions (Django's session auth hash).
    connected, communicator = await open_socket(interviewer, session.id)
    await communicator.receive_json_from()  # state: the cookie works
    cookie = dict(communicator.scope["headers"])[b"cookie"]

    def change_password():
        interviewer.set_password("a-brand-new-passphrase")
        interviewer.save()

    await database_sync_to_async(change_password)()
    stale = WebsocketCommunicator(
        application,
        f"/ws/sessions/{session.id}/",
        [(b"origin", b"http://localhost"), (b"cookie", cookie)],
    )
    await stale.connect()
    assert await close_code(stale) == 4401
    await communicator.disconnect()
