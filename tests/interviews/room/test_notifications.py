import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from interviews import services
from interviews.services.room import session_end

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
        message = await communicator.receive_json_from(timeout=5)
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
    await database_sync_to_async(services.feedback_release)(session=session, role="interviewer")
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
