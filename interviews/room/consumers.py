"""The interview room's websocket and the notifications socket. Thin: check the frame, call a
service, hand the result to the hub. Permission checks live in the services, as for HTTP."""

import asyncio
import logging
import time
import uuid
from collections import deque

from channels.db import database_sync_to_async
from django.core.exceptions import PermissionDenied, ValidationError

from config import strict_json

from ..limits import LimitReached
from ..media.call import sdp_sends_media, session_participant_ids
from ..models import Role
from ..protocol import inbound, outbound
from ..protocol.inbound import ProtocolError
from ..realtime.hub import hub
from ..realtime.ratelimit import RateLimit
from ..realtime.sockets import HubSocket
from ..realtime.wire import INTERVIEWER, user_audience
from . import autoadvance
from . import services as room_services
from .selectors import events_since, presence, room_state
from .timers import TimerError, to_ms
from .timers import now as server_now
from .whiteboard import WhiteboardWrite

logger = logging.getLogger(__name__)

RATE_PER_SECOND, RATE_BURST = 200, 400
ABUSE_ERRORS, ABUSE_WINDOW = 20, 10.0
# Errors that say nothing about the client's behaviour: a full board or our own failure.
NOT_ABUSE = frozenset({"server_error", "board_full", "chat_full", "room_full"})


def _json(message: dict) -> str:
    return strict_json.dumps(message)


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
        # Who call signalling may go to; read again when a target is not in it (someone who
        # accepted an invite since).
        self._call_targets: frozenset[int] = frozenset()
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
        autoadvance.track_timer(self.session_id, state["timer"])
        await self._publish_presence()

    async def disconnect(self, code) -> None:
        if self.session_id is None or self.role is None:
            return
        if self._writes:  # what was accepted before the close is still written and told
            await asyncio.gather(*self._writes, return_exceptions=True)
        await database_sync_to_async(room_services.room_leave)(connection_id=self.connection_id)
        # Told before leaving the hub: the last socket of a room to leave a process takes with
        # it what the hub knows of the other processes holding the room, and a presence sent
        # after that would reach nobody on them.
        await self._publish_presence(exclude=self.connection_id)
        await hub.leave(self.session_id, self)

    async def _publish_presence(self, exclude: str = "") -> None:
        participants = await database_sync_to_async(presence)(session_id=self.session_id)
        await hub.publish(
            self.session_id, outbound.presence(participants=participants), exclude=exclude
        )

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
            kind, fields, ref = inbound.parse(text_data)
            if kind in room_services.TIMER_COMMANDS:
                await self._timer(kind, fields)
            else:
                await getattr(self, "on_" + kind.replace(".", "_"))(fields, ref)
        except ProtocolError as exc:
            await self._error(exc.code, exc.message, exc.ref or ref)
        except (TimerError, LimitReached) as exc:
            await self._error(exc.code, exc.message, ref)
        except PermissionDenied as exc:
            await self._error("forbidden", str(exc) or "Not allowed.", ref)
        except ValidationError as exc:
            await self._error("bad_message", " ".join(exc.messages), ref)
        except Exception:
            logger.exception("room %s: handling a frame failed", self.session_id)
            await self._error("server_error", "Something went wrong; nothing was changed.", ref)

    async def _error(self, code: str, message: str, ref: str | None) -> None:
        await self._send(outbound.error(code=code, message=message, ref=ref))
        if code in NOT_ABUSE:
            return
        now = time.monotonic()
        self.errors.append(now)
        while self.errors and self.errors[0] < now - ABUSE_WINDOW:
            self.errors.popleft()
        if len(self.errors) >= ABUSE_ERRORS:
            await self.close(code=1008)

    async def _send(self, message: dict) -> None:
        await self.send(text_data=_json(message))

    # Handlers: one per inbound type (the timer commands share one) ----------------------------

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
            outbound.whiteboard_ack(ref=ref, accepted=len(write.accepted), seq=write.seq)
        )

    async def on_pointer(self, fields: dict, ref) -> None:
        message = outbound.pointer(
            user_id=self.user_id,
            # Tells two tabs of one person apart: each gets its own cursor.
            connection=self.connection_id[:12],
            username=self.user.username,
            fields=fields,
        )
        await hub.publish(self.session_id, message, exclude=self.connection_id)

    async def on_user_state(self, fields: dict, ref) -> None:
        """Active / idle / away, as Excalidraw shows it on collaborators' cursors. Volatile."""
        message = outbound.user_state(
            user_id=self.user_id,
            connection=self.connection_id[:12],
            username=self.user.username,
            state=fields["state"],
        )
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
        events = await database_sync_to_async(events_since)(
            session_id=self.session_id, last_seq=fields["last_seq"]
        )
        if events is None:
            state = await database_sync_to_async(room_state)(
                session_id=self.session_id, user=self.user, role=self.role
            )
            await self._send(state)
            return
        seq = events[-1]["seq"] if events else fields["last_seq"]
        await self._send(outbound.sync(events=events, seq=seq))

    async def on_call_signal(self, fields: dict, ref) -> None:
        """Relay WebRTC signalling to the sockets of the one participant it names, in any
        process. Volatile like cursors: a lost message is healed by the browsers (ICE restart,
        a fresh offer), so nothing is logged or sequenced."""
        to = fields["to"]
        if to == self.user_id:
            raise ProtocolError("bad_message", "A call cannot be signalled to yourself.")
        description = fields.get("description")
        if (
            self.role == Role.OBSERVER
            and description is not None
            and sdp_sends_media(description["sdp"])
        ):
            raise PermissionDenied("Observers listen only: every media section must be recvonly.")
        if to not in self._call_targets:
            self._call_targets = await database_sync_to_async(session_participant_ids)(
                session_id=self.session_id
            )
            if to not in self._call_targets:
                raise ProtocolError("bad_message", "'to' is not a participant of this session.")
        message = outbound.call_signal(sender=self.user_id, fields=fields)
        await hub.publish(self.session_id, message, audience=user_audience(to))

    async def on_call_media(self, fields: dict, ref) -> None:
        """Whether this participant's microphone and camera are on, for the others' screens."""
        message = outbound.call_media(user_id=self.user_id, fields=fields)
        await hub.publish(self.session_id, message, exclude=self.connection_id)

    async def on_ping(self, fields: dict, ref) -> None:
        await self._send(outbound.pong(server_time=to_ms(server_now())))


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
            await self.send(text_data=_json(outbound.pong(server_time=to_ms(server_now()))))
            return
        await self.send(
            text_data=_json(
                outbound.error(code="bad_message", message="This socket only listens.", ref=None)
            )
        )

    async def deliver(self, text: str, seq: int | None) -> None:
        await self.send(text_data=text)

    async def close_for(self, code: int) -> None:
        await self.close(code=code)
