"""The report of an ended session waits a bounded time for chunks still being transcribed, and
the last chunk to finish builds it at once (no polling); a late chunk rebuilds a ready report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import AudioChunk, InterviewSession, Participant, Report
from interviews.recordings import selectors as recording_selectors
from interviews.recordings import transcription as recording_transcription
from interviews.reports import tasks
from interviews.room import services as room_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_with_pending_chunk(interview, settings, monkeypatch):
    session, _, _ = interview
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a real broker: others work meanwhile
    queued = []
    monkeypatch.setattr(tasks.report_build, "delay", lambda *a, **k: queued.append(("delay", a)))
    monkeypatch.setattr(
        tasks.report_build,
        "apply_async",
        lambda a, k, countdown: queued.append(("later", countdown)),
    )
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    room_services.session_end(session_id=session.pk, role="interviewer")
    candidate = Participant.objects.get(session=session, role="candidate")
    chunk = AudioChunk.objects.create(
        session=session,
        participant=candidate,
        index=0,
        start_ms=1,
        duration_ms=10_000,
        size=1,
        sha256="0" * 64,
        content_type="audio/webm",
        file="recordings/x.webm",
    )
    return session, chunk, queued


def test_the_build_waits_for_pending_chunks_until_the_deadline(ended_with_pending_chunk, settings):
    session, chunk, queued = ended_with_pending_chunk
    wait = recording_selectors.transcripts_pending_wait(session_id=session.pk)
    assert 0 < wait <= settings.RECORDING_REPORT_WAIT_SECONDS
    assert tasks.report_build.run(str(session.pk)) == "waiting"
    assert queued[-1][0] == "later" and queued[-1][1] == pytest.approx(wait, abs=1)
    assert Report.objects.get(session=session).status == "pending"
    # Past the deadline the report is built without the chunk.
    InterviewSession.objects.filter(pk=session.pk).update(
        ended_at=timezone.now() - timedelta(seconds=settings.RECORDING_REPORT_WAIT_SECONDS + 1)
    )
    assert recording_selectors.transcripts_pending_wait(session_id=session.pk) == 0
    assert tasks.report_build.run(str(session.pk)) == "ready"
    content = Report.objects.get(session=session).content
    assert content["transcript"]["status"] == "failed" and content["transcript"]["note"]


def test_the_last_chunk_to_finish_builds_the_waiting_report_at_once(
    ended_with_pending_chunk, django_capture_on_commit_callbacks
):
    session, chunk, queued = ended_with_pending_chunk
    with django_capture_on_commit_callbacks(execute=True):
        recording_transcription.chunk_fail(chunk_id=chunk.pk, reason="gone")
    assert ("delay", (str(session.pk),)) in queued


def test_inline_tasks_never_wait(ended_with_pending_chunk, settings):
    session, _, _ = ended_with_pending_chunk
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert recording_selectors.transcripts_pending_wait(session_id=session.pk) == 0
