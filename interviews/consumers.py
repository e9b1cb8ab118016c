"""The interview room's websocket. Thin: check the frame, call a service, hand the result to
the hub. Permission checks live in the services, as for HTTP."""

import asyncio
import json
import logging
import time
import uuid
from collections import deque

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError

from .models import Role
from .room import messages
from .room.hub import INTERVIEWER, hub
from .room.messages import ProtocolError
from .room.timers import TimerError, to_ms
from .room.timers import now as server_now
from .selectors import room_state
from .services import room as room_services
from .services.whiteboard import WhiteboardWrite

logger = logging.getLogger(__name__)

RATE_PER_SECOND, RATE_BURST = 200, 400
ABUSE_ERRORS, ABUSE_WINDOW = 20, 10.0


class RateLimit:
    """Token bucket per socket."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.stamp = burst, time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def _json(message: dict) -> str:
    return json.dumps(message, separators=(",", ":"))


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


class RoomConsumer(HubSocket):
    role: str | None = None
    session_id: str | None = None

    # Lifecycle ---------------------------------------------------------------------------

    async def connect(self) -> None:
        user = await self.accept_user()
        if user is None:
            return
        try:
            self.session_id = str(uuid.UUID(self.scope["url_route"]["kwargs"]["session_id"]))
            self.role = await database_sync_to_async(room_services.room_join)(
                session_id=self.session_id, user=user, connection_id=self.connection_id
            )
        except (ValueError, PermissionDenied):
            self.session_id = None
            await self.close(code=4403)
            return
        self.rate = RateLimit(RATE_PER_SECOND, RATE_BURST)
        self._writes: set[asyncio.Task] = set()
        self.errors: deque[float] = deque()
        # Live messages that arrive while the snapshot is built wait here; those already in
        # the snapshot (seq <= its seq) are dropped when it has been sent.
        self._buffer: list[tuple[str, int | None]] | None = []
        await hub.join(self.session_id, self)
        state = await database_sync_to_async(room_state)(
            session_id=self.session_id, user=user, role=self.role
        )
        await self.send(text_data=_json(state))
        buffered, self._buffer = self._buffer, None
        for text, seq in buffered:
            if seq is None or seq > state["seq"]:
                await self.send(text_data=text)
        hub.track_timer(self.session_id, state["timer"])
        await self._publish_presence()

    async def disconnect(self, code) -> None:
        if self.session_id is None or self.role is None:
            return
        if self._writes:  # what was accepted before the close is still written and told
            await asyncio.gather(*self._writes, return_exceptions=True)
        await hub.leave(self.session_id, self)
        await database_sync_to_async(room_services.room_leave)(connection_id=self.connection_id)
        await self._publish_presence()

    async def _publish_presence(self) -> None:
        participants = await database_sync_to_async(room_services.presence)(
            session_id=self.session_id
        )
        await hub.publish(self.session_id, {"type": "presence", "participants": participants})

    # Hub callbacks -------------------------------------------------------------------------

    async def deliver(self, text: str, seq: int | None) -> None:
        if self._buffer is not None:
            self._buffer.append((text, seq))
        else:
            await self.send(text_data=text)

    async def close_for(self, code: int) -> None:
        await self.close(code=code)

    # Receiving -----------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.role is None:
            return
        ref = None
        try:
            if not self.rate.allow():
                raise ProtocolError("rate_limited", "Too many messages; slow down.")
            if text_data is None:
                raise ProtocolError("bad_message", "Frames must be JSON text.")
            kind, fields, ref = messages.parse(text_data)
            await getattr(self, "on_" + kind.replace(".", "_"))(fields, ref)
        except ProtocolError as exc:
            await self._error(exc.code, exc.message, exc.ref or ref)
        except TimerError as exc:
            await self._error(exc.code, exc.message, ref)
        except PermissionDenied as exc:
            await self._error("forbidden", str(exc) or "Not allowed.", ref)
        except ValidationError as exc:
            await self._error("bad_message", " ".join(exc.messages), ref)
        except Exception:
            logger.exception("room %s: handling a frame failed", self.session_id)
            await self._error("server_error", "Something went wrong; nothing was changed.", ref)

    async def _error(self, code: str, message: str, ref: str | None) -> None:
        await self.send(
            text_data=_json({"type": "error", "code": code, "message": message, "ref": ref})
        )
        if code == "server_error":
            return
        now = time.monotonic()
        self.errors.append(now)
        while self.errors and self.errors[0] < now - ABUSE_WINDOW:
            self.errors.popleft()
        if len(self.errors) >= ABUSE_ERRORS:
            await self.close(code=1008)

    async def _send(self, message: dict) -> None:
        await self.send(text_data=_json(message))

    # Handlers: one per inbound type ---------------------------------------------------------

    async def on_whiteboard_update(self, fields: dict, ref) -> None:
        if self.role == Role.OBSERVER:
            raise PermissionDenied("Observers cannot draw.")
        write = WhiteboardWrite(
            session_id=self.session_id,
            user_id=self.user_id,
            role=self.role,
            elements=fields["elements"],
        )
        # Not awaited here: this socket's next frames (cursors above all) must not wait for
        # the database. The writer keeps arrival order, so acks go out in the order sent.
        task = asyncio.create_task(self._finish_write(write, ref))
        self._writes.add(task)
        task.add_done_callback(self._writes.discard)

    async def _finish_write(self, write: WhiteboardWrite, ref) -> None:
        try:
            await hub.writer.submit(write)
        except Exception:
            logger.exception("room %s: whiteboard write failed", self.session_id)
            await self._error("server_error", "The drawing was not saved; send it again.", ref)
            return
        if write.error:
            await self._error(*write.error, ref)
            return
        if write.seq is not None:
            await hub.publish_text(
                self.session_id,
                write.message_text,
                kind="whiteboard.update",
                seq=write.seq,
                exclude=self.connection_id,
            )
        await self._send(
            {
                "type": "whiteboard.ack",
                "ref": ref,
                "accepted": len(write.accepted),
                "seq": write.seq,
            }
        )

    async def on_pointer(self, fields: dict, ref) -> None:
        message = {
            "type": "pointer",
            "user_id": self.user_id,
            # Tells two tabs of one person apart: each gets its own cursor.
            "connection": self.connection_id[:12],
            "username": self.user.username,
            **fields,
        }
        await hub.publish(self.session_id, message, exclude=self.connection_id)

    async def on_user_state(self, fields: dict, ref) -> None:
        """Active / idle / away, as Excalidraw shows it on collaborators' cursors. Volatile."""
        message = {
            "type": "user.state",
            "user_id": self.user_id,
            "connection": self.connection_id[:12],
            "username": self.user.username,
            "state": fields["state"],
        }
        await hub.publish(self.session_id, message, exclude=self.connection_id)

    async def on_chat_send(self, fields: dict, ref) -> None:
        message, is_new = await database_sync_to_async(room_services.chat_send)(
            session_id=self.session_id, user=self.user, role=self.role, **fields
        )
        if is_new:
            await hub.publish(self.session_id, message)
        else:
            await self._send(message)

    async def _timer(self, command: str, fields: dict) -> None:
        message = await database_sync_to_async(room_services.timer_command)(
            session_id=self.session_id,
            role=self.role,
            command=command,
            fields=fields,
            user_id=self.user_id,
        )
        await hub.publish(self.session_id, message)

    async def on_timer_start(self, fields, ref):
        await self._timer("timer.start", fields)

    async def on_timer_pause(self, fields, ref):
        await self._timer("timer.pause", fields)

    async def on_timer_resume(self, fields, ref):
        await self._timer("timer.resume", fields)

    async def on_timer_next(self, fields, ref):
        await self._timer("timer.next", fields)

    async def on_timer_goto(self, fields, ref):
        await self._timer("timer.goto", fields)

    async def on_timer_extend(self, fields, ref):
        await self._timer("timer.extend", fields)

    async def on_note_save(self, fields: dict, ref) -> None:
        message = await database_sync_to_async(room_services.room_note_save)(
            session_id=self.session_id, role=self.role, **fields
        )
        await hub.publish(self.session_id, message, audience=INTERVIEWER)

    async def on_score_set(self, fields: dict, ref) -> None:
        message = await database_sync_to_async(room_services.room_score_set)(
            session_id=self.session_id, role=self.role, **fields
        )
        await hub.publish(self.session_id, message, audience=INTERVIEWER)

    async def on_board_lock(self, fields: dict, ref) -> None:
        message = await database_sync_to_async(room_services.board_lock)(
            session_id=self.session_id,
            role=self.role,
            locked=fields["locked"],
            user_id=self.user_id,
        )
        await hub.publish(self.session_id, message)

    async def on_session_end(self, fields: dict, ref) -> None:
        if self.role != Role.INTERVIEWER:
            raise PermissionDenied("Only the interviewer can end the interview.")
        # The final snapshot should hold every update this process has accepted.
        await hub.writer.flush()
        message = await database_sync_to_async(room_services.session_end)(
            session_id=self.session_id, role=self.role, user_id=self.user_id
        )
        await hub.publish(self.session_id, message)

    async def on_sync(self, fields: dict, ref) -> None:
        events = await database_sync_to_async(room_services.events_since)(
            session_id=self.session_id, last_seq=fields["last_seq"]
        )
        if events is None:
            state = await database_sync_to_async(room_state)(
                session_id=self.session_id, user=self.user, role=self.role
            )
            await self._send(state)
            return
        seq = events[-1]["seq"] if events else fields["last_seq"]
        await self._send({"type": "sync", "events": events, "seq": seq})

    async def on_ping(self, fields: dict, ref) -> None:
        await self._send({"type": "pong", "server_time": to_ms(server_now())})


class NotificationsConsumer(HubSocket):
    """`ws/notifications/`: a logged-in user's pages (the dashboard) hear about their sessions
    without polling: `report.status`, `report.ready`, `feedback.released`. Receive-only."""

    wants_notifications = True
    role = "notifications"
    user_id: int | None = None

    async def connect(self) -> None:
        if await self.accept_user() is not None:
            await hub.join(None, self)

    async def disconnect(self, code) -> None:
        if self.user_id is not None:
            await hub.leave(None, self)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if text_data and '"ping"' in text_data:
            await self.send(text_data=_json({"type": "pong", "server_time": to_ms(server_now())}))
            return
        await self.send(
            text_data=_json(
                {
                    "type": "error",
                    "code": "bad_message",
                    "message": "This socket only listens.",
                    "ref": None,
                }
            )
        )

    async def deliver(self, text: str, seq: int | None) -> None:
        await self.send(text_data=text)

    async def close_for(self, code: int) -> None:
        await self.close(code=code)
