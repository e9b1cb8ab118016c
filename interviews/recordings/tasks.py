"""Celery tasks of the recording feature. Thin: ids in, a service call; the services are
idempotent, so a redelivered task (late acks, a worker killed mid-task) does no harm."""

from celery import Task, shared_task
from celery.signals import worker_process_init

from ..transient import gave_up, retried_task
from . import retention, transcription

# Thirty seconds of speech (a run of chunks) take a few seconds of one core with tiny.en; a
# run still being transcribed after this long is stuck, and better failed than waited for.
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


class ChunkTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Retries ran out or the time limit hit: the chunk is failed with the reason, so the
        report stops waiting for it and says that part of the audio is missing."""
        chunk_id = kwargs.get("chunk_id") or args[0]
        transcription.chunk_fail(chunk_id=chunk_id, reason=gave_up(self, exc))


@shared_task(
    bind=True,
    base=ChunkTask,
    **retried_task(backoff_max=60, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT),
)
def transcribe_chunk(self, chunk_id: int) -> str:
    status = transcription.chunk_transcribe(chunk_id=chunk_id)
    if status == transcription.WAITING:
        # Its run may still grow; look again once it has waited long enough (a later chunk's
        # task, or the end of the interview, may take it sooner).
        transcribe_chunk.apply_async((chunk_id,), countdown=transcription.BATCH_WAIT_SECONDS)
    return status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_expired_audio() -> int:
    """Run hourly by celery beat (CELERY_BEAT_SCHEDULE): delete audio past its retention."""
    return retention.audio_purge_expired()


@worker_process_init.connect
def _warm_up_whisper(**_) -> None:
    """Each worker child loads the speech model in the background once, before its first chunk."""
    import threading

    from .transcribe import whisper_model

    threading.Thread(target=whisper_model, name="whisper-warm-up", daemon=True).start()
