"""Chunks transcribed by a real Celery worker from the real Redis broker while the interview
runs, and the report built as soon as the last one is done (no eager mode: the task message is
serialized, and the worker sees only what the upload committed)."""

import pytest

from config.celery import app as celery_app
from interviews.models import AudioChunk, Report
from interviews.recordings.services import chunk_store
from interviews.room import services as room_services
from testkit.audio import chunks_of, speak
from tests.conftest import require_service
from tests.live import Worker, wait_for, wait_until_servers_left_the_database

from .conftest import now_ms, recording_people

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_transcribes_uploads_and_builds_the_report(interview, media_root):
    require_service("REDIS_URL", "Redis")
    celery_app.control.purge()
    worker = Worker(name="recordings")
    worker.env["DJANGO_MEDIA_ROOT"] = str(media_root)  # where this process stores the audio
    worker.start()
    try:
        session, _, _ = interview
        people = recording_people(session)
        ((body, duration),) = chunks_of(speak("We track recall at one hundred."), seconds=30)
        chunk_store(
            participant=people["candidate"],
            index=0,
            start_ms=now_ms(),
            duration_ms=duration,
            content_type="audio/webm",
            body=body,
        )
        wait_for(lambda: AudioChunk.objects.get().status == "transcribed", timeout=240)
        room_services.session_end(session_id=session.pk, role="interviewer")
        report = wait_for(
            lambda: (r := Report.objects.get(session=session)).status == "ready" and r,
            timeout=120,
        )
        lines = [
            line for step in report.content["transcript"]["steps"] for line in step["segments"]
        ]
        assert "recall" in " ".join(line["text"] for line in lines).casefold()
    finally:
        worker.stop()
        wait_until_servers_left_the_database()
