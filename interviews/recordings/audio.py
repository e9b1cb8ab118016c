"""What an uploaded chunk must be before it is stored: a WebM (Matroska/EBML) or Ogg file, as
its Content-Type says. Only the container's signature is checked here; whether the audio inside
decodes is found out by the transcription, which marks a corrupt chunk failed with the reason."""

from __future__ import annotations

EBML_MAGIC = b"\x1a\x45\xdf\xa3"
OGG_MAGIC = b"OggS"
CONTENT_TYPES = {"audio/webm": EBML_MAGIC, "audio/ogg": OGG_MAGIC}


class UnsupportedAudio(ValueError):
    pass


def media_type(content_type: str | None) -> str:
    """`audio/webm;codecs=opus` -> `audio/webm`; the parameters say nothing we rely on."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_audio(content_type: str | None, body: bytes) -> str:
    """The chunk's media type when `body` is the kind of file `content_type` says; raises
    UnsupportedAudio otherwise."""
    kind = media_type(content_type)
    magic = CONTENT_TYPES.get(kind)
    if magic is None:
        raise UnsupportedAudio(
            f"Content-Type must be one of {', '.join(CONTENT_TYPES)}, not {kind or 'none'!r}."
        )
    if not body.startswith(magic):
        raise UnsupportedAudio(f"The body is not a {kind.split('/')[1]} file.")
    # A Matroska file that is not WebM (a .mkv with any codec) is refused: the EBML header
    # names the document type in its first few dozen bytes.
    if kind == "audio/webm" and b"webm" not in body[:64]:
        raise UnsupportedAudio("The body is a Matroska file but not WebM.")
    return kind
