import pytest
from django.utils import timezone

from interviews.models import Participant
from interviews.recordings.services import consent_set
from interviews.room import services as room_services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Audio files go to a fresh directory per test (so a test can see they are gone)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def now_ms() -> int:
    return int(timezone.now().timestamp() * 1000)


@pytest.fixture
def live(interview, client_for):
    """A started interview whose two participants consented to recording, with their clients."""
    session, interviewer, candidate = interview
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    clients = {"interviewer": client_for(interviewer), "candidate": client_for(candidate)}
    for api in clients.values():
        assert api.post(consent_url(session), {"consent": True}, format="json").status_code == 200
    return session, clients


def recording_people(session) -> dict[str, Participant]:
    """Start the interview and have both participants consent to recording, through the
    services; returns them by role."""
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    people = {p.role: p for p in Participant.objects.filter(session=session)}
    for participant in people.values():
        consent_set(participant=participant, consented=True)
    return people


def consent_url(session) -> str:
    return f"/api/sessions/{session.pk}/recording/consent/"


def chunk_url(session, index: int, start: int, duration: int = 10_000) -> str:
    return f"/api/sessions/{session.pk}/recording/chunks/{index}/?start={start}&duration={duration}"


def put_chunk(api, session, index: int, body: bytes, start: int, **kwargs):
    content_type = kwargs.pop("content_type", "audio/webm;codecs=opus")
    duration = kwargs.pop("duration", 10_000)
    return api.put(chunk_url(session, index, start, duration), data=body, content_type=content_type)


def observer_of(session, user):
    return Participant.objects.create(session=session, user=user, role="observer")
