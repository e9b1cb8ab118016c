"""Recorded speech, end to end through the API and the real recognizer: espeak-ng says the
words, PyAV encodes them as Opus chunks in WebM as a browser would upload them, faster-whisper
with the bundled tiny.en model transcribes them (no mock), and the report credits what the
candidate said, at the step they said it, and never what the interviewer said."""

from datetime import datetime

import pytest

from interviews.models import AudioChunk, Report, TranscriptSegment
from interviews.reports.build import report_build
from interviews.reports.render.pdf import render_report_pdf
from interviews.room import services as room_services
from testkit.audio import chunks_of, silence, speak
from tests.factories import CaseStudyFactory, make_guide

from .conftest import consent_url, now_ms, put_chunk

pytestmark = pytest.mark.django_db

GUIDE = make_guide(
    {
        "evaluation": [
            ("Ranking quality", ["NDCG", "normalized discounted cumulative gain"]),
            ("Online experiment", ["A/B test", "interleaving"]),
        ],
        "model": [("Two-tower retrieval", ["two-tower", "two tower model"])],
    }
)
CANDIDATE_SAYS = "For offline evaluation, the model is measured with NDCG at ten."
INTERVIEWER_SAYS = "Would a two tower model work here?"


@pytest.fixture(scope="module")
def clips():
    """Each person's speech as one standalone WebM chunk, made once for the module."""
    candidate = chunks_of(speak(CANDIDATE_SAYS), seconds=30)
    interviewer = chunks_of(speak(INTERVIEWER_SAYS), seconds=30)
    return candidate[0], interviewer[0]


@pytest.fixture
def inline_tasks(inline_tasks, settings):
    """tests/conftest.py's inline tasks, and the setting the transcription reads to know it
    runs inline (it then never waits for a batch to fill)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def iso_ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


def test_the_report_credits_what_the_candidate_said_at_the_step_they_said_it(
    rubric, user_factory, client_for, clips, inline_tasks, django_capture_on_commit_callbacks
):
    from interviews.sessions import services

    interviewer, candidate = user_factory(username="iris"), user_factory(username="cole")
    case = CaseStudyFactory(guide=GUIDE)
    session, invite = services.session_create(user=interviewer, case_study=case, role="interviewer")
    services.invite_accept(token=invite.token, user=candidate)
    apis = {"interviewer": client_for(interviewer), "candidate": client_for(candidate)}
    for api in apis.values():
        api.post(consent_url(session), {"consent": True}, format="json")
    for command, fields in (("timer.start", {}), ("timer.goto", {"step": "evaluation"})):
        room_services.timer_command(
            session_id=session.pk, role="interviewer", command=command, fields=fields
        )
    (said, said_ms), (asked, asked_ms) = clips
    start = now_ms()
    corrupt = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + bytes(range(256)) * 8
    with django_capture_on_commit_callbacks(execute=True):
        uploads = [
            put_chunk(apis["interviewer"], session, 0, asked, start, duration=asked_ms),
            put_chunk(apis["candidate"], session, 0, said, start + asked_ms, duration=said_ms),
            put_chunk(apis["candidate"], session, 1, corrupt, start + 20_000, duration=10_000),
        ]
    assert [u.status_code for u in uploads] == [201, 201, 201]
    statuses = AudioChunk.objects.order_by("participant__role", "index").values_list(
        "status", flat=True
    )
    assert list(statuses) == ["transcribed", "failed", "transcribed"]

    spoken = TranscriptSegment.objects.select_related("speaker").order_by("start_ms")
    by_role = {s.speaker.role: s for s in spoken}
    assert "ndcg" in by_role["candidate"].text.casefold(), by_role["candidate"].text
    assert "tower" in by_role["interviewer"].text.casefold(), by_role["interviewer"].text
    assert {s.step for s in spoken} == {"evaluation"}
    first = by_role["candidate"]
    assert start + asked_ms <= first.start_ms < first.end_ms <= start + asked_ms + said_ms + 500
    assert first.words and all(w["s"] <= w["e"] for w in first.words)
    failed = AudioChunk.objects.get(status="failed")
    assert failed.reason and failed.index == 1

    with django_capture_on_commit_callbacks(execute=True):
        room_services.session_end(session_id=session.pk, role="interviewer")
    report = Report.objects.get(session=session)
    if report.status != "ready":  # the end's build ran inline already; build if it did not
        assert report_build(session_id=session.pk) == "ready"
        report.refresh_from_db()
    content = report.content
    found = {c["name"]: c for c in content["coverage"]["steps"]["evaluation"]["found"]}
    credit = found["Ranking quality"]
    (evidence,) = credit["evidence"]
    assert evidence["source"] == "speech" and evidence["step"] == "evaluation"
    assert "NDCG" in evidence["quote"].upper()
    assert start + asked_ms - 1000 <= iso_ms(evidence["at"]) <= start + asked_ms + said_ms
    # The interviewer named the two-tower model; the candidate did not.
    assert "Two-tower retrieval" in content["coverage"]["steps"]["model"]["missing"]

    transcript = content["transcript"]
    assert transcript["status"] == "partial" and "1 of 3" in transcript["note"]
    assert transcript["failures"][0]["role"] == "candidate"
    (evaluation,) = [s for s in transcript["steps"] if s["step"] == "evaluation"]
    assert [line["role"] for line in evaluation["segments"]] == ["interviewer", "candidate"]
    share = transcript["speaking"]["total"]["candidate_share"]
    assert 0.5 < share < 1, transcript["speaking"]
    assert render_report_pdf(content).startswith(b"%PDF")  # the PDF has the transcript too


def test_silence_gives_no_segments_and_the_chunk_still_counts_as_transcribed(
    interview, client_for, inline_tasks, django_capture_on_commit_callbacks
):
    session, interviewer, candidate = interview
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    for user in (interviewer, candidate):
        client_for(user).post(consent_url(session), {"consent": True}, format="json")
    ((quiet, quiet_ms),) = chunks_of(silence(3), seconds=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = put_chunk(client_for(candidate), session, 0, quiet, now_ms(), duration=quiet_ms)
    assert response.status_code == 201
    assert AudioChunk.objects.get().status == "transcribed"
    assert TranscriptSegment.objects.count() == 0
