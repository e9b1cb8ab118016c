"""ICE servers for the call, and coturn's time-limited TURN credentials."""

import base64
import hashlib
import hmac

import pytest

from interviews.media.call import call_config, sdp_sends_media, turn_credentials

NOW = 1_700_000_000


def test_turn_credentials_follow_coturns_rest_scheme():
    # The password was computed outside Python:
    #   printf '%s' '1700021600:42' | openssl dgst -sha1 -hmac 'north-star-secret' -binary | base64
    username, password = turn_credentials(
        secret="north-star-secret", user_id=42, ttl=21600, now=NOW + 0.9
    )
    assert username == "1700021600:42"
    assert password == "YDBG6LZhzOWYEtdHZJ9blEbdDDE="


def test_turn_credentials_match_a_hand_computed_hmac():
    username, password = turn_credentials(secret="s3cr3t", user_id=7, ttl=60, now=NOW)
    expected = base64.b64encode(hmac.new(b"s3cr3t", b"1700000060:7", hashlib.sha1).digest())
    assert (username, password) == ("1700000060:7", expected.decode())


def test_no_ice_servers_by_default(settings):
    settings.CALL_STUN_URLS, settings.CALL_TURN_URLS, settings.CALL_TURN_SECRET = [], [], ""
    assert call_config(user_id=1, now=NOW) == {"ice_servers": [], "expires_at": None}


def test_stun_and_turn_from_the_settings(settings):
    settings.CALL_STUN_URLS = ["stun:turn.example.com:3478"]
    settings.CALL_TURN_URLS = [
        "turn:turn.example.com:3478?transport=udp",
        "turns:turn.example.com:5349",
    ]
    settings.CALL_TURN_SECRET = "north-star-secret"
    settings.CALL_TURN_TTL_SECONDS = 21600
    config = call_config(user_id=42, now=NOW)
    assert config == {
        "ice_servers": [
            {"urls": ["stun:turn.example.com:3478"]},
            {
                "urls": settings.CALL_TURN_URLS,
                "username": "1700021600:42",
                "credential": "YDBG6LZhzOWYEtdHZJ9blEbdDDE=",
            },
        ],
        "expires_at": 1700021600 * 1000,
    }


def sdp(*directions: str, kind: str = "audio") -> str:
    head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    body = "".join(
        f"m={kind} 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n"
        + (f"a={d}\r\n" if d else "")
        + "a=mid:0\r\n"
        for d in directions
    )
    return head + body + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:2\r\n"


@pytest.mark.parametrize(
    "description, sends",
    [
        (sdp("recvonly"), False),
        (sdp("recvonly", "inactive"), False),
        (sdp("recvonly", "recvonly", kind="video"), False),
        (sdp("sendrecv"), True),
        (sdp("recvonly", "sendonly"), True),
        (sdp("sendonly", kind="video"), True),
        (sdp(""), True),  # no direction: sendrecv by default
    ],
)
def test_which_descriptions_send_media(description, sends):
    assert sdp_sends_media(description) is sends
