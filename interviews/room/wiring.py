"""Hands the transport what it triggers but must not import: the presence heartbeat, the
whiteboard writer and auto-advance. Called once at start-up (InterviewsConfig.ready)."""

from ..realtime.hub import HubHooks, hub
from . import autoadvance
from .selectors import presence_heartbeat_seconds, presence_texts
from .services import connections_refresh
from .writer import WhiteboardWriter


def hub_connect() -> None:
    hub.configure(
        HubHooks(
            heartbeat_seconds=presence_heartbeat_seconds,
            connections_refresh=connections_refresh,
            presence_texts=presence_texts,
            writer_factory=WhiteboardWriter,
            watched=autoadvance.TIMER_MESSAGES,
            on_watched=autoadvance.on_timer_message,
        )
    )
