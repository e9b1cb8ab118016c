"""The replay of a real ended interview in Chromium: scrubbed to a moment, the board, the
transcript and the chat show that moment (the board as the server's log has it then), and the
candidate's replay has no trace of the interviewer's markers."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from testkit.processes import ARTIFACTS, ROOT

from .helpers import (
    draw_rectangle_and_label,
    meet_in_room,
    wait_for_scene,
)

pytestmark = pytest.mark.e2e

FIRST, SECOND = "first thought: a popularity baseline", "second thought: two-tower retrieval"
NOTE = "Private: went for a baseline quickly."


def replay_board(page: Page) -> list[dict]:
    return page.evaluate(
        "() => (window.__mockroomReplayBoard ? window.__mockroomReplayBoard() : null)"
    )


def board_from_log(page: Page, session_id: str, pages: list[dict], moment: int) -> set:
    """The board at `moment` from the server's pages, applied by hand: (id, type, text)."""
    scene: dict[str, dict] = {}
    for mark in pages:
        body = page.request.get(f"/api/sessions/{session_id}/replay/board/{mark['index']}/").json()
        for change in body["changes"]:
            if change["at"] <= moment:
                scene.update({e["id"]: e for e in change["elements"]})
    return {
        (e["id"], e["type"], e.get("text") if e["type"] == "text" else None)
        for e in scene.values()
        if not e.get("isDeleted")
    }


def shown_board(page: Page) -> set:
    return {(e["id"], e["type"], e["text"]) for e in replay_board(page) or []}


def seed_transcript(env: dict, session_id: str, said: list[tuple[int, int, str]]) -> None:
    """What the candidate said (start, end, text), stored as transcription would store it: the
    browser recorder is not part of this test."""
    code = f"""
from interviews.models import AudioChunk, Participant, TranscriptSegment
p = Participant.objects.get(session_id={session_id!r}, role="candidate")
for i, (start, end, text) in enumerate({said!r}):
    chunk = AudioChunk.objects.create(session_id=p.session_id, participant=p, index=i,
        start_ms=start, duration_ms=end - start, size=1, sha256="0" * 64,
        content_type="audio/webm", file="", status="transcribed")
    TranscriptSegment.objects.create(session_id=p.session_id, chunk=chunk, speaker=p,
        start_ms=start, end_ms=end, text=text, words=[], step="clarify")
"""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True
    )


def test_the_replay_shows_each_moment_and_hides_the_interviewers_markers_from_the_candidate(
    open_context, live_app
):
    interviewer = open_context("replay-interviewer", 1280, 900)
    candidate = open_context("replay-candidate", 1280, 900)
    iv, cd = interviewer.page, candidate.page
    session_id = meet_in_room(iv, cd, ("ivy", "cyd"))

    # The interview: the clock starts, the candidate draws, then writes twice; a private note.
    iv.get_by_role("button", name="Start", exact=True).click()
    expect(iv.locator('[data-testid="current-step"][data-step="clarify"]')).to_be_visible()
    draw_rectangle_and_label(cd)
    wait_for_scene(iv)
    cd.get_by_label("Message").fill(FIRST)
    cd.get_by_role("button", name="Send", exact=True).click()
    expect(iv.get_by_test_id("chat-log")).to_contain_text(FIRST)
    iv.get_by_role("tab", name="Score").click()
    iv.get_by_test_id("note-input").fill(NOTE)
    expect(iv.locator(".notes").get_by_role("status")).to_have_text("Saved", timeout=5000)
    cd.get_by_label("Message").fill(SECOND)
    cd.get_by_role("button", name="Send", exact=True).click()
    expect(iv.get_by_test_id("chat-log")).to_contain_text(SECOND)
    iv.get_by_role("button", name="End interview").click()
    iv.get_by_role("button", name="End now").click()
    expect(iv.get_by_test_id("ended-banner")).to_be_visible(timeout=20_000)

    replay = iv.request.get(f"/api/sessions/{session_id}/replay/").json()
    start = replay["timeline"]["start"]
    first_at, second_at = (m["at"] for m in replay["chat"])
    assert first_at < second_at
    seed_transcript(
        live_app.env,
        session_id,
        [
            (first_at - 300, first_at + 100, "we could start from popularity"),
            (second_at, second_at + 400, "then retrieval"),
        ],
    )
    between = (first_at + second_at) // 2
    expected = board_from_log(iv, session_id, replay["board"]["pages"], between)
    assert "Feature store" in {text for _, _, text in expected}, expected

    # The interviewer opens the replay from the report, and it starts at the beginning.
    iv.goto(f"/sessions/{session_id}/report")
    iv.get_by_test_id("open-replay").click()
    expect(iv).to_have_url(re.compile(rf"/sessions/{session_id}/replay"))
    expect(iv.get_by_test_id("replay-clock")).to_contain_text("0:00 /")
    expect(iv.get_by_test_id("replay-step")).to_have_text("Clarify requirements")
    iv.wait_for_function("() => window.__mockroomReplayBoard !== undefined")
    assert shown_board(iv) == board_from_log(iv, session_id, replay["board"]["pages"], start)

    # Scrubbed to the end: everything is there and the last chat message is the current one.
    iv.get_by_test_id("replay-scrubber").focus()
    iv.keyboard.press("End")
    expect(iv).to_have_url(re.compile(rf"[?&]t={replay['timeline']['end'] - start}$"))
    chat = iv.get_by_test_id("replay-chat")
    expect(chat.locator("li[aria-current=true]")).to_contain_text(SECOND)
    iv.wait_for_function(
        "() => (window.__mockroomReplayBoard?.() || []).some(e => e.text === 'Feature store')"
    )
    expect(iv.get_by_test_id("replay-marker")).to_have_count(1)
    expect(iv.get_by_test_id("replay-markers")).to_contain_text(NOTE)

    # Between the two messages: the board of that moment, the first line of speech and chat.
    iv.goto(f"/sessions/{session_id}/replay?t={between - start}")
    expect(chat.locator("li[aria-current=true]")).to_contain_text(FIRST)
    expect(chat.locator("li.replay-later")).to_contain_text(SECOND)
    transcript = iv.get_by_test_id("replay-transcript")
    expect(transcript.locator("li[aria-current=true]")).to_contain_text("start from popularity")
    expect(transcript.locator("li.replay-later")).to_contain_text("then retrieval")
    iv.wait_for_function("() => (window.__mockroomReplayBoard?.() || []).length > 0")
    assert shown_board(iv) == expected
    iv.screenshot(path=str(ARTIFACTS / "replay-interviewer.png"))

    # Playing moves the playhead on by itself; pausing keeps the moment in the address.
    iv.get_by_test_id("replay-play").click()
    expect(iv.get_by_test_id("replay-play")).to_have_text("Pause")
    iv.get_by_test_id("replay-play").click()
    expect(iv).to_have_url(re.compile(r"[?&]t=\d+"))

    # The candidate's replay, from their history: the same moments, none of the markers.
    cd.goto("/history")
    cd.get_by_role("link", name=re.compile("^Replay of ")).first.click()
    expect(cd.get_by_test_id("replay-clock")).to_be_visible()
    cd.get_by_test_id("replay-scrubber").focus()
    cd.keyboard.press("End")
    expect(cd.get_by_test_id("replay-chat").locator("li[aria-current=true]")).to_contain_text(
        SECOND
    )
    expect(cd.get_by_test_id("replay-marker")).to_have_count(0)
    expect(cd.get_by_test_id("replay-markers")).to_have_count(0)
    expect(cd.get_by_text(NOTE)).to_have_count(0)
    assert "markers" not in cd.request.get(f"/api/sessions/{session_id}/replay/").json()
