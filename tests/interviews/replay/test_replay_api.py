"""The replay API: who may open it, what each role receives, and that the board read from a
keyframe is the board a full replay of the log gives at the same moment."""

import json
import random
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile

from interviews.feedback import services as feedback_services
from interviews.models import AudioChunk, BoardKeyframe, InterviewSession, Participant, RoomEvent
from interviews.replay import board as replay_board
from interviews.replay.selectors import board_at, board_at_from_log
from interviews.room import services as room_services
from testkit.excalidraw import element
from tests.interviews.scripted import box, draw

pytestmark = pytest.mark.django_db


def replay_url(session) -> str:
    return f"/api/sessions/{session.pk}/replay/"


def start(session):
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )


def end(session) -> InterviewSession:
    room_services.session_end(session_id=session.pk, role="interviewer")
    return InterviewSession.objects.get(pk=session.pk)


def spread_log(session, *, step_ms: int = 700) -> int:
    """Give the logged events times `step_ms` apart (a test runs in milliseconds, an interview
    in minutes); returns the first event's time."""
    first = InterviewSession.objects.get(pk=session.pk).created_at + timedelta(seconds=1)
    for row in RoomEvent.objects.filter(session=session).order_by("seq"):
        RoomEvent.objects.filter(pk=row.pk).update(
            created_at=first + timedelta(milliseconds=step_ms * row.seq)
        )
    return int(first.timestamp() * 1000)


@pytest.fixture
def ended(interview):
    """An ended interview with a board, chat, a private note and a score."""
    session, interviewer, candidate = interview
    start(session)
    draw(session, candidate, "candidate", box("b1"))
    room_services.chat_send(session_id=session.pk, user=candidate, role="candidate", text="hi")
    room_services.room_note_save(
        session_id=session.pk, role="interviewer", step="clarify", text="PRIVATE-NOTE", shared=None
    )
    criterion = session.rubric.criteria.first()
    room_services.room_score_set(
        session_id=session.pk,
        role="interviewer",
        criterion=criterion.key,
        level=2,
        comment="PRIVATE-COMMENT",
    )
    return end(session), interviewer, candidate


def test_the_interviewer_gets_markers_and_the_candidate_not_a_trace_of_them(ended, client_for):
    session, interviewer, candidate = ended
    mine = client_for(interviewer).get(replay_url(session))
    assert mine.status_code == 200
    markers = mine.json()["markers"]
    assert {(m["kind"], m["excerpt"]) for m in markers} == {
        ("note", "PRIVATE-NOTE"),
        ("score", "PRIVATE-COMMENT"),
    }
    assert next(m for m in markers if m["kind"] == "score")["level"] == 2
    theirs = client_for(candidate).get(replay_url(session))
    assert theirs.status_code == 200
    raw = theirs.content.decode()
    assert "markers" not in theirs.json() and theirs.json()["role"] == "candidate"
    for secret in ("PRIVATE-NOTE", "PRIVATE-COMMENT", '"level"', "excerpt"):
        assert secret not in raw
    # Both see the same board, chat and timeline.
    assert theirs.json()["chat"] == mine.json()["chat"] and theirs.json()["chat"][0]["text"] == "hi"
    assert theirs.json()["board"] == mine.json()["board"]


def test_an_observer_sees_the_replay_without_markers(ended, client_for, user_factory):
    session, _, _ = ended
    watcher = user_factory(username="otis")
    Participant.objects.create(session=session, user=watcher, role="observer")
    response = client_for(watcher).get(replay_url(session))
    assert response.status_code == 200 and "markers" not in response.json()
    assert "PRIVATE-NOTE" not in response.content.decode()


def test_the_replay_is_not_found_for_others_and_waits_for_the_end(
    interview, client_for, user_factory
):
    session, interviewer, _ = interview
    start(session)
    response = client_for(interviewer).get(replay_url(session))
    assert response.status_code == 409 and response.json()["detail"]
    assert not BoardKeyframe.objects.filter(session=session).exists()
    session = end(session)
    outsider = client_for(user_factory(username="otto"))
    assert outsider.get(replay_url(session)).status_code == 404
    assert outsider.get(f"/api/sessions/{session.pk}/replay/board/0/").status_code == 404
    assert client_for(interviewer).get(
        f"/api/sessions/{session.pk}/replay/board/9/"
    ).status_code == (404)


def test_the_keyframes_are_built_when_the_interview_ends_not_at_the_first_opening(
    interview, django_capture_on_commit_callbacks, inline_tasks
):
    session, _, candidate = interview
    start(session)
    draw(session, candidate, "candidate", box("b1"))
    assert not BoardKeyframe.objects.filter(session=session).exists()
    with django_capture_on_commit_callbacks(execute=True):
        end(session)
    assert BoardKeyframe.objects.filter(session=session).count() == 1


def test_the_timeline_has_a_segment_per_stretch_of_the_clock(interview, client_for):
    session, interviewer, _ = interview
    start(session)
    for command, fields in (
        ("timer.goto", {"step": "frame"}),
        ("timer.pause", {}),
        ("timer.resume", {}),
        ("timer.next", {}),
    ):
        room_services.timer_command(
            session_id=session.pk, role="interviewer", command=command, fields=fields
        )
    session = end(session)
    spread_log(session, step_ms=1000)
    timeline = client_for(interviewer).get(replay_url(session)).json()["timeline"]
    segments = [(s["step"], s["running"], s["end"] - s["start"]) for s in timeline["segments"]]
    assert segments == [
        ("clarify", True, 1000),
        ("frame", True, 1000),
        ("frame", False, 1000),
        ("frame", True, 1000),
        ("data", True, 1000),
    ]
    assert [step["key"] for step in timeline["steps"]][:3] == ["clarify", "frame", "data"]


def test_a_board_page_holds_its_keyframe_and_the_changes_up_to_the_next(
    interview, client_for, monkeypatch
):
    monkeypatch.setattr(replay_board, "KEYFRAME_CHANGES", 10)
    session, interviewer, candidate = interview
    start(session)
    for version in range(1, 26):
        draw(session, candidate, "candidate", box(f"b{version % 4}", version))
    session = end(session)
    api = client_for(interviewer)
    pages = api.get(replay_url(session)).json()["board"]["pages"]
    assert len(pages) == 3 and [page["seq"] for page in pages][0] == 0
    scene: dict = {}
    for page in pages:
        body = api.get(f"/api/sessions/{session.pk}/replay/board/{page['index']}/").json()
        assert {e["id"]: e for e in body["elements"]} == scene  # the keyframe is what came before
        assert len(body["changes"]) <= 10
        assert all(page["seq"] < c["seq"] <= page["last_seq"] for c in body["changes"])
        for change in body["changes"]:
            replay_board.scene_apply(scene, change["elements"])
    assert scene == board_at_from_log(session.pk, 2**53 - 1)
    assert {key: e["version"] for key, e in scene.items()} == {
        "b0": 24,
        "b1": 25,
        "b2": 22,
        "b3": 23,
    }


def test_the_board_from_a_keyframe_equals_a_full_replay_at_random_moments(
    interview, client_for, monkeypatch
):
    monkeypatch.setattr(replay_board, "KEYFRAME_CHANGES", 37)
    session, interviewer, candidate = interview
    start(session)
    rng = random.Random(7)
    versions: dict[str, int] = {}
    for _ in range(400):
        key = f"e{rng.randrange(60)}"
        versions[key] = versions.get(key, 0) + 1
        deleted = rng.random() < 0.05
        draw(session, candidate, "candidate", element(key, versions[key], deleted=deleted))
    session = end(session)
    first = spread_log(session)
    assert client_for(interviewer).get(replay_url(session)).status_code == 200
    assert BoardKeyframe.objects.filter(session=session).count() == 1 + 400 // 37
    last = first + 700 * session.seq
    for moment in [first - 1, first, last, *(rng.randrange(first, last) for _ in range(40))]:
        assert board_at(session.pk, moment) == board_at_from_log(session.pk, moment), moment
    middle = board_at(session.pk, (first + last) // 2)
    assert 0 < len(middle) <= 60


def test_feedback_saves_close_together_are_one_marker_and_later_ones_another(interview):
    session, _, _ = interview
    start(session)
    for text in ("draft", "draft two"):
        feedback_services.note_save(session=session, role="interviewer", step="data", text=text)
    changes = list(session.feedback_changes.all())
    assert [(c.kind, c.key, c.text) for c in changes] == [("note", "data", "draft two")]
    session.feedback_changes.update(at=changes[0].at - timedelta(minutes=2))
    feedback_services.note_save(session=session, role="interviewer", step="data", text="final")
    assert [c.text for c in session.feedback_changes.all()] == ["draft two", "final"]


# --- audio -------------------------------------------------------------------------------------

WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + bytes(range(256)) * 4


@pytest.fixture
def recorded(ended, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    session, interviewer, candidate = ended
    participant = Participant.objects.get(session=session, user=candidate)
    chunk = AudioChunk(
        session=session,
        participant=participant,
        index=0,
        start_ms=1,
        duration_ms=10_000,
        size=len(WEBM),
        sha256="0" * 64,
        content_type="audio/webm",
        status=AudioChunk.Status.FAILED,
    )
    chunk.file.save("chunk.webm", ContentFile(WEBM), save=False)
    chunk.save()
    return session, interviewer, candidate, chunk


def audio_url(session, chunk) -> str:
    return f"/api/sessions/{session.pk}/recording/audio/{chunk.pk}/"


def test_a_chunk_plays_for_participants_privately_and_in_ranges(recorded, client_for, user_factory):
    session, interviewer, candidate, chunk = recorded
    tracks = client_for(interviewer).get(replay_url(session)).json()["audio"]
    mine = next(track for track in tracks if track["role"] == "candidate")
    assert [c["id"] for c in mine["chunks"]] == [chunk.pk]
    api = client_for(interviewer)
    whole = api.get(audio_url(session, chunk))
    assert whole.status_code == 200 and whole.content == WEBM
    assert whole["Content-Type"] == "audio/webm" and whole["Accept-Ranges"] == "bytes"
    assert whole["Cache-Control"].startswith("private") and whole["X-Content-Type-Options"] == (
        "nosniff"
    )
    part = api.get(audio_url(session, chunk), HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part.content == WEBM[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(WEBM)}"
    tail = client_for(candidate).get(audio_url(session, chunk), HTTP_RANGE="bytes=-5")
    assert tail.status_code == 206 and tail.content == WEBM[-5:]
    beyond = api.get(audio_url(session, chunk), HTTP_RANGE=f"bytes={len(WEBM)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(WEBM)}"
    assert client_for(user_factory(username="otto")).get(audio_url(session, chunk)).status_code == (
        404
    )


def test_a_chunk_is_gone_after_its_audio_was_deleted(recorded, client_for):
    session, interviewer, _, chunk = recorded
    AudioChunk.objects.filter(pk=chunk.pk).update(file="", audio_deleted_at=session.ended_at)
    api = client_for(interviewer)
    assert api.get(audio_url(session, chunk)).status_code == 404
    # Ids no database column holds are simply not found.
    huge = f"/api/sessions/{session.pk}/recording/audio/{2**70}/"
    assert api.get(huge).status_code == 404
    assert api.get(f"/api/sessions/{session.pk}/replay/board/{2**70}/").status_code == 404
    tracks = api.get(replay_url(session)).json()["audio"]
    assert {track["role"]: track["chunks"] for track in tracks} == {
        "interviewer": [],
        "candidate": [],
    }


def test_the_page_text_is_strict_json(ended, client_for):
    session, interviewer, _ = ended
    client_for(interviewer).get(replay_url(session))
    body = client_for(interviewer).get(f"/api/sessions/{session.pk}/replay/board/0/")
    assert body["Content-Type"] == "application/json"
    parsed = json.loads(body.content)
    assert parsed["elements"] == [] and parsed["changes"][0]["elements"][0]["id"] == "b1"
