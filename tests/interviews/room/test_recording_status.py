"""The room tells everyone whether the interview is being recorded (docs/recording.md)."""

import pytest
from channels.db import database_sync_to_async

from interviews.models import Participant
from interviews.recordings.services import consent_set

from .conftest import join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _consent(session, user, consented: bool) -> None:
    consent_set(
        participant=Participant.objects.get(session=session, user=user), consented=consented
    )


async def test_every_socket_hears_the_recording_state_change(interview):
    session, interviewer, candidate = interview
    mine, state = await join(candidate, session.pk)
    theirs, _ = await join(interviewer, session.pk)
    assert state["recording"] == {
        "state": "pending",
        "consents": {"interviewer": None, "candidate": None},
        "active_since": None,
    }
    await database_sync_to_async(_consent)(session, candidate, True)
    heard = await mine.expect("recording.status")
    assert heard["state"] == "pending" and heard["consents"]["candidate"] is True
    await database_sync_to_async(_consent)(session, interviewer, True)
    for socket in (mine, theirs):
        heard = await socket.expect_where("recording.status", lambda m: m["state"] == "active")
        assert heard["consents"] == {"interviewer": True, "candidate": True}
        assert heard["active_since"]
    await database_sync_to_async(_consent)(session, interviewer, False)
    refused = await theirs.expect_where("recording.status", lambda m: m["state"] == "refused")
    assert refused["consents"]["interviewer"] is False
    await mine.close()
    await theirs.close()
