"""Every size limit of a session, in one place: what one message may carry and what one session
may hold. The room protocol, the HTTP API and the whiteboard writer all read them from here, and
docs/protocol.md documents them. Text limits count UTF-8 bytes (one emoji is 4 bytes), because
bytes are what the wire, the database and memory pay for.
"""

from django.core.exceptions import ValidationError

# One websocket frame.
MAX_FRAME_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 16

# One whiteboard.update.
MAX_ELEMENTS_PER_UPDATE = 2000
MAX_ELEMENT_BYTES = 64 * 1024
MAX_ELEMENT_ID_CHARS = 64

# One text field.
MAX_CHAT_BYTES = 2000
MAX_NOTE_BYTES = 20000
MAX_COMMENT_BYTES = 4000
MAX_REF_CHARS = 64
MAX_SELECTED_IDS = 200
MAX_EXTEND_MINUTES = 30

# One call.signal (WebRTC signalling, relayed and never stored). An audio+video offer from a
# browser is 3-8 KB of SDP; candidates are one line of about 100-200 bytes.
MAX_SDP_BYTES = 64 * 1024
MAX_CANDIDATE_BYTES = 1024
MAX_CALL_PEER_CHARS = 32  # the browser's id for one of its peer connections
MAX_SDP_MID_CHARS = 64

# One session, whatever its clients send over its whole life.
MAX_BOARD_ELEMENTS = 10_000  # stored elements, deleted ones (tombstones) included
MAX_BOARD_BYTES = 16 * 1024 * 1024  # the stored scene
MAX_CHAT_MESSAGES = 2000
# Every logged room message takes one seq; a 45-minute interview of two people drawing
# non-stop logs about 100,000.
MAX_ROOM_EVENTS = 250_000
# Changes of the interviewer's notes and scores kept for the replay's markers (saves of one
# note or score within a minute are one change); past the cap each save updates the note's or
# score's latest change instead of adding one.
MAX_FEEDBACK_CHANGES = 2000

# One participant's recording (docs/recording.md): ten seconds of Opus at speech bitrates is
# 30-60 KB; a 45-minute interview about 3-6 MB.
MAX_AUDIO_CHUNK_BYTES = 1024 * 1024
MAX_AUDIO_BYTES_PER_PARTICIPANT = 64 * 1024 * 1024
MAX_AUDIO_CHUNK_MS = 60_000
MAX_AUDIO_CHUNK_INDEX = 99_999

# The largest integer a browser compares exactly (Number.MAX_SAFE_INTEGER).
MAX_SAFE_INTEGER = 2**53 - 1


def utf8_size(text: str) -> int:
    """Bytes of `text` in UTF-8. Cheap for short text: only text that could be over a limit of
    `len(text)` bytes needs encoding."""
    return len(text.encode("utf-8", "surrogatepass"))


class LimitReached(Exception):
    """A session already holds as much of something as it may; `code` goes to the client."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class MaxBytesValidator:
    """For serializer fields: text of at most `limit` UTF-8 bytes."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: str) -> None:
        if len(value) > self.limit // 4 and utf8_size(value) > self.limit:
            raise ValidationError(f"At most {self.limit} bytes of text.")
