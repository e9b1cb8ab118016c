from django.conf import settings
from django.core.management.base import BaseCommand

from interviews.recordings.retention import audio_purge_expired


class Command(BaseCommand):
    help = (
        "Delete audio files older than RECORDING_AUDIO_RETENTION_DAYS (transcripts stay). "
        "For cron, where celery beat does not run; safe to run at any time."
    )

    def handle(self, *args, **options):
        deleted = audio_purge_expired()
        self.stdout.write(
            f"Deleted {deleted} audio file(s) older than "
            f"{settings.RECORDING_AUDIO_RETENTION_DAYS:g} days."
        )
