import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from interviews.feedback import services as feedback_services
from interviews.room.services import session_end
from tests.protocol_check import check_outbound

from .conftest import ORIGIN, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def notifications_for(user) -> WebsocketCommunicator:
    headers = [(b"origin", ORIGIN)]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def next_of(communicator, kind):
    while True:
        message = check_outbound(await communicator.receive_json_from(timeout=5))
        if message["type"] == kind:
            return message


async def test_dashboard_hears_when_the_report_is_ready_and_released(interview):
    session, interviewer, candidate = interview
    socket = await notifications_for(candidate)
    # Ending the interview builds the report (inline here) and announces it.
    await database_sync_to_async(session_end)(session_id=session.pk, role="interviewer")
    ready = await next_of(socket, "report.ready")
    assert ready["session_id"] == str(session.pk)
    await session.arefresh_from_db()
    await database_sync_to_async(feedback_services.feedback_release)(
        session=session, role="interviewer"
    )
    released = await next_of(socket, "feedback.released")
    assert released["session_id"] == str(session.pk)
    await socket.disconnect()


async def test_others_hear_nothing_of_my_sessions(interview, user_factory):
    session, interviewer, _ = interview
    stranger = await database_sync_to_async(user_factory)(username="sam")
    socket = await notifications_for(stranger)
    await database_sync_to_async(session_end)(session_id=session.pk, role="interviewer")
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_anonymous_notifications_socket_is_closed_with_4401():
    socket = await notifications_for(None)
    output = await socket.receive_output(timeout=3)
    assert output == {"type": "websocket.close", "code": 4401}


async def test_a_socket_failing_to_take_a_notification_does_not_starve_the_users_others(
    interview,
):
    """A page being closed while a notice goes out (its send raises) must not keep the
    notice from the same user's other open pages."""
    from interviews.room.consumers import hub

    session, _, candidate = interview
    first = await notifications_for(candidate)
    second = await notifications_for(candidate)
    members = hub.users[candidate.pk]
    assert len(members) == 2
    broken = next(iter(members))

    async def closed(text, seq):
        raise ConnectionResetError("the page is going away")

    broken.deliver = closed
    # The broken socket is tried first, whatever the set's order.
    hub.users[candidate.pk] = [broken, *(m for m in members if m is not broken)]
    try:
        await database_sync_to_async(session_end)(session_id=session.pk, role="interviewer")
        heard = [
            await next_of(socket, "report.ready")
            for socket in (first, second)
            if not await socket.receive_nothing(timeout=2)
        ]
        assert [m["session_id"] for m in heard] == [str(session.pk)]
    finally:
        hub.users[candidate.pk] = members
    await first.disconnect()
    await second.disconnect()
