"""The participants' WebRTC call: which ICE servers a participant may use, and the checks the
room applies to signalling before relaying it.

The browsers connect peer to peer; the server only relays their offers, answers and candidates
over the room socket (docs/protocol.md, `call.signal`) and never stores them.
"""

import base64
import hashlib
import hmac
import re
import time

from django.conf import settings

from ..models import Participant


def turn_credentials(*, secret: str, user_id: int, ttl: int, now: float) -> tuple[str, str]:
    """coturn's `use-auth-secret` REST credentials: the username is `<expiry unix time>:<user
    id>` and the password base64(HMAC-SHA1(secret, username)). coturn recomputes the password
    from the username and refuses it once the expiry has passed, so nothing is shared but the
    secret and a leaked password lapses by itself."""
    username = f"{int(now) + ttl}:{user_id}"
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def call_config(*, user_id: int, now: float | None = None) -> dict:
    """What a participant's browser needs to place the call: its ICE servers (RTCIceServer
    dictionaries) and when the TURN credentials in them expire (ms, null without TURN)."""
    now = time.time() if now is None else now
    servers: list[dict] = []
    if settings.CALL_STUN_URLS:
        servers.append({"urls": list(settings.CALL_STUN_URLS)})
    expires_at = None
    if settings.CALL_TURN_URLS and settings.CALL_TURN_SECRET:
        ttl = settings.CALL_TURN_TTL_SECONDS
        username, credential = turn_credentials(
            secret=settings.CALL_TURN_SECRET, user_id=user_id, ttl=ttl, now=now
        )
        servers.append(
            {"urls": list(settings.CALL_TURN_URLS), "username": username, "credential": credential}
        )
        expires_at = (int(now) + ttl) * 1000
    return {"ice_servers": servers, "expires_at": expires_at}


def session_participant_ids(*, session_id) -> frozenset[int]:
    """Who signalling may be addressed to: the session's participants, online or not."""
    return frozenset(
        Participant.objects.filter(session_id=session_id).values_list("user_id", flat=True)
    )


# A media section's direction attribute saying this side will send.
_SENDING = re.compile(r"^a=(sendrecv|sendonly)\s*$", re.MULTILINE)


def sdp_sends_media(sdp: str) -> bool:
    """Whether a description offers or agrees to send audio or video. Observers listen only:
    their offers and answers must say `recvonly` (or `inactive`) for every media section.
    A section without a direction attribute defaults to sendrecv (RFC 8866), so one is
    required for each audio or video section."""
    sections = re.split(r"^(?=m=)", sdp, flags=re.MULTILINE)[1:]
    for section in sections:
        if not section.startswith(("m=audio", "m=video")):
            continue
        if _SENDING.search(section):
            return True
        if not re.search(r"^a=(recvonly|inactive)\s*$", section, re.MULTILINE):
            return True
    return False
