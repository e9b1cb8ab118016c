"""Room tests talk to the real ASGI application (origin check, cookie auth, routing) through
Channels' WebsocketCommunicator, on a real database (transactional tests)."""

import json
from contextlib import asynccontextmanager

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client

from casestudies.services import case_study_upsert
from config.asgi import application
from interviews.realtime.hub import hub
from rubrics.services import RUBRIC_CONTENT_DIR, rubric_load_file
from testkit.interviews import interview_between
from tests.conftest import _parsed_case_studies
from tests.factories import UserFactory
from tests.protocol_check import check_outbound

ORIGIN = b"http://localhost"


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class Socket:
    """A test client for the room: JSON in and out, with helpers to wait for a type."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.ws = communicator
        self.seen: list[dict] = []

    async def send(self, message: dict) -> None:
        await self.ws.send_to(text_data=json.dumps(message))

    async def receive(self, timeout: float = 3) -> dict:
        message = check_outbound(await self.ws.receive_json_from(timeout=timeout))
        self.seen.append(message)
        return message

    async def expect(self, kind: str, timeout: float = 3) -> dict:
        """Next message of `kind`; what comes before it stays in `seen`."""
        return await self.expect_where(kind, lambda message: True, timeout)

    async def expect_where(self, kind: str, check, timeout: float = 3) -> dict:
        """Next message of `kind` for which check(message) holds (skipping earlier ones)."""
        while True:
            message = await self.receive(timeout)
            if message["type"] == kind and check(message):
                return message

    async def drain(self, wait: float = 0.2) -> list[dict]:
        """Everything that arrives within `wait` seconds of quiet (the socket stays open)."""
        out = []
        while not await self.ws.receive_nothing(timeout=wait):
            out.append(await self.receive())
        return out

    async def close(self) -> None:
        await self.ws.disconnect()


async def open_socket(user, session_id, *, origin: bytes = ORIGIN):
    headers = [(b"origin", origin)]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, f"/ws/sessions/{session_id}/", headers)
    connected, _ = await communicator.connect()
    return connected, communicator


async def join(user, session_id) -> tuple[Socket, dict]:
    connected, communicator = await open_socket(user, session_id)
    assert connected
    socket = Socket(communicator)
    state = await socket.expect("state")
    return socket, state


def _make_interview(**options):
    rubric_load_file(RUBRIC_CONTENT_DIR / "ml-system-design.yaml")
    case = case_study_upsert(fields=_parsed_case_studies()[0])[0]
    interviewer = UserFactory(username="iris")
    candidate = UserFactory(username="cole")
    return interview_between(interviewer, candidate, case, **options), interviewer, candidate


@pytest.fixture
def make_interview(transactional_db):
    return _make_interview


@pytest.fixture
def interview(make_interview):
    return make_interview()


@asynccontextmanager
async def in_room(session, *users):
    """Sockets of `users` in the room of `session`, each past its `state`; closed on the way
    out, in the order they joined."""
    sockets = [(await join(user, session.id))[0] for user in users]
    try:
        yield sockets
    finally:
        for socket in sockets:
            await socket.close()


@pytest_asyncio.fixture
async def joined(interview):
    """The interview with both people in the room: (session, interviewer, candidate, the
    interviewer's socket, the candidate's socket)."""
    session, interviewer, candidate = interview
    async with in_room(session, interviewer, candidate) as (iw, cw):
        yield session, interviewer, candidate, iw, cw


@pytest_asyncio.fixture
async def candidate_joined(interview):
    """The interview with the candidate alone in the room: (session, their socket)."""
    session, _, candidate = interview
    async with in_room(session, candidate) as (cw,):
        yield session, cw


@pytest_asyncio.fixture
async def interviewer_joined(interview):
    """The interview with the interviewer alone in the room: (session, their socket)."""
    session, interviewer, _ = interview
    async with in_room(session, interviewer) as (iw,):
        yield session, iw


@pytest.fixture(autouse=True)
def _room_tasks_inline(inline_tasks):
    """Reports run inline here; a real worker is exercised in the report tests."""


@pytest_asyncio.fixture(autouse=True)
async def stop_hub():
    """Each test runs its own event loop; stop the hub's tasks and its writer's database
    connection with it."""
    yield
    await hub.shutdown()
    # The async ORM used by the tests keeps a connection in asgiref's sync thread; give it
    # back so the test database can be dropped at the end of the run.
    await sync_to_async(connections.close_all)()
