"""A recorded interview in two real browsers, each speaking through a microphone that plays
synthetic speech (espeak-ng, made at test time): both are asked and consent, the candidate names
a key concept aloud in the Evaluation step only (muted before and after), the interviewer asks
about another concept the whole time. After the end the report's transcript holds what was said,
the concept is credited to the candidate at that step with a quote of the speech and its time,
the interviewer's words credit nothing, and speaking time is counted. Then "delete recordings"
in the room removes the audio and the transcript. The transcription is the real one (faster-
whisper with the bundled model), run inline by the single-process server."""

import re
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from testkit.audio import silence, speak, write_wav

from .helpers import create_session, sign_up, unique, wait_connected, wait_until

pytestmark = pytest.mark.e2e

CASE = "video-search"
# Names the Evaluation step's concept "Graded ranking metrics" by its alias NDCG.
CANDIDATE_SAYS = "For offline evaluation I would report NDCG at ten on graded relevance labels."
# Names another concept of the same step ("Candidate recall"): said by the interviewer, it must
# never be credited to the candidate.
INTERVIEWER_SAYS = "And how would you measure candidate recall of the retrieval stage?"
CONCEPT = "Graded ranking metrics"
NOT_CREDITED = "Candidate recall"


def speech_wav(path: Path, text: str) -> Path:
    """The sentence, then a pause (Chromium loops the file)."""
    return write_wav(path, np.concatenate([speak(text, words_per_minute=140), silence(1.5)]))


def letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def recorded(page: Page) -> int:
    return page.evaluate("() => window.__mockroomRecording().recorded")


def recording_view(page: Page) -> dict:
    return page.evaluate("() => window.__mockroomRecording ? window.__mockroomRecording() : null")


def watch_uploads(page: Page) -> list[int]:
    """The statuses of the page's chunk uploads, as they are answered."""
    statuses: list[int] = []

    def on_response(response) -> None:
        if response.request.method == "PUT" and "/recording/chunks/" in response.url:
            statuses.append(response.status)

    page.on("response", on_response)
    return statuses


def indicator(page: Page):
    return page.get_by_test_id("recording-indicator")


def mute_button(page: Page):
    return page.get_by_role("toolbar", name="Call controls").get_by_role("button", name="Mute")


def mic_state(page: Page):
    return page.get_by_test_id("call-me").locator(".call-state")


def test_recorded_interview_credits_what_the_candidate_said(
    open_speaking_context, espeak, tmp_path
):
    interviewer = open_speaking_context(
        "rec-interviewer", speech_wav(tmp_path / "interviewer.wav", INTERVIEWER_SAYS)
    )
    candidate = open_speaking_context(
        "rec-candidate", speech_wav(tmp_path / "candidate.wav", CANDIDATE_SAYS)
    )
    iv, cd = interviewer.page, candidate.page
    iv_uploads, cd_uploads = watch_uploads(iv), watch_uploads(cd)

    iv.goto("/signup")
    sign_up(iv, unique("rita"))
    expect(iv.get_by_role("heading", name="Dashboard")).to_be_visible()
    invite = create_session(iv, role="interviewer", case=CASE)
    cd.goto(invite)
    cd.get_by_role("link", name="Create an account").click()
    sign_up(cd, unique("cole"))
    cd.get_by_role("button", name="Accept and join as candidate").click()
    expect(cd).to_have_url(re.compile(r"/sessions/[0-9a-f-]{36}$"))
    session_id = cd.url.rsplit("/", 1)[1]
    iv.get_by_role("link", name="Go to the room").click()
    wait_connected(iv)
    wait_connected(cd)

    # Both are asked; each answer shows on the other's indicator at once.
    for page in (iv, cd):
        expect(page.get_by_test_id("consent-dialog")).to_be_visible()
        expect(indicator(page)).to_have_attribute("data-state", "pending")
    expect(indicator(cd)).to_contain_text("waiting for consent from the interviewer and you")
    iv.get_by_role("button", name="Yes, record").click()
    expect(iv.get_by_test_id("consent-dialog")).to_have_count(0)
    expect(indicator(cd)).to_contain_text("waiting for consent from you")
    expect(indicator(iv)).to_contain_text("waiting for consent from the candidate")
    # Both speak only during Evaluation: muted until then (muting pauses the recording), which
    # also keeps the single-process server's inline transcription to a few files.
    for page in (iv, cd):
        expect(mic_state(page)).to_have_text(re.compile("Mic on|Speaking"), timeout=15_000)
        mute_button(page).click()
        expect(mic_state(page)).to_have_text("Muted")
    cd.get_by_role("button", name="Yes, record").click()
    for page in (iv, cd):
        expect(indicator(page)).to_have_attribute("data-state", "active")
        expect(indicator(page)).to_contain_text("Recording starts when the interview starts")

    iv.get_by_role("button", name="Start", exact=True).click()
    expect(iv.locator('[data-testid="current-step"][data-step="clarify"]')).to_be_visible()
    for page in (iv, cd):
        expect(indicator(page)).to_contain_text("Recording")
        expect(indicator(page)).to_contain_text("you are not being recorded")
        expect(indicator(page)).to_have_attribute("data-capturing", "no")

    iv.get_by_role("button", name=re.compile(r"^Go to step \d: Evaluation")).click()
    expect(cd.locator('[data-testid="current-step"][data-step="evaluation"]')).to_be_visible(
        timeout=10_000
    )
    # One after the other, so the server's transcription has little to catch up with: the
    # interviewer asks (one ten-second file), then the candidate answers (two files: the looped
    # sentence is whole in one of them). Muting hands over the partial file.
    for page, files in ((iv, 1), (cd, 2)):
        mute_button(page).click()
        expect(mic_state(page)).to_have_text(re.compile("Mic on|Speaking"))
        expect(indicator(page)).to_have_attribute("data-capturing", "yes")
        if page is cd:
            candidate.screenshot("recording-speaking")
        wait_until(lambda page=page, files=files: recorded(page) >= files, "recorded files", 60)
        mute_button(page).click()
        expect(indicator(page)).to_have_attribute("data-capturing", "no")
    iv.get_by_role("button", name="Next step").click()
    expect(iv.locator('[data-testid="current-step"][data-step="serving"]')).to_be_visible(
        timeout=30_000
    )

    iv.get_by_role("button", name="End interview").click()
    iv.get_by_role("button", name="End now").click()
    expect(iv.get_by_test_id("ended-banner")).to_be_visible(timeout=30_000)
    for page in (iv, cd):
        expect(indicator(page)).to_contain_text("Not recording: the interview has ended")
    # Each browser's last partial file goes after the end, within the upload grace period.
    for page in (iv, cd):
        try:
            wait_until(lambda page=page: recording_view(page)["unsent"] == 0, "the queue", 300)
        except AssertionError as exc:
            views = recording_view(page), iv_uploads, cd_uploads
            raise AssertionError(f"{exc}: {views}") from None
    assert iv_uploads and set(iv_uploads) <= {201}, iv_uploads
    assert set(cd_uploads) <= {201}, cd_uploads

    def transcribed_report():
        answer = iv.request.get(f"/api/sessions/{session_id}/report/")
        content = answer.json().get("content") if answer.ok else None
        if not content or content.get("transcript", {}).get("status") == "none":
            return None
        said = " ".join(
            line["text"]
            for step in content["transcript"]["steps"]
            for line in step["segments"]
            if line["role"] == "candidate"
        )
        return content if "ndcg" in letters(said) else None

    content = wait_until(transcribed_report, "a report with the candidate's words", 120)

    # The concept is credited to the candidate, at Evaluation, from speech, with a time.
    found = {f["name"]: f for f in content["coverage"]["steps"]["evaluation"]["found"]}
    assert CONCEPT in found, found
    speech = [q for q in found[CONCEPT]["evidence"] if q["source"] == "speech"]
    assert speech, found[CONCEPT]
    assert speech[0]["step"] == "evaluation"
    assert speech[0]["at"]
    assert "ndcg" in letters(speech[0]["quote"]) or "graded" in speech[0]["quote"].casefold()
    # What the interviewer said is in the transcript but credits nothing.
    steps = content["transcript"]["steps"]
    roles = {line["role"] for step in steps for line in step["segments"]}
    assert roles == {"interviewer", "candidate"}, roles
    for step in content["coverage"]["steps"].values():
        assert NOT_CREDITED not in {f["name"] for f in step["found"]}
    evaluation = next(s for s in steps if s["step"] == "evaluation")
    assert any(
        "ndcg" in letters(line["text"])
        for line in evaluation["segments"]
        if line["role"] == "candidate"
    )
    total = content["transcript"]["speaking"]["total"]
    assert total["candidate_seconds"] > 0 and total["interviewer_seconds"] > 0, total

    # The report page shows all of it.
    report = interviewer.context.new_page()
    report.goto(f"/sessions/{session_id}/report")
    expect(report.get_by_test_id("report-status")).to_have_attribute(
        "data-phase", "ready", timeout=30_000
    )
    expect(report.get_by_test_id("transcript")).to_contain_text(re.compile("N-?D-?C-?G", re.I))
    expect(report.get_by_test_id("speaking-time")).to_contain_text("Whole interview")
    quote = report.get_by_test_id("coverage-table").get_by_test_id("quote")
    expect(quote.filter(has_text="said aloud").first).to_contain_text(
        re.compile(r"said aloud · \d+ min in · during Evaluation")
    )
    report.locator("#transcript").scroll_into_view_if_needed()
    interviewer.screenshot("recording-report")
    report.close()

    # Deleting in the room: both people's audio and the transcript are gone.
    iv.get_by_test_id("delete-recordings").click()
    iv.get_by_role("button", name="Yes, delete").click()
    expect(iv.get_by_test_id("recordings-deleted")).to_be_visible(timeout=30_000)
    status = iv.request.get(f"/api/sessions/{session_id}/recording/").json()
    assert status["transcription"] == {"pending": 0, "transcribed": 0, "failed": 0}
    assert status["my_consent"] is False
    wait_until(
        lambda: (
            (c := iv.request.get(f"/api/sessions/{session_id}/report/").json().get("content"))
            and c["transcript"]["status"] == "none"
        ),
        "the report rebuilt without the transcript",
        60,
    )
