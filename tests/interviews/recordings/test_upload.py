"""The chunk upload's rules (docs/recording.md): consent, order, duplicates, gaps, size, type,
who may upload and until when. Transcription is not run here (see test_transcription.py)."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from interviews.limits import MAX_AUDIO_CHUNK_BYTES
from interviews.models import AudioChunk, InterviewSession
from interviews.recordings import services as recording_services
from interviews.recordings.retention import audio_purge_expired
from interviews.room import services as room_services

from .conftest import consent_url, now_ms, observer_of, put_chunk

pytestmark = pytest.mark.django_db

# A WebM file's signature and document type, then bytes nobody decodes (never transcribed here).
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\x00" * 200
OGG = b"OggS" + b"\x00" * 200


@pytest.fixture(autouse=True)
def no_transcription(monkeypatch):
    queued = []
    monkeypatch.setattr(recording_services, "transcription_queue", queued.append)
    return queued


def test_a_chunk_is_stored_in_file_storage_and_its_transcription_queued(
    live, no_transcription, django_capture_on_commit_callbacks
):
    session, clients = live
    start = now_ms()
    with django_capture_on_commit_callbacks(execute=True):
        response = put_chunk(clients["candidate"], session, 0, WEBM, start)
    assert response.status_code == 201, response.content
    assert response.json()["bytes"] == len(WEBM) and response.json()["status"] == "pending"
    chunk = AudioChunk.objects.get()
    assert no_transcription == [chunk.pk]
    assert default_storage.exists(chunk.file.name) and chunk.file.name.startswith("recordings/")
    assert chunk.file.read() == WEBM and chunk.start_ms == start and chunk.duration_ms == 10_000


def test_the_same_bytes_again_are_accepted_once_and_different_bytes_conflict(live):
    session, clients = live
    api, start = clients["candidate"], now_ms()
    assert put_chunk(api, session, 0, WEBM, start).status_code == 201
    assert put_chunk(api, session, 0, WEBM, start).status_code == 200
    other = put_chunk(api, session, 0, WEBM + b"x", start)
    assert other.status_code == 409 and other.json()["code"] == "conflict"
    assert AudioChunk.objects.count() == 1


def test_start_times_must_increase_with_the_index_and_gaps_can_be_filled_later(live):
    session, clients = live
    api, t = clients["candidate"], now_ms()
    assert put_chunk(api, session, 0, WEBM, t).status_code == 201
    assert put_chunk(api, session, 3, WEBM, t + 30_000).status_code == 201  # a gap: 1 and 2
    late = put_chunk(api, session, 1, WEBM, t + 40_000)  # starts after chunk 3
    assert late.status_code == 409 and late.json()["code"] == "out_of_order"
    early = put_chunk(api, session, 2, WEBM, t)  # starts with chunk 0
    assert early.status_code == 409 and early.json()["code"] == "out_of_order"
    assert put_chunk(api, session, 2, WEBM, t + 20_000).status_code == 201
    assert put_chunk(api, session, 1, WEBM, t + 10_000).status_code == 201
    status = api.get(f"/api/sessions/{session.pk}/recording/").json()
    assert [c["index"] for c in status["chunks"]] == [0, 1, 2, 3]
    # Each participant has their own indexes.
    assert put_chunk(clients["interviewer"], session, 0, WEBM, t + 5000).status_code == 201


def test_an_oversized_chunk_and_a_full_recording_are_refused(live, monkeypatch):
    session, clients = live
    api = clients["candidate"]
    big = WEBM + b"\x00" * MAX_AUDIO_CHUNK_BYTES
    response = put_chunk(api, session, 0, big, now_ms())
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    monkeypatch.setattr(recording_services, "MAX_AUDIO_BYTES_PER_PARTICIPANT", len(WEBM) * 2)
    t = now_ms()
    assert put_chunk(api, session, 0, WEBM, t).status_code == 201
    assert put_chunk(api, session, 1, WEBM, t + 1000).status_code == 201
    full = put_chunk(api, session, 2, WEBM, t + 2000)
    assert full.status_code == 413 and full.json()["code"] == "too_large"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("text/plain", WEBM),
        ("audio/webm", b"RIFF....WAVEfmt " + b"\x00" * 100),  # a WAV said to be WebM
        ("audio/ogg", WEBM),  # WebM said to be Ogg
        ("audio/webm", b"\x1a\x45\xdf\xa3" + b"\x00" * 100 + b"matroska"),  # not WebM
        ("audio/mpeg", b"ID3" + b"\x00" * 100),
    ],
)
def test_a_body_that_is_not_webm_or_ogg_is_refused(live, content_type, body):
    session, clients = live
    response = put_chunk(
        clients["candidate"], session, 0, body, now_ms(), content_type=content_type
    )
    assert response.status_code == 415 and response.json()["code"] == "unsupported_type"
    assert AudioChunk.objects.count() == 0


def test_ogg_opus_is_accepted(live):
    session, clients = live
    response = put_chunk(clients["candidate"], session, 0, OGG, now_ms(), content_type="audio/ogg")
    assert response.status_code == 201
    assert AudioChunk.objects.get().file.name.endswith(".ogg")


def test_missing_or_bad_times_are_refused(live):
    session, clients = live
    api = clients["candidate"]
    base = f"/api/sessions/{session.pk}/recording/chunks/0/"
    for query in ("", "?start=1", "?start=x&duration=1", f"?start={now_ms()}&duration=0"):
        response = api.put(base + query, data=WEBM, content_type="audio/webm")
        assert response.status_code == 400, query
    far_future = put_chunk(api, session, 0, WEBM, now_ms() + 3_600_000)
    assert far_future.status_code == 400


def test_a_non_participant_gets_404_and_an_observer_403(live, user_factory, client_for):
    session, _ = live
    outsider, watcher = user_factory(username="otto"), user_factory(username="wade")
    observer_of(session, watcher)
    response = put_chunk(client_for(outsider), session, 0, WEBM, now_ms())
    assert response.status_code == 404
    response = put_chunk(client_for(watcher), session, 0, WEBM, now_ms())
    assert response.status_code == 403 and response.json()["code"] == "observer"
    response = client_for(watcher).post(consent_url(session), {"consent": True}, format="json")
    assert response.status_code == 403
    assert client_for(watcher).get(f"/api/sessions/{session.pk}/recording/").status_code == 200
    assert AudioChunk.objects.count() == 0


def test_without_both_consents_nothing_is_kept(interview, client_for):
    session, interviewer, candidate = interview
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    me, them = client_for(candidate), client_for(interviewer)
    assert me.post(consent_url(session), {"consent": True}, format="json").json()["state"] == (
        "pending"
    )
    response = put_chunk(me, session, 0, WEBM, now_ms())
    assert response.status_code == 403 and response.json()["code"] == "no_consent"
    refused = them.post(consent_url(session), {"consent": False}, format="json").json()
    assert refused["state"] == "refused" and refused["consents"] == {
        "interviewer": False,
        "candidate": True,
    }
    assert put_chunk(me, session, 0, WEBM, now_ms()).status_code == 403
    assert AudioChunk.objects.count() == 0


def test_a_withdrawal_stops_uploads_and_a_new_yes_refuses_older_chunks(live):
    session, clients = live
    started = timezone.now() - timedelta(minutes=1)
    InterviewSession.objects.filter(pk=session.pk).update(started_at=started)
    api, before = clients["candidate"], now_ms()
    assert put_chunk(api, session, 0, WEBM, before).status_code == 201
    clients["interviewer"].post(consent_url(session), {"consent": False}, format="json")
    response = put_chunk(api, session, 1, WEBM, before + 1000)
    assert response.status_code == 403 and response.json()["code"] == "no_consent"
    again = clients["interviewer"].post(consent_url(session), {"consent": True}, format="json")
    assert again.json()["state"] == "active"
    old = put_chunk(api, session, 1, WEBM, again.json()["active_since"] - 10_000)
    assert old.status_code == 403 and old.json()["code"] == "no_consent"
    assert put_chunk(api, session, 1, WEBM, again.json()["active_since"]).status_code == 201


def test_uploads_close_a_grace_period_after_the_end(live, settings):
    session, clients = live
    api, start = clients["candidate"], now_ms()
    room_services.session_end(session_id=session.pk, role="interviewer")
    assert put_chunk(api, session, 0, WEBM, start).status_code == 201  # within the grace
    InterviewSession.objects.filter(pk=session.pk).update(
        ended_at=timezone.now() - timedelta(seconds=settings.RECORDING_UPLOAD_GRACE_SECONDS + 1)
    )
    response = put_chunk(api, session, 1, WEBM, start + 1000)
    assert response.status_code == 409 and response.json()["code"] == "closed"
    assert put_chunk(api, session, 0, WEBM, start).status_code == 200  # a retry is still fine
    status = api.get(f"/api/sessions/{session.pk}/recording/").json()
    assert status["state"] == "closed" and status["uploads_until"] is not None


def test_an_interview_that_has_not_started_takes_no_audio(interview, client_for):
    session, interviewer, candidate = interview
    for user in (interviewer, candidate):
        client_for(user).post(consent_url(session), {"consent": True}, format="json")
    response = put_chunk(client_for(candidate), session, 0, WEBM, now_ms())
    assert response.status_code == 409 and response.json()["code"] == "closed"


def test_deleting_recordings_removes_the_files_and_stops_recording(
    live, django_capture_on_commit_callbacks
):
    session, clients = live
    t = now_ms()
    put_chunk(clients["candidate"], session, 0, WEBM, t)
    put_chunk(clients["interviewer"], session, 0, WEBM, t)
    names = [chunk.file.name for chunk in AudioChunk.objects.all()]
    assert all(default_storage.exists(name) for name in names) and len(names) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["candidate"].delete(f"/api/sessions/{session.pk}/recording/")
    assert response.status_code == 200
    assert response.json()["state"] == "refused" and response.json()["my_consent"] is False
    assert AudioChunk.objects.count() == 0
    assert not any(default_storage.exists(name) for name in names)
    assert put_chunk(clients["interviewer"], session, 1, WEBM, now_ms()).status_code == 403


def test_audio_past_its_retention_is_deleted_and_the_rows_stay(
    live, settings, django_capture_on_commit_callbacks
):
    session, clients = live
    t = now_ms()
    put_chunk(clients["candidate"], session, 0, WEBM, t)
    put_chunk(clients["candidate"], session, 1, WEBM, t + 1000)
    old, new = AudioChunk.objects.order_by("index")
    AudioChunk.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    settings.RECORDING_AUDIO_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        assert audio_purge_expired() == 1
    old.refresh_from_db()
    assert not old.file and old.audio_deleted_at is not None
    assert not default_storage.exists(f"recordings/{session.pk}/{old.participant_id}/00000.webm")
    assert default_storage.exists(new.file.name)
    out = io.StringIO()
    call_command("purge_recordings", stdout=out)  # the cron form; nothing left to do
    assert "Deleted 0 audio file(s) older than 30 days" in out.getvalue()
