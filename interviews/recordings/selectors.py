"""Reads of the recording feature: its state (both answers, since when, until when uploads are
taken), the counts of chunks, and the status as a participant sees it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from ..limits import MAX_AUDIO_BYTES_PER_PARTICIPANT, MAX_AUDIO_CHUNK_BYTES, MAX_AUDIO_CHUNK_MS
from ..models import AudioChunk, InterviewSession, Participant, RecordingConsent, Role
from .audio import CONTENT_TYPES

RECORDING_ROLES = (Role.INTERVIEWER, Role.CANDIDATE)


def participant_get_for_user(*, user, session_id) -> Participant:
    """The user's participation in the session; Http404 when the session is not theirs."""
    try:
        return Participant.objects.select_related("session").get(session_id=session_id, user=user)
    except (Participant.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such session.") from exc


def audio_chunk_get_for_user(*, user, session_id, chunk_id: int) -> AudioChunk:
    """A chunk of the session whose audio is still kept, for any of its participants (they
    all heard it); Http404 when the session is not theirs or the audio is gone."""
    participant_get_for_user(user=user, session_id=session_id)
    chunk = (
        AudioChunk.objects.filter(session_id=session_id, pk=chunk_id, audio_deleted_at__isnull=True)
        .exclude(file="")
        .first()
    )
    if chunk is None:
        raise Http404("No such recording.")
    return chunk


def chunk_data(chunk: AudioChunk) -> dict:
    """One stored chunk as its uploader sees it (docs/recording.md)."""
    return {
        "index": chunk.index,
        "start": chunk.start_ms,
        "duration": chunk.duration_ms,
        "bytes": chunk.size,
        "sha256": chunk.sha256,
        "status": chunk.status,
        "reason": chunk.reason,
    }


def recording_status_for(*, participant: Participant) -> dict:
    """The recording status as `participant` sees it (docs/recording.md, "Status")."""
    session = participant.session
    now = timezone.now()
    consents = consents_of(session.pk)
    mine = consents.get(participant.role)
    chunks = AudioChunk.objects.filter(participant=participant).order_by("index")
    return {
        "state": recording_state(session, consents, now),
        "consents": {role: (row.consented if row else None) for role, row in consents.items()},
        "my_consent": mine.consented if mine is not None else None,
        "active_since": to_ms(active_since(consents)),
        "uploads_until": to_ms(uploads_until(session)),
        "server_time": to_ms(now),
        "limits": {
            "max_chunk_bytes": MAX_AUDIO_CHUNK_BYTES,
            "max_bytes_per_participant": MAX_AUDIO_BYTES_PER_PARTICIPANT,
            "max_chunk_ms": MAX_AUDIO_CHUNK_MS,
            "content_types": list(CONTENT_TYPES),
        },
        "chunks": [chunk_data(chunk) for chunk in chunks],
        "transcription": chunk_counts(session.pk),
    }


def to_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _grace() -> timedelta:
    return timedelta(seconds=settings.RECORDING_UPLOAD_GRACE_SECONDS)


def consents_of(session_id) -> dict[str, RecordingConsent | None]:
    """The interviewer's and the candidate's consent rows (None: not asked yet)."""
    rows = RecordingConsent.objects.filter(session_id=session_id).select_related("participant")
    found = {row.participant.role: row for row in rows}
    return {role: found.get(role) for role in RECORDING_ROLES}


def active_since(consents: dict[str, RecordingConsent | None]) -> datetime | None:
    """When recording became active: the later of the two yeses; None unless both said yes."""
    rows = list(consents.values())
    if not all(row is not None and row.consented and row.consented_at for row in rows):
        return None
    return max(row.consented_at for row in rows)


def uploads_until(session: InterviewSession) -> datetime | None:
    return session.ended_at + _grace() if session.ended_at else None


def recording_state(session: InterviewSession, consents: dict, now: datetime) -> str:
    until = uploads_until(session)
    if session.status == InterviewSession.Status.ENDED and (
        now > until or active_since(consents) is None
    ):
        return "closed"
    if any(row is not None and not row.consented for row in consents.values()):
        return "refused"
    if active_since(consents) is not None:
        return "active"
    return "pending"


def recording_room_data(session: InterviewSession, now: datetime | None = None) -> dict:
    """What every socket of the room is told: the state, both answers and `active_since`."""
    consents = consents_of(session.pk)
    return {
        "state": recording_state(session, consents, now or timezone.now()),
        "consents": {
            role: (row.consented if row is not None else None) for role, row in consents.items()
        },
        "active_since": to_ms(active_since(consents)),
    }


def chunk_counts(session_id) -> dict[str, int]:
    counts = AudioChunk.objects.filter(session_id=session_id).aggregate(
        pending=Count("pk", filter=Q(status=AudioChunk.Status.PENDING)),
        transcribed=Count("pk", filter=Q(status=AudioChunk.Status.TRANSCRIBED)),
        failed=Count("pk", filter=Q(status=AudioChunk.Status.FAILED)),
    )
    return {key: counts[key] or 0 for key in ("pending", "transcribed", "failed")}


def transcripts_pending_wait(*, session_id) -> float:
    """Seconds the report of an ended session should still wait for chunks being transcribed:
    0 when none is pending, the wait is over, or tasks run inline (nothing runs meanwhile)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return 0.0
    pending = AudioChunk.objects.filter(session_id=session_id, status=AudioChunk.Status.PENDING)
    if not pending.exists():
        return 0.0
    ended_at = (
        InterviewSession.objects.filter(pk=session_id).values_list("ended_at", flat=True).first()
    )
    if ended_at is None:
        return 0.0
    deadline = ended_at + timedelta(seconds=settings.RECORDING_REPORT_WAIT_SECONDS)
    return max(0.0, (deadline - timezone.now()).total_seconds())
