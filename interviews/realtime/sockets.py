"""The base of every websocket served through the hub."""

import uuid

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer


class HubSocket(AsyncWebsocketConsumer):
    """A websocket served through the room hub rather than a channel of its own.

    With no channel layer, frames come from one source, so they are read in a plain loop
    instead of Channels' multiplexer (a task and an asyncio.wait per frame). Channels also
    closes stale database connections before every handler (a thread hop per frame); every
    database call here goes through database_sync_to_async or the whiteboard writer, which
    manage their own connections, so that hop is skipped too.
    """

    channel_layer_alias = None

    async def __call__(self, scope, receive, send):
        self.scope = scope
        self.channel_layer = None
        self.base_send = send
        try:
            while True:
                await self.dispatch(await receive())
        except StopConsumer:
            pass

    async def accept_user(self):
        """Accept the handshake and return the logged-in user; close with 4401 (before any
        data) and return None for an anonymous socket."""
        await self.accept()
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return None
        self.user = user
        self.user_id = user.pk
        self.connection_id = uuid.uuid4().hex
        return user

    async def dispatch(self, message):
        handler = getattr(self, message["type"].replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
