"""A speaker's consecutive chunks are transcribed together, up to one 30-s Whisper window (a
10-s file alone costs as much as a whole window): the run waits for its next chunks while the
interview goes on, goes at once when it is full or the interview is over, and a chunk that does
not decode fails alone. Real audio and the real recognizer, as in test_transcription.py."""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from interviews.models import AudioChunk, TranscriptSegment
from interviews.recordings import transcription
from interviews.recordings.services import chunk_store
from interviews.room import services as room_services
from testkit.audio import chunks_of, silence, speak

from .conftest import now_ms, recording_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker_mode(settings):
    """Tasks as a worker runs them (not inline), called here directly."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture
def candidate(interview, django_capture_on_commit_callbacks):
    session, _, _ = interview
    return recording_people(session)["candidate"]


@pytest.fixture(scope="module")
def speech_chunks():
    """Thirty seconds: a sentence across the first two ten-second chunks, one in the third."""
    first = speak("The offline metric is recall at one hundred, measured on a held out week.")
    head = np.concatenate([silence(7.0), first])
    tail = speak("Then we watch the latency.")
    samples = np.concatenate([head, silence(max(0.0, 22.0 - len(head) / 48_000)), tail])
    samples = np.concatenate([samples, silence(max(0.0, 30.0 - len(samples) / 48_000))])
    return chunks_of(samples[: 30 * 48_000], seconds=10)


def store(participant, index, body, start, duration, django_capture_on_commit_callbacks):
    # The upload's own task is not run here: the test calls the service as the worker would.
    with django_capture_on_commit_callbacks(execute=False):
        chunk, _ = chunk_store(
            participant=participant,
            index=index,
            start_ms=start,
            duration_ms=duration,
            content_type="audio/webm",
            body=body,
        )
    return chunk


def test_a_run_waits_for_its_next_chunks_then_goes_in_one_pass(
    candidate, speech_chunks, worker_mode, django_capture_on_commit_callbacks
):
    began = now_ms() + 1_000
    stored = []
    for index, (body, duration) in enumerate(speech_chunks):
        start = began + index * 10_000
        stored.append(
            store(candidate, index, body, start, duration, django_capture_on_commit_callbacks)
        )
        if index < 2:
            assert transcription.chunk_transcribe(chunk_id=stored[-1].pk) == transcription.WAITING
            assert not TranscriptSegment.objects.exists()
    # The third chunk fills the window: all three are transcribed together, by its task.
    assert transcription.chunk_transcribe(chunk_id=stored[-1].pk) == "transcribed"
    assert set(AudioChunk.objects.values_list("status", flat=True)) == {"transcribed"}
    segments = list(TranscriptSegment.objects.order_by("start_ms"))
    text = " ".join(s.text for s in segments).casefold()
    assert "recall" in text and "latency" in text, text
    # Times are back on the server clock, inside the interview, each in the chunk it starts in.
    for segment in segments:
        assert began <= segment.start_ms <= segment.end_ms <= began + 30_000
        assert segment.chunk.start_ms <= segment.start_ms
        assert segment.start_ms <= segment.chunk.start_ms + segment.chunk.duration_ms
        words = segment.words
        assert all(began <= w["s"] <= w["e"] <= began + 30_000 for w in words)
    recall = next(s for s in segments if "recall" in s.text.casefold())
    assert recall.chunk.index == 0 and recall.start_ms >= began + 6_000  # after 7 s of silence
    said = next(w for s in segments for w in s.words if "recall" in w["w"].casefold())
    assert began + 7_000 <= said["s"] <= began + 20_000
    assert set(AudioChunk.objects.values_list("attempts", flat=True)) == {1}


def test_a_waiting_run_goes_once_the_interview_is_over_or_it_waited_long_enough(
    interview, candidate, speech_chunks, worker_mode, django_capture_on_commit_callbacks
):
    session, _, _ = interview
    body, duration = speech_chunks[0]
    first = store(
        candidate, 0, body, now_ms() + 1_000, duration, django_capture_on_commit_callbacks
    )
    assert transcription.chunk_transcribe(chunk_id=first.pk) == transcription.WAITING
    AudioChunk.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(seconds=transcription.BATCH_WAIT_SECONDS + 1)
    )
    assert transcription.chunk_transcribe(chunk_id=first.pk) == "transcribed"

    body, duration = speech_chunks[1]
    second = store(
        candidate, 1, body, now_ms() + 12_000, duration, django_capture_on_commit_callbacks
    )
    assert transcription.chunk_transcribe(chunk_id=second.pk) == transcription.WAITING
    room_services.session_end(session_id=session.pk, role="interviewer")
    assert transcription.chunk_transcribe(chunk_id=second.pk) == "transcribed"


def test_a_chunk_that_does_not_decode_fails_alone_and_the_run_goes_on(
    candidate, speech_chunks, worker_mode, django_capture_on_commit_callbacks
):
    began = now_ms() + 1_000
    ids = []
    for index, (body, duration) in enumerate(speech_chunks):
        if index == 1:
            body = body[:60] + bytes(range(256)) * 12  # a header, then garbage
        ids.append(
            store(
                candidate,
                index,
                body,
                began + index * 10_000,
                duration,
                django_capture_on_commit_callbacks,
            ).pk
        )
    transcription.chunk_transcribe(chunk_id=ids[0])
    statuses = dict(AudioChunk.objects.values_list("index", "status"))
    assert statuses[0] == "transcribed" and statuses[2] == "transcribed"
    broken = AudioChunk.objects.get(index=1)
    assert broken.status == "failed" and broken.reason
    assert TranscriptSegment.objects.filter(chunk__index=0).exists()
