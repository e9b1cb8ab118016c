"""Handing a stored chunk to the transcription task: the one module that imports it, always after
the commit that stored the chunk (write, commit, then tell)."""

from .tasks import transcribe_chunk


def transcription_queue(chunk_id: int) -> None:
    transcribe_chunk.delay(chunk_id)


def transcription_flush(session_id) -> None:
    """The interview is over: each speaker's waiting run of chunks goes now, rather than at the
    end of its wait (see transcription.BATCH_MS). Asked by the report while it waits for them."""
    from django.db.models import Min

    from ..models import AudioChunk

    firsts = (
        AudioChunk.objects.filter(session_id=session_id, status=AudioChunk.Status.PENDING)
        .values("participant_id")
        .annotate(first=Min("id"))
    )
    for row in firsts:
        transcribe_chunk.delay(row["first"])
