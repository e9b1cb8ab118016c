"""Fan-out for rooms: which sockets of which rooms this process holds, and the bridge to the
other server processes.

A message goes straight to the local members of its room (no per-recipient queue or
serialization), and, when the channel layer spans processes (channels_redis' pub/sub layer
with REDIS_URL), once to the room's group, which every other process holding members of that
room receives on one channel per process and hands to its own members. A stock consumer that
relays every frame through group_send to per-socket channels pays Redis round trips and a
queue hop per message and recipient; measured in bench/, this design keeps the hot path in
process and uses Redis only for what crosses processes.

What must not be lost is in the database before it gets here (write, commit, then tell); a
message lost on the way is recovered by the client through `seq` and `sync`.
"""

import asyncio
import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Protocol

from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer

from config import strict_json

from .wire import (
    ALL,
    GROUP,
    INTERVIEWER,
    PRESENCE,
    bridge_message,
    room_group,
    user_audience,
    user_group,
)

logger = logging.getLogger(__name__)

# A peer process that has not said hello for a room in this many heartbeats is forgotten for
# that room (it died, or missed a goodbye); live peers repeat their hello every heartbeat.
PEER_TTL_HEARTBEATS = 3
# How long after first holding a room a process sends to the room's whole group, while the
# others' answers to its hello arrive.
DISCOVERY_SECONDS = 2.0


class Member(Protocol):
    connection_id: str
    role: str
    user_id: int

    async def deliver(self, text: str, seq: int | None) -> None: ...

    async def close_for(self, code: int) -> None: ...


@dataclass(frozen=True)
class HubHooks:
    """What the hub triggers but does not own; the room package hands these over at start-up
    (interviews.room.wiring), so the transport imports no domain module.

    The two database calls are plain functions; the hub runs them in a thread."""

    heartbeat_seconds: Callable[[], float]
    # Refresh the presence rows of the sockets held here (called with connection_ids=...).
    connections_refresh: Callable[..., None]
    # Each room's presence message, serialized (called with session_ids=...).
    presence_texts: Callable[..., dict[str, str]]
    # The process's whiteboard writer (`hub.writer`), made anew for each event loop.
    writer_factory: Callable[[], Any]
    # Message types whose published or forwarded messages are handed to `on_watched`.
    watched: frozenset[str] = frozenset()
    on_watched: Callable[[str, dict], None] = lambda room, message: None


def _admits(audience: str, member: Member) -> bool:
    if audience == INTERVIEWER:
        return member.role == "interviewer"
    return audience == user_audience(member.user_id)


class RoomHub:
    def __init__(self) -> None:
        self.process_id = uuid.uuid4().hex
        self._loop: asyncio.AbstractEventLoop | None = None
        self._hooks: HubHooks | None = None

    def configure(self, hooks: HubHooks) -> None:
        self._hooks = hooks

    def _ensure_started(self) -> None:
        """Bind to the running event loop (again, if a new one runs: tests start many)."""
        loop = asyncio.get_running_loop()
        if self._loop is loop:
            return
        assert self._hooks is not None, "hub.configure() runs at start-up (InterviewsConfig)"
        self._loop = loop
        self.rooms: dict[str, set[Member]] = defaultdict(set)
        self.users: dict[int, set[Member]] = defaultdict(set)
        self.writer = self._hooks.writer_factory()
        self._scheduled: dict[str, asyncio.TimerHandle] = {}
        self._layer = get_channel_layer()
        # Only a layer shared between processes needs our own messages; in-memory, every
        # member is local already.
        self._shared_layer = self._layer is not None and not isinstance(
            self._layer, InMemoryChannelLayer
        )
        self._channel: str | None = None
        self._channel_ready = asyncio.Event()
        # room -> {channel of another process holding members of it: when to forget it}
        self._peers: dict[str, dict[str, float]] = defaultdict(dict)
        self._outbox: dict[str, list[dict]] = defaultdict(list)
        self._joined_at: dict[str, float] = {}  # room -> when this process first held it
        self._outbox_ready = asyncio.Event()
        # room -> (how many presence messages its members here have been given, the last one)
        self._presence: dict[str, tuple[int, str]] = {}
        self._tasks = [loop.create_task(self._heartbeat(), name="room-heartbeat")]
        if self._layer is not None:
            self._tasks.append(loop.create_task(self._listen(), name="room-bridge"))
        if self._shared_layer:
            self._tasks.append(loop.create_task(self._send_outbox(), name="room-outbox"))

    async def _bridge_channel(self) -> str | None:
        if self._layer is None:
            return None
        await self._channel_ready.wait()
        return self._channel

    async def shutdown(self) -> None:
        """Stop this process's hub tasks and release the writer's database connection."""
        if self._loop is not asyncio.get_running_loop():
            return
        for task in self._tasks:
            task.cancel()
        for handle in self._scheduled.values():
            handle.cancel()
        await self.writer.close()
        self._loop = None

    # Membership -------------------------------------------------------------------------

    async def join(self, room: str | None, member: Member) -> None:
        """Register a socket: in `room` (a room socket) and under its user (for logout and
        notifications). `room` None: a notifications-only socket."""
        self._ensure_started()
        channel = await self._bridge_channel()
        if room is not None:
            first_in_room = not self.rooms[room]
            if first_in_room:
                self._joined_at[room] = time.monotonic()
            self.rooms[room].add(member)
            if channel and first_in_room:
                await self._layer.group_add(room_group(room), channel)
                if self._shared_layer:
                    await self._greet(room, reply=True)
        first_of_user = not self.users[member.user_id]
        self.users[member.user_id].add(member)
        if channel and first_of_user:
            await self._layer.group_add(user_group(member.user_id), channel)

    async def leave(self, room: str | None, member: Member) -> None:
        self._ensure_started()
        channel = await self._bridge_channel()
        if room is not None:
            self.rooms[room].discard(member)
            if not self.rooms[room]:
                del self.rooms[room]
                self._peers.pop(room, None)
                self._joined_at.pop(room, None)
                self._presence.pop(room, None)
                self.unschedule(room)
                if channel:
                    await self._layer.group_discard(room_group(room), channel)
                    if self._shared_layer:
                        await self._layer.group_send(
                            room_group(room),
                            {
                                "type": "room.bye",
                                "origin": self.process_id,
                                "room": room,
                                "channel": channel,
                            },
                        )
        self.users[member.user_id].discard(member)
        if not self.users[member.user_id]:
            del self.users[member.user_id]
            if channel:
                await self._layer.group_discard(user_group(member.user_id), channel)

    async def _greet(self, room: str, *, reply: bool) -> None:
        """Tell the other processes holding this room where to send its messages."""
        await self._layer.group_send(
            room_group(room),
            {
                "type": "room.hello",
                "origin": self.process_id,
                "room": room,
                "channel": self._channel,
                "reply": reply,
            },
        )

    def _live_peers(self, room: str) -> list[str]:
        peers = self._peers.get(room)
        if not peers:
            return []
        now = time.monotonic()
        for channel in [c for c, until in peers.items() if until < now]:
            del peers[channel]
        return list(peers)

    def local_connection_ids(self) -> list[str]:
        return [m.connection_id for members in self.rooms.values() for m in members]

    def holds(self, room: str) -> bool:
        """Whether sockets of `room` are connected to this process."""
        return room in self.rooms

    # Publishing -------------------------------------------------------------------------

    async def publish(
        self, room: str, message: dict, *, audience: str = ALL, exclude: str = ""
    ) -> None:
        """Send `message` to every member of `room` (interviewers only with audience
        INTERVIEWER, one user's sockets with user_audience(id)), except the connection
        `exclude`, in this and every other process."""
        text = strict_json.dumps(message)
        await self.publish_text(
            room,
            text,
            kind=message["type"],
            seq=message.get("seq"),
            audience=audience,
            exclude=exclude,
        )
        if message["type"] in self._hooks.watched:
            self._hooks.on_watched(room, message)

    async def publish_text(
        self,
        room: str,
        text: str,
        *,
        kind: str,
        seq: int | None,
        audience: str = ALL,
        exclude: str = "",
    ) -> None:
        """publish() for a message already serialized (the whiteboard hot path)."""
        self._ensure_started()
        if kind == PRESENCE:
            self._note_presence(room, text)
        await self._deliver(room, text, seq, audience, exclude)
        # Straight to each process that holds members of this room: nothing goes through
        # Redis for a room whose members are all here, and no process gets its own messages.
        if not self._shared_layer:
            return
        peers = self._live_peers(room)
        if not peers and time.monotonic() - self._joined_at.get(room, 0) < DISCOVERY_SECONDS:
            # Just joined: the other processes' answers to our hello may still be on their
            # way, so send to the whole room group until we know who holds the room.
            peers = [GROUP + room_group(room)]
        if peers:
            message = bridge_message(
                self.process_id, room, text, kind=kind, seq=seq, audience=audience, exclude=exclude
            )
            for channel in peers:
                self._outbox[channel].append(message)
            self._outbox_ready.set()

    async def _send_outbox(self) -> None:
        """Forward to other processes whatever queued since the last send, one Redis message
        per peer: under load many room messages share one publish. A single task, so messages
        leave in the order they were published."""
        while True:
            await self._outbox_ready.wait()
            self._outbox_ready.clear()
            outbox, self._outbox = self._outbox, defaultdict(list)
            for channel, items in outbox.items():
                batch = {"type": "room.batch", "origin": self.process_id, "items": items}
                try:
                    if channel.startswith(GROUP):
                        await self._layer.group_send(channel.removeprefix(GROUP), batch)
                    else:
                        await self._layer.send(channel, batch)
                except Exception:  # clients recover what is lost through seq and sync
                    logger.warning("forwarding %d messages failed", len(items), exc_info=True)

    async def _deliver(self, room, text, seq, audience, exclude) -> None:
        for member in list(self.rooms.get(room, ())):
            if member.connection_id == exclude:
                continue
            if audience != ALL and not _admits(audience, member):
                continue
            try:
                await member.deliver(text, seq)
            except Exception:  # one broken socket must not starve the others
                logger.warning("delivery to %s failed", member.connection_id, exc_info=True)

    async def disconnect_user(self, user_id: int, code: int) -> None:
        """Close every socket of `user_id` in this process (after logout); other processes
        are told through the user's group."""
        for member in list(self.users.get(user_id, ())):
            await member.close_for(code)

    # Bridge -----------------------------------------------------------------------------

    async def _listen(self) -> None:
        """Receive what other processes (and workers) send to rooms and users held here."""
        delay = 0.5
        while True:
            try:
                if self._channel is None:
                    self._channel = await self._layer.new_channel(prefix="roomhub.")
                    self._channel_ready.set()
                message = await self._layer.receive(self._channel)
                delay = 0.5
                await self._on_bridge_message(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("room bridge failed; retrying in %.1fs", delay, exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10)

    async def _on_bridge_message(self, message: dict) -> None:
        if message.get("origin") == self.process_id:
            return
        if message["type"] == "room.batch":
            for item in message["items"]:
                await self._on_room_message(item)
            return
        if message["type"] == "user.close":
            await self.disconnect_user(message["user_id"], message["code"])
            return
        if message["type"] == "room.hello":
            if message["room"] in self.rooms:
                self._peers[message["room"]][message["channel"]] = (
                    time.monotonic() + PEER_TTL_HEARTBEATS * self._hooks.heartbeat_seconds()
                )
                if message["reply"]:
                    await self._layer.send(
                        message["channel"],
                        {
                            **message,
                            "origin": self.process_id,
                            "channel": self._channel,
                            "reply": False,
                        },
                    )
            return
        if message["type"] == "room.bye":
            self._peers.get(message["room"], {}).pop(message["channel"], None)
            return
        if message["type"] == "user.notify":
            for member in list(self.users.get(message["user_id"], ())):
                if getattr(member, "wants_notifications", False):
                    try:
                        await member.deliver(message["text"], None)
                    except Exception:  # a socket closing now must not starve the user's others
                        logger.warning(
                            "notification to %s failed", member.connection_id, exc_info=True
                        )
            return
        await self._on_room_message(message)

    async def _on_room_message(self, message: dict) -> None:
        room = message.get("room") or ""
        if room not in self.rooms:
            return
        if message["kind"] == PRESENCE:
            self._note_presence(room, message["text"])
        await self._deliver(
            room, message["text"], message["seq"], message["audience"], message["exclude"]
        )
        if message["kind"] in self._hooks.watched:
            self._hooks.on_watched(room, json.loads(message["text"]))

    # Timers per room ------------------------------------------------------------------

    def schedule(
        self, room: str, delay: float, job: Callable[[], Coroutine[Any, Any, None]]
    ) -> None:
        """Run `job()` in `delay` seconds, replacing what was scheduled for `room`; forgotten
        when the room's last socket here leaves (or the hub shuts down)."""
        self.unschedule(room)
        self._scheduled[room] = self._loop.call_later(delay, lambda: self._loop.create_task(job()))

    def unschedule(self, room: str) -> None:
        self._ensure_started()
        handle = self._scheduled.pop(room, None)
        if handle:
            handle.cancel()

    # Housekeeping -----------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        """Every heartbeat: say hello again to the other processes, refresh the presence rows
        of the sockets held here, and give each room's members here its presence afresh if it
        changed unseen (a process that died tells nobody that its sockets are gone)."""
        loop = asyncio.get_running_loop()
        next_beat = loop.time()
        while True:
            # At a steady rate however long a beat takes: the presence timeout counts on it.
            next_beat = max(next_beat + self._hooks.heartbeat_seconds(), loop.time())
            await asyncio.sleep(next_beat - loop.time())
            if self._shared_layer and self._channel:
                for room in list(self.rooms):
                    try:
                        await self._greet(room, reply=False)
                    except Exception:
                        logger.warning("room hello failed", exc_info=True)
            try:
                await database_sync_to_async(self._hooks.connections_refresh)(
                    connection_ids=self.local_connection_ids()
                )
            except Exception:
                logger.warning("presence heartbeat failed", exc_info=True)
            try:
                await self._check_presence()
            except Exception:
                logger.warning("presence check failed", exc_info=True)

    def _note_presence(self, room: str, text: str) -> None:
        count = self._presence.get(room, (0, ""))[0]
        self._presence[room] = (count + 1, text)

    async def _check_presence(self) -> None:
        """Deliver to this process's members each room's presence as the database has it now,
        where it differs from the last presence they were given. Only to members here: every
        process checks its own rooms."""
        rooms = list(self.rooms)
        if not rooms:
            return
        counts = {room: self._presence.get(room, (0, ""))[0] for room in rooms}
        fresh = await database_sync_to_async(self._hooks.presence_texts)(session_ids=rooms)
        for room, text in fresh.items():
            if room not in self.rooms or self._presence.get(room, (0, ""))[0] != counts[room]:
                continue  # left meanwhile, or a newer presence arrived while we read
            if text != self._presence.get(room, (0, ""))[1]:
                self._note_presence(room, text)
                await self._deliver(room, text, None, ALL, "")


hub = RoomHub()
