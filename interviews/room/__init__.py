"""The interview room: the websocket consumers and routing, the room's writes and reads, the
whiteboard merge and its writer, the timer clock and auto-advance."""
