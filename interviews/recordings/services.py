"""Writes of the recording feature: consent, chunk uploads, deletion and retention (what the
transcription stores: transcription.py). Rules are in docs/recording.md; every check lives here
so that the HTTP view, the worker and the management command cannot disagree.

Files are not transactional: a stored chunk's file is written before its row commits (an orphan
file if the commit fails is harmless and is overwritten by the retry of the same index), and
files are deleted only after the rows that name them are gone (on commit).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from ..limits import (
    MAX_AUDIO_BYTES_PER_PARTICIPANT,
    MAX_AUDIO_CHUNK_BYTES,
    MAX_AUDIO_CHUNK_INDEX,
    MAX_AUDIO_CHUNK_MS,
)
from ..models import (
    AudioChunk,
    InterviewSession,
    Participant,
    RecordingConsent,
    TranscriptSegment,
)
from ..protocol import outbound
from ..realtime.notify import room_publish
from .audio import UnsupportedAudio, check_audio
from .queue import transcription_queue
from .retention import files_delete_on_commit
from .selectors import (
    RECORDING_ROLES,
    active_since,
    consents_of,
    recording_room_data,
    to_ms,
    uploads_until,
)
from .signals import transcript_changed

logger = logging.getLogger(__name__)
# Browsers' corrected clocks disagree with the server's by a few hundred ms; a chunk that starts
# this little before recording became active (or after the end) is not refused for it.
CLOCK_TOLERANCE_MS = 2000


class RecordingRefused(Exception):
    """A request the rules refuse; `status` is the HTTP status, `code` goes to the client."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _announce(session: InterviewSession) -> None:
    def tell() -> None:
        fresh = InterviewSession.objects.get(pk=session.pk)
        room_publish(session.pk, outbound.recording_status(recording=recording_room_data(fresh)))

    transaction.on_commit(tell)


# --- consent -----------------------------------------------------------------------------------


def _require_recorder(participant: Participant) -> None:
    if participant.role not in RECORDING_ROLES:
        raise RecordingRefused(403, "observer", "Observers do not record.")


@transaction.atomic
def consent_set(*, participant: Participant, consented: bool) -> RecordingConsent:
    """Record the participant's yes or no. A no stops recording for everyone from now on; a yes
    after a no starts a new active period (chunks from before it are refused)."""
    _require_recorder(participant)
    session = InterviewSession.objects.select_for_update().get(pk=participant.session_id)
    if session.status == InterviewSession.Status.ENDED:
        raise RecordingRefused(409, "ended", "The interview has ended.")
    row = RecordingConsent.objects.filter(participant=participant).first()
    now = timezone.now()
    if row is None:
        row = RecordingConsent(session=session, participant=participant)
    if not (row.pk and row.consented == consented):  # a repeated answer changes nothing
        row.consented = consented
        row.consented_at = now if consented else None
        row.save()
        _announce(session)
    return row


# --- upload ------------------------------------------------------------------------------------


def _check_open(session: InterviewSession, start_ms: int, duration_ms: int, now: datetime) -> None:
    if session.status == InterviewSession.Status.SCHEDULED or session.started_at is None:
        raise RecordingRefused(409, "closed", "The interview has not started yet.")
    if start_ms < to_ms(session.started_at) - CLOCK_TOLERANCE_MS:
        raise RecordingRefused(409, "closed", "The chunk starts before the interview started.")
    if session.ended_at is not None:
        if now > uploads_until(session):
            raise RecordingRefused(409, "closed", "The interview is closed for uploads.")
        if start_ms > to_ms(session.ended_at) + CLOCK_TOLERANCE_MS:
            raise RecordingRefused(409, "closed", "The chunk starts after the interview ended.")


def _check_consent(session: InterviewSession, start_ms: int) -> None:
    consents = consents_of(session.pk)
    since = active_since(consents)
    if since is None:
        raise RecordingRefused(
            403, "no_consent", "Recording needs both the interviewer's and the candidate's consent."
        )
    if start_ms < to_ms(since) - CLOCK_TOLERANCE_MS:
        raise RecordingRefused(
            403, "no_consent", "The chunk was recorded before both participants consented."
        )


def _check_fields(index: int, start_ms: int, duration_ms: int, body: bytes, now) -> None:
    if not 0 <= index <= MAX_AUDIO_CHUNK_INDEX:
        raise RecordingRefused(400, "bad_request", f"index must be 0..{MAX_AUDIO_CHUNK_INDEX}.")
    if not 1 <= duration_ms <= MAX_AUDIO_CHUNK_MS:
        raise RecordingRefused(400, "bad_request", f"duration must be 1..{MAX_AUDIO_CHUNK_MS} ms.")
    if not 0 < start_ms <= to_ms(now) + 60_000:
        raise RecordingRefused(400, "bad_request", "start must be a time on the server's clock.")
    if not body:
        raise RecordingRefused(400, "bad_request", "The body is empty.")
    if len(body) > MAX_AUDIO_CHUNK_BYTES:
        raise RecordingRefused(
            413, "too_large", f"A chunk holds at most {MAX_AUDIO_CHUNK_BYTES} bytes."
        )


def _check_order(participant: Participant, index: int, start_ms: int) -> None:
    mine = AudioChunk.objects.filter(participant=participant)
    before = mine.filter(index__lt=index).order_by("-index").values_list("start_ms", flat=True)
    after = mine.filter(index__gt=index).order_by("index").values_list("start_ms", flat=True)
    earlier, later = before.first(), after.first()
    if (earlier is not None and earlier >= start_ms) or (later is not None and later <= start_ms):
        raise RecordingRefused(
            409, "out_of_order", "Start times must increase with the chunk index."
        )


def chunk_store(
    *,
    participant: Participant,
    index: int,
    start_ms: int,
    duration_ms: int,
    content_type: str | None,
    body: bytes,
) -> tuple[AudioChunk, bool]:
    """Store one uploaded chunk and queue its transcription; returns (chunk, created). The same
    bytes again for a stored index return the stored chunk unchanged."""
    _require_recorder(participant)
    now = timezone.now()
    _check_fields(index, start_ms, duration_ms, body, now)
    try:
        kind = check_audio(content_type, body)
    except UnsupportedAudio as exc:
        raise RecordingRefused(415, "unsupported_type", str(exc)) from exc
    digest = hashlib.sha256(body).hexdigest()
    with transaction.atomic():
        # One upload of a participant at a time: the order and size checks see every chunk.
        participant = (
            Participant.objects.select_for_update().select_related("session").get(pk=participant.pk)
        )
        session = participant.session
        existing = AudioChunk.objects.filter(participant=participant, index=index).first()
        if existing is not None:
            if existing.sha256 == digest and existing.start_ms == start_ms:
                return existing, False
            raise RecordingRefused(
                409, "conflict", f"Chunk {index} is already stored with different content."
            )
        _check_open(session, start_ms, duration_ms, now)
        _check_consent(session, start_ms)
        _check_order(participant, index, start_ms)
        held = AudioChunk.objects.filter(participant=participant).aggregate(n=Sum("size"))["n"]
        if (held or 0) + len(body) > MAX_AUDIO_BYTES_PER_PARTICIPANT:
            raise RecordingRefused(
                413, "too_large", "Your recording of this interview has reached its size limit."
            )
        chunk = AudioChunk(
            session=session,
            participant=participant,
            index=index,
            start_ms=start_ms,
            duration_ms=duration_ms,
            size=len(body),
            sha256=digest,
            content_type=kind,
        )
        chunk.file.save(f"{index}", ContentFile(body), save=False)
        try:
            with transaction.atomic():
                chunk.save()
        except IntegrityError as exc:  # only if the row lock did not serialize (never on PG)
            raise RecordingRefused(409, "conflict", f"Chunk {index} is already stored.") from exc
        transaction.on_commit(lambda: transcription_queue(chunk.pk))
    return chunk, True


# --- deletion and retention --------------------------------------------------------------------


@transaction.atomic
def recordings_delete(*, participant: Participant) -> int:
    """Delete every audio file and transcript segment of the participant's session (both
    people's), withdraw the participant's consent and rebuild an ended session's report.
    Returns how many chunks were deleted."""
    _require_recorder(participant)
    session = InterviewSession.objects.select_for_update().get(pk=participant.session_id)
    chunks = AudioChunk.objects.filter(session=session)
    names = [name for name in chunks.values_list("file", flat=True) if name]
    count = chunks.count()
    TranscriptSegment.objects.filter(session=session).delete()
    chunks.delete()
    RecordingConsent.objects.update_or_create(
        participant=participant,
        defaults={"session": session, "consented": False, "consented_at": None},
    )
    files_delete_on_commit(names)
    _announce(session)
    transcript_changed.send(sender=AudioChunk, session_id=session.pk)
    return count
