"""Turning stored chunks into transcript segments as they arrive (the Celery task in tasks.py
calls chunk_transcribe), a speaker's consecutive chunks together, each segment placed in its step
by the timer log.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import AudioChunk, RoomEvent, TranscriptSegment
from ..transient import TRANSIENT_ERRORS
from .align import align_segments, changes_from_log
from .selectors import to_ms
from .signals import transcript_changed

logger = logging.getLogger(__name__)


def step_changes(session_id) -> list:
    """The timer log of a session as StepChanges (see align.py)."""
    events = RoomEvent.objects.filter(
        session_id=session_id, type__in=("timer.state", "session.ended")
    ).order_by("seq")
    return changes_from_log(
        [
            (to_ms(created_at), json.loads(payload))
            for created_at, payload in events.values_list("created_at", "payload")
        ]
    )


# Whisper hears audio in 30-s windows and pads a shorter file to a whole window, so a 10-s chunk
# costs about as much as 30 s of speech. A speaker's consecutive chunks are therefore transcribed
# together, up to one window; a chunk waits at most BATCH_WAIT_SECONDS for the ones after it
# (while the interview runs: at the end, or inline, whatever is there goes at once).
BATCH_MS = 30_000
BATCH_WAIT_SECONDS = 40
# A run this close to a full window gets no further chunk: go now.
_NEARLY_FULL_MS = BATCH_MS - 5_000
WAITING = "waiting"
# Runs before this chunk's that one task may take on (they are older, so they go first).
_MAX_RUNS_PER_TASK = 20


@dataclass
class _Part:
    """One chunk's place in a batch's samples, and its segments' times back on the server clock."""

    chunk: AudioChunk
    offset: float  # seconds into the batch's samples
    seconds: float

    def to_ms(self, at: float) -> int:
        inside = min(max(at - self.offset, 0.0), self.seconds)
        return self.chunk.start_ms + round(inside * 1000)


def _pending_run(participant_id: int) -> tuple[list[AudioChunk], bool]:
    """The speaker's oldest run of consecutive pending chunks that fits one window, and whether
    it is closed (a later pending chunk exists that does not belong to it)."""
    pending = AudioChunk.objects.filter(
        participant_id=participant_id, status=AudioChunk.Status.PENDING
    ).order_by("index")
    run: list[AudioChunk] = []
    total = 0
    for chunk in pending[:8]:
        if run and (chunk.index != run[-1].index + 1 or total + chunk.duration_ms > BATCH_MS):
            return run, True
        run.append(chunk)
        total += chunk.duration_ms
    return run, total >= _NEARLY_FULL_MS


def _run_ready(run: list[AudioChunk], closed: bool, session_ended: bool) -> bool:
    if closed or session_ended or settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    oldest = min(chunk.created_at for chunk in run)
    return timezone.now() - oldest >= timedelta(seconds=BATCH_WAIT_SECONDS)


def chunk_transcribe(*, chunk_id: int) -> str:
    """Transcribe the speaker's pending runs of chunks (see BATCH_MS) up to the one `chunk_id`
    belongs to and store the segments; returns the chunk's status, or WAITING when its run
    should wait for more chunks (or is another worker's now): the task looks again later.

    Idempotent and safe beside other workers: a run's rows stay locked while it is transcribed
    (a worker that finds them locked leaves them to the one holding them), chunks no longer
    pending are left alone, and segments are replaced in the same transaction. A file that does
    not decode marks its chunk failed with the reason (running it again would fail the same way)
    and the rest of the run goes on; transient database errors propagate for the task to retry.
    """
    chunk = AudioChunk.objects.filter(pk=chunk_id).select_related("session").first()
    if chunk is None:
        return "gone"
    for _ in range(_MAX_RUNS_PER_TASK):
        status = AudioChunk.objects.values_list("status", flat=True).get(pk=chunk_id)
        if status != AudioChunk.Status.PENDING:
            return status
        run, closed = _pending_run(chunk.participant_id)
        if not _run_ready(run, closed, chunk.session.ended_at is not None):
            return WAITING
        with transaction.atomic():
            locked = list(
                AudioChunk.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[c.pk for c in run], status=AudioChunk.Status.PENDING)
                .select_related("session__case_study")
                .order_by("index")
            )
            if len(locked) < len(run):
                return WAITING  # another worker has (part of) this run
            _transcribe_run(locked)
    return WAITING


def _transcribe_run(run: list[AudioChunk]) -> None:
    """Inside the transaction that holds the run's rows."""
    import numpy as np

    from .transcribe import SAMPLE_RATE, decode, transcribe_audio
    from .vocabulary import hotwords_for

    AudioChunk.objects.filter(pk__in=[c.pk for c in run]).update(attempts=F("attempts") + 1)
    parts: list[_Part] = []
    samples = []
    offset = 0.0
    for chunk in run:
        if not chunk.file:
            chunk_fail(chunk_id=chunk.pk, reason="The audio was deleted before transcription.")
            continue
        try:
            with chunk.file.open("rb") as audio:
                decoded = decode(audio)
        except TRANSIENT_ERRORS:
            raise
        except Exception as exc:
            logger.info("chunk %s could not be decoded: %s", chunk.pk, exc)
            chunk_fail(chunk_id=chunk.pk, reason=f"{type(exc).__name__}: {exc}")
            continue
        seconds = len(decoded) / SAMPLE_RATE
        parts.append(_Part(chunk, offset, seconds))
        samples.append(decoded)
        offset += seconds
    if not parts:
        return
    first = parts[0].chunk
    changes = step_changes(first.session_id)
    step = align_segments([(first.start_ms, first.start_ms + first.duration_ms)], changes)[0]
    hotwords = hotwords_for(first.session.case_study.guide, step or None)
    try:
        segments = transcribe_audio(np.concatenate(samples), hotwords=hotwords)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.info("chunks %s could not be transcribed: %s", [p.chunk.pk for p in parts], exc)
        for part in parts:
            chunk_fail(chunk_id=part.chunk.pk, reason=f"{type(exc).__name__}: {exc}")
        return

    def part_at(at: float) -> _Part:
        for part in reversed(parts):
            if at >= part.offset:
                return part
        return parts[0]

    placed = []
    for segment in segments:
        home = part_at(segment.start)
        start, end = home.to_ms(segment.start), part_at(segment.end).to_ms(segment.end)
        words = [
            {
                "w": w.text,
                "s": part_at(w.start).to_ms(w.start),
                "e": part_at(w.end).to_ms(w.end),
                "p": round(w.probability, 3),
            }
            for w in segment.words
        ]
        placed.append((home.chunk, segment.text, start, max(start, end), words))
    steps = align_segments([(start, end) for _, _, start, end, _ in placed], changes)
    done = [part.chunk for part in parts]
    TranscriptSegment.objects.filter(chunk__in=done).delete()
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            session_id=home.session_id,
            chunk=home,
            speaker_id=home.participant_id,
            start_ms=start,
            end_ms=end,
            text=text,
            words=words,
            step=step_key,
        )
        for (home, text, start, end, words), step_key in zip(placed, steps, strict=True)
    )
    AudioChunk.objects.filter(pk__in=[c.pk for c in done]).update(
        status=AudioChunk.Status.TRANSCRIBED, reason="", transcribed_at=timezone.now()
    )
    session_id = first.session_id
    transaction.on_commit(lambda: chunk_settled(session_id=session_id))


def chunk_fail(*, chunk_id: int, reason: str) -> str:
    with transaction.atomic():
        updated = AudioChunk.objects.filter(pk=chunk_id, status=AudioChunk.Status.PENDING).update(
            status=AudioChunk.Status.FAILED, reason=reason[:2000]
        )
        if updated:
            session_id = AudioChunk.objects.values_list("session_id", flat=True).get(pk=chunk_id)
            transaction.on_commit(lambda: chunk_settled(session_id=session_id))
    return AudioChunk.Status.FAILED


def chunk_settled(*, session_id) -> None:
    """A chunk of `session_id` was transcribed or failed. Once none is left pending the
    transcript is complete for now: the report's queue hears it (see signals.py) and builds an
    ended session's report at once rather than at the end of its wait."""
    if AudioChunk.objects.filter(session_id=session_id, status=AudioChunk.Status.PENDING).exists():
        return
    transcript_changed.send(sender=AudioChunk, session_id=session_id)
