"""Audio kept no longer than it should be: files deleted once the rows that name them are gone
(on commit; files are not transactional), and the periodic purge of audio past its retention
(transcripts stay)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import AudioChunk, recordings_storage

logger = logging.getLogger(__name__)


def files_delete_on_commit(names: list[str]) -> None:
    storage = recordings_storage()

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # gone already, or the store refused: the row is gone either way
                logger.warning("could not delete recording file %s", name, exc_info=True)

    transaction.on_commit(delete)


def audio_purge_expired(*, now: datetime | None = None) -> int:
    """Delete the audio files uploaded more than RECORDING_AUDIO_RETENTION_DAYS ago (their
    transcripts stay); returns how many files were deleted. Safe to run at any time."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RECORDING_AUDIO_RETENTION_DAYS)
    deleted = 0
    expired = AudioChunk.objects.filter(created_at__lt=cutoff, audio_deleted_at__isnull=True)
    while ids := list(expired.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            rows = list(AudioChunk.objects.select_for_update().filter(pk__in=ids))
            names = [row.file.name for row in rows if row.file]
            AudioChunk.objects.filter(pk__in=ids).update(file="", audio_deleted_at=timezone.now())
            files_delete_on_commit(names)
        deleted += len(names)
    return deleted
