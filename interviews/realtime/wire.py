"""The transport's vocabulary: group names, who a message is for, and the envelopes that carry
room and user messages between processes (and from workers). A leaf: imports nothing of the app,
so the hub, notify and the domain packages agree on these names without importing each other."""

GROUP = "group:"  # outbox key prefix: send to a group rather than one process's channel
ALL, INTERVIEWER = "all", "interviewer"
USER = "user:"  # audience prefix: only the sockets of one user (call signalling)
EXTERNAL = "external"  # origin of messages sent from outside a server process (workers)
# The one room message type the transport reads: each process remembers the last presence its
# members were given, to give them a fresh one when the database says it changed unseen.
PRESENCE = "presence"


def room_group(room: str) -> str:
    return f"room.{room}"


def user_audience(user_id: int) -> str:
    return f"{USER}{user_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def bridge_message(
    origin: str,
    room: str,
    text: str,
    *,
    kind: str,
    seq=None,
    audience: str = ALL,
    exclude: str = "",
) -> dict:
    """What travels between processes: the message text as the sockets get it, plus routing."""
    return {
        "type": "room.message",
        "origin": origin,
        "room": room,
        "audience": audience,
        "exclude": exclude,
        "kind": kind,
        "seq": seq,
        "text": text,
    }


def user_close_message(user_id: int, code: int) -> dict:
    """Close every socket of a user, in whichever process holds them."""
    return {"type": "user.close", "origin": EXTERNAL, "user_id": user_id, "code": code}


def user_notify_message(user_id: int, text: str) -> dict:
    """Hand `text` to a user's notification sockets, in whichever process holds them."""
    return {"type": "user.notify", "origin": EXTERNAL, "user_id": user_id, "text": text}
