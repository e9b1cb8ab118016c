"""Publishing to rooms and users from outside a socket (a Celery worker, an HTTP view)."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from config import strict_json

from .wire import (
    EXTERNAL,
    bridge_message,
    room_group,
    user_close_message,
    user_group,
    user_notify_message,
)


def room_publish(session_id, message: dict) -> None:
    """Send a volatile `message` to everyone in the room of `session_id`, in whichever server
    process they are connected (one publish through the channel layer)."""
    layer = get_channel_layer()
    if layer is None:
        return
    room = str(session_id)
    text = strict_json.dumps(message)
    async_to_sync(layer.group_send)(
        room_group(room), bridge_message(EXTERNAL, room, text, kind=message["type"])
    )


def user_sockets_close(user_id: int, code: int) -> None:
    """Close every room socket of a user (after logout: auth is only checked at connect)."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(user_group(user_id), user_close_message(user_id, code))


def users_publish(user_ids, message: dict) -> None:
    """Send a volatile `message` to the notification sockets of these users (their dashboard
    and other pages), in whichever server process they are connected."""
    layer = get_channel_layer()
    if layer is None:
        return
    text = strict_json.dumps(message)
    send = async_to_sync(layer.group_send)
    for user_id in user_ids:
        send(user_group(user_id), user_notify_message(user_id, text))
