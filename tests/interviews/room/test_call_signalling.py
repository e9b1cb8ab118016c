"""Call signalling (`call.signal`, `call.media`) is relayed only to the participant it names,
never logged, and refused when malformed, addressed outside the session, or when an observer
tries to send media."""

import json

import pytest
from channels.db import database_sync_to_async

from interviews.models import InterviewSession, Participant, RoomEvent
from tests.factories import UserFactory

from .conftest import _make_interview, join

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

OFFER_SDP = (
    "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendrecv\r\n"
    "a=rtpmap:111 opus/48000/2\r\n"
)
LISTEN_SDP = OFFER_SDP.replace("a=sendrecv", "a=recvonly")
CANDIDATE = {
    "candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0",
    "sdpMid": "0",
    "sdpMLineIndex": 0,
    "usernameFragment": "abcd",
}


async def add_observer(session) -> object:
    def make():
        user = UserFactory(username="olga")
        Participant.objects.create(session=session, user=user, role="observer")
        return user

    return await database_sync_to_async(make)()


async def test_signalling_reaches_only_the_participant_it_names_and_is_not_logged(interview):
    session, interviewer, candidate = interview
    observer = await add_observer(session)
    iw, _ = await join(interviewer, session.id)
    cw, _ = await join(candidate, session.id)
    ow, _ = await join(observer, session.id)
    for sock in (iw, cw, ow):
        await sock.drain()
    await cw.send(
        {
            "type": "call.signal",
            "to": interviewer.pk,
            "peer": "c-1",
            "to_peer": None,
            "description": {"type": "offer", "sdp": OFFER_SDP},
        }
    )
    await cw.send(
        {"type": "call.signal", "to": interviewer.pk, "peer": "c-1", "candidate": CANDIDATE}
    )
    offer = await iw.expect("call.signal")
    assert offer == {
        "type": "call.signal",
        "from": candidate.pk,
        "peer": "c-1",
        "to_peer": None,
        "description": {"type": "offer", "sdp": OFFER_SDP},
    }
    candidate_message = await iw.expect("call.signal")
    assert candidate_message["candidate"] == CANDIDATE
    # A hello: no description and no candidate.
    await iw.send({"type": "call.signal", "to": candidate.pk, "peer": "i-1", "to_peer": "c-1"})
    hello = await cw.expect("call.signal")
    assert hello == {"type": "call.signal", "from": interviewer.pk, "peer": "i-1", "to_peer": "c-1"}
    # Neither the sender's other sockets nor the observer heard any of it.
    assert [m for m in await ow.drain() if m["type"] == "call.signal"] == []
    assert [m for m in await cw.drain() if m["type"] == "call.signal"] == []
    refreshed = await InterviewSession.objects.aget(pk=session.pk)
    assert refreshed.seq == 0
    assert await RoomEvent.objects.filter(session_id=session.pk).acount() == 0
    for sock in (iw, cw, ow):
        await sock.close()


async def test_media_state_goes_to_everyone_else(interview):
    session, interviewer, candidate = interview
    iw, _ = await join(interviewer, session.id)
    cw, _ = await join(candidate, session.id)
    await cw.send({"type": "call.media", "audio": False, "video": True})
    assert await iw.expect("call.media") == {
        "type": "call.media",
        "user_id": candidate.pk,
        "audio": False,
        "video": True,
    }
    assert [m for m in await cw.drain() if m["type"] == "call.media"] == []
    await iw.close()
    await cw.close()


def signal(**fields) -> dict:
    return {"type": "call.signal", "peer": "p-1", **fields}


BAD_SIGNALS = [
    (signal(), "bad_message"),  # no `to`
    (signal(to="2"), "bad_message"),
    (signal(to=2, peer=""), "bad_message"),
    (signal(to=2, peer="has space"), "bad_message"),
    (signal(to=2, peer="p" * 33), "bad_message"),
    (signal(to=2, to_peer=5), "bad_message"),
    (signal(to=2, description={"type": "pranswer", "sdp": OFFER_SDP}), "bad_message"),
    (signal(to=2, description={"type": "offer", "sdp": "hello"}), "bad_message"),
    (signal(to=2, description={"type": "offer"}), "bad_message"),
    (signal(to=2, description={"type": "offer", "sdp": OFFER_SDP, "x": 1}), "bad_message"),
    (signal(to=2, description="v=0"), "bad_message"),
    (
        signal(to=2, description={"type": "offer", "sdp": "v=0\r\n" + "a=x\r\n" * 14000}),
        "too_large",
    ),
    (signal(to=2, candidate={"candidate": "evil", "sdpMid": "0"}), "bad_message"),
    (signal(to=2, candidate={"candidate": CANDIDATE["candidate"]}), "bad_message"),
    (signal(to=2, candidate={**CANDIDATE, "sdpMLineIndex": -1}), "bad_message"),
    (signal(to=2, candidate={**CANDIDATE, "candidate": "candidate:" + "1" * 1100}), "too_large"),
    (
        signal(to=2, candidate=CANDIDATE, description={"type": "offer", "sdp": OFFER_SDP}),
        "bad_message",
    ),
    ({"type": "call.media", "audio": "on", "video": False}, "bad_message"),
    ({"type": "call.media", "audio": True}, "bad_message"),
]


@pytest.mark.parametrize("frame, code", BAD_SIGNALS)
async def test_malformed_signalling_gets_an_error_and_goes_nowhere(interview, frame, code):
    session, interviewer, candidate = interview
    iw, _ = await join(interviewer, session.id)
    cw, _ = await join(candidate, session.id)
    await iw.drain()
    if frame.get("to") == 2:
        frame = {**frame, "to": candidate.pk}
    await iw.send({**frame, "ref": "r-1"})
    error = await iw.expect("error")
    assert (error["code"], error["ref"]) == (code, "r-1")
    assert [m for m in await cw.drain() if m["type"].startswith("call.")] == []
    await iw.close()
    await cw.close()


async def test_signalling_cannot_leave_the_session(make_interview):
    first, interviewer, candidate = await database_sync_to_async(make_interview)()

    def other_session():
        from casestudies.models import CaseStudy
        from testkit.interviews import interview_between

        someone = UserFactory(username="otto")
        elsewhere = UserFactory(username="eve")
        return interview_between(someone, elsewhere, CaseStudy.objects.first()), someone

    second, someone = await database_sync_to_async(other_session)()
    iw, _ = await join(interviewer, first.id)
    ow, _ = await join(someone, second.id)
    await ow.drain()
    for target in (someone.pk, interviewer.pk, 10**9):
        await iw.send(signal(to=target, description={"type": "offer", "sdp": OFFER_SDP}))
        if target == interviewer.pk:
            assert (await iw.expect("error"))["code"] == "bad_message"  # to yourself
        else:
            error = await iw.expect("error")
            assert error["code"] == "bad_message" and "participant" in error["message"]
    assert [m for m in await ow.drain() if m["type"] == "call.signal"] == []
    await iw.close()
    await ow.close()


async def test_observers_listen_but_cannot_send_media(interview):
    session, interviewer, candidate = interview
    observer = await add_observer(session)
    iw, _ = await join(interviewer, session.id)
    ow, _ = await join(observer, session.id)
    await iw.drain()
    await ow.send(signal(to=interviewer.pk, description={"type": "offer", "sdp": OFFER_SDP}))
    assert (await ow.expect("error"))["code"] == "forbidden"
    await ow.send(signal(to=interviewer.pk, description={"type": "answer", "sdp": LISTEN_SDP}))
    await ow.send(signal(to=interviewer.pk, candidate=CANDIDATE))
    got = await iw.expect("call.signal")
    assert got["description"]["sdp"] == LISTEN_SDP and got["from"] == observer.pk
    assert (await iw.expect("call.signal"))["candidate"] == CANDIDATE
    await iw.close()
    await ow.close()


async def test_a_participant_who_joins_later_can_be_called(make_interview):
    """The list of who may be called is read again for someone it does not know yet."""

    def session_with_open_invite():
        session, interviewer, candidate = _make_interview()
        return session, interviewer

    session, interviewer = await database_sync_to_async(session_with_open_invite)()
    iw, _ = await join(interviewer, session.id)
    await iw.send(signal(to=10**6, candidate=CANDIDATE))  # fills the cache without her
    assert (await iw.expect("error"))["code"] == "bad_message"
    observer = await add_observer(session)
    ow, _ = await join(observer, session.id)
    await iw.send(signal(to=observer.pk, candidate=CANDIDATE))
    assert (await ow.expect("call.signal"))["from"] == interviewer.pk
    await iw.close()
    await ow.close()


async def test_the_state_message_carries_the_ice_servers(interview, settings):
    settings.CALL_TURN_URLS = ["turn:127.0.0.1:3478"]
    settings.CALL_TURN_SECRET = "north-star-secret"
    session, interviewer, candidate = interview
    cw, state = await join(candidate, session.id)
    (turn,) = state["call"]["ice_servers"]
    assert turn["urls"] == ["turn:127.0.0.1:3478"]
    assert turn["username"].endswith(f":{candidate.pk}")
    assert "north-star-secret" not in json.dumps(state)
    await cw.close()
