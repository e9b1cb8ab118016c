"""The feedback report in two real browsers: it arrives by itself on the interviewer's open report
page when the interview ends, stays hidden from the candidate until the interviewer releases it,
shows the candidate's self-assessment against the interviewer's levels, and downloads as PDF and
JSON. No page is reloaded along the way, and nothing leaves the origin."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS
from .helpers import (
    draw_rectangle_and_label,
    meet_in_room,
    wait_for_scene,
)
from .script import CHAT

pytestmark = pytest.mark.e2e

COMMENT = "Asked about scale and latency before anything else."
SHARED_NOTE = "Shared: restate the agreed scope before moving on."


def mark_page(page: Page) -> None:
    """Leave a flag in the page's JavaScript; it survives anything but a reload or navigation."""
    page.evaluate("() => { window.__notReloaded = true; }")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("() => window.__notReloaded === true"), "the page was reloaded"


def images_decoded(page: Page) -> list[bool]:
    return page.eval_on_selector_all(
        '[data-testid="board-image"]',
        "imgs => imgs.map(i => i.complete && i.naturalWidth > 0"
        " && i.src.startsWith('data:image/svg+xml'))",
    )


def test_report_arrives_live_is_released_compared_and_downloaded(open_context):
    interviewer = open_context("report-interviewer", 1280, 800)
    candidate = open_context("report-candidate", 1280, 800)
    iv, cd = interviewer.page, candidate.page

    # Meet in the room through the invite.
    session_id = meet_in_room(iv, cd, ("ines", "carl"))

    # The candidate draws and writes; the interviewer runs the clock, scores, notes and shares.
    draw_rectangle_and_label(cd)
    wait_for_scene(iv)
    iv.get_by_role("button", name="Start", exact=True).click()
    expect(iv.locator('[data-testid="current-step"][data-step="clarify"]')).to_be_visible()
    cd.get_by_label("Message").fill(CHAT)
    cd.get_by_role("button", name="Send", exact=True).click()
    expect(iv.get_by_test_id("chat-log")).to_contain_text("10M DAU")
    iv.get_by_role("tab", name="Score").click()
    criterion = iv.locator('[data-testid^="criterion-"]').first
    criterion_key = criterion.get_attribute("data-testid").removeprefix("criterion-")
    iv.get_by_test_id(f"level-{criterion_key}-3").click()
    iv.get_by_test_id(f"comment-{criterion_key}").fill(COMMENT)
    iv.get_by_test_id("note-input").fill(SHARED_NOTE)
    iv.get_by_test_id("note-shared").check()
    expect(criterion.get_by_role("status")).to_have_text("Saved", timeout=5000)
    expect(iv.locator(".notes").get_by_role("status")).to_have_text("Saved", timeout=5000)
    iv.get_by_role("button", name="Next step").click()
    expect(iv.locator('[data-testid="current-step"][data-step="frame"]')).to_be_visible()

    # The interviewer keeps the report open in a second tab while the interview runs.
    report = interviewer.context.new_page()
    report.goto(f"/sessions/{session_id}/report")
    status = report.get_by_test_id("report-status")
    expect(status).to_have_attribute("data-phase", "not-ended")
    expect(status).to_contain_text("The report is built once the interview ends")
    mark_page(report)

    # Ending the interview in the room builds the report; the open page shows it by itself.
    iv.get_by_role("button", name="End interview").click()
    iv.get_by_role("button", name="End now").click()
    expect(iv.get_by_test_id("ended-banner")).to_be_visible(timeout=20_000)
    expect(status).to_have_attribute("data-phase", "ready", timeout=20_000)
    assert_not_reloaded(report)
    expect(report.get_by_test_id("report-score")).to_have_text(re.compile(r"^\d\.\d\d\s*/\s*4$"))
    expect(report.get_by_test_id(f"criterion-result-{criterion_key}")).to_contain_text(COMMENT)
    expect(report.get_by_test_id(f"criterion-result-{criterion_key}")).to_contain_text("3 · ")
    chart = report.get_by_test_id("time-chart")
    expect(chart.locator("svg.recharts-surface")).to_be_visible()
    assert chart.locator(".recharts-bar-rectangle").count() >= 7  # a planned bar per step
    expect(report.get_by_test_id("time-table").locator("tbody tr")).to_have_count(7)
    coverage = report.get_by_test_id("coverage-table")
    expect(coverage.locator("tbody tr")).to_have_count(7)
    expect(report.get_by_test_id("coverage-summary")).to_have_text(
        re.compile(r"^\d+ of [1-9]\d* key concepts$")
    )
    # Every credit quotes the words that earned it, with where and when they were written (the
    # case is picked at random; the chat credits something in each case).
    quotes = coverage.get_by_test_id("quote")
    expect(quotes.first).to_be_visible()
    assert quotes.count() == coverage.locator(".chip-found").count()
    expect(quotes.filter(has_text="in the chat").first).to_contain_text("min in · during Clarify")
    pitfalls = report.get_by_test_id("pitfalls").locator("li")
    assert pitfalls.count() >= 1
    expect(pitfalls.first.locator(".evidence")).not_to_be_empty()
    expect(report.get_by_test_id("shared-notes")).to_contain_text(SHARED_NOTE)
    images = report.get_by_test_id("board-image")
    expect(images).to_have_count(2)  # the final board and the board when "Clarify" ended
    report.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=board-image]')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert images_decoded(report) == [True, True]
    # Nothing from the server's SVG is put into the page as markup.
    assert report.locator("#whiteboard svg").count() == 0
    expect(report.get_by_role("button", name="Release to candidate")).to_be_visible()
    report.screenshot(path=str(ARTIFACTS / "e2e-report-interviewer.png"))
    report.screenshot(path=str(ARTIFACTS / "e2e-report-interviewer-full.png"), full_page=True)
    for section in ("time", "coverage", "whiteboard"):
        report.evaluate(f"() => document.getElementById('{section}').scrollIntoView()")
        report.screenshot(path=str(ARTIFACTS / f"e2e-report-interviewer-{section}.png"))

    # Clicking a board enlarges it.
    report.get_by_role("button", name="Enlarge: Final board").click()
    dialog = report.get_by_role("dialog", name="Final board")
    expect(dialog).to_be_visible()
    report.screenshot(path=str(ARTIFACTS / "e2e-report-board-enlarged.png"))
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)

    # Regenerating builds the report again; the page follows without a reload.
    body = report.get_by_test_id("report-body")
    built = body.get_attribute("data-generated-at")
    report.get_by_role("button", name="Regenerate").click()
    expect(body).not_to_have_attribute("data-generated-at", built, timeout=20_000)
    expect(status).to_have_attribute("data-phase", "ready")
    assert_not_reloaded(report)

    # Before releasing, the interviewer reviews: rejects the first pitfall, confirms a credit.
    first = report.get_by_test_id("pitfalls").locator("li").first
    code = first.get_attribute("data-code")
    title = first.locator("h3").inner_text()
    report.get_by_test_id(f"reject-pitfall-{code}").click()
    rejected = report.get_by_test_id("rejected-pitfalls")
    expect(rejected).to_contain_text(title, timeout=10_000)
    expect(report.locator(f'[data-testid="pitfalls"] li[data-code="{code}"]')).to_have_count(0)
    confirm = coverage.locator('[data-testid^="confirm-credit-"]').first
    confirm_id = confirm.get_attribute("data-testid")
    confirm.click()
    expect(report.get_by_test_id(confirm_id)).to_have_attribute("aria-pressed", "true")
    expect(coverage).to_contain_text("confirmed by the interviewer")
    assert_not_reloaded(report)

    # The candidate's report page says it is not released yet...
    cd.goto(f"/sessions/{session_id}/report")
    expect(cd.get_by_test_id("report-not-released")).to_be_visible(timeout=10_000)
    expect(cd.get_by_test_id("report-body")).to_have_count(0)
    expect(cd.get_by_role("button", name="Release to candidate")).to_have_count(0)
    assert COMMENT not in cd.content()
    mark_page(cd)
    candidate.screenshot("report-not-released")

    # ... until the interviewer releases it: then it shows, without a reload.
    report.get_by_role("button", name="Release to candidate").click()
    expect(report.get_by_test_id("released")).to_be_visible()
    expect(cd.get_by_test_id("report-body")).to_be_visible(timeout=10_000)
    assert_not_reloaded(cd)
    expect(cd.get_by_test_id("report-score")).to_have_text(re.compile(r"^\d\.\d\d\s*/\s*4$"))
    expect(cd.get_by_test_id("shared-notes")).to_contain_text(SHARED_NOTE)
    # The released report records the review; the candidate has no review buttons.
    expect(cd.get_by_test_id("rejected-pitfalls")).to_contain_text(title)
    expect(cd.get_by_test_id("coverage-table")).to_contain_text("confirmed by the interviewer")
    expect(cd.locator('[data-testid^="reject-"]')).to_have_count(0)
    expect(report.locator('[data-testid^="reject-"]')).to_have_count(0)

    # The candidate assesses themselves; the report is rebuilt and shows the gap.
    form = cd.get_by_test_id("self-assessment-form")
    expect(form).to_be_visible()
    for group in form.get_by_role("radiogroup").all():
        group.get_by_role("radio").nth(3).check()  # level 4 for every step
    form.get_by_role("button", name="Save my self-assessment").click()
    gap_table = cd.get_by_test_id("gap-table")
    expect(gap_table).to_be_visible(timeout=20_000)
    assert_not_reloaded(cd)
    # The scored criterion's step: self 4 against the interviewer's 3.
    step = report.get_by_test_id(f"criterion-result-{criterion_key}").get_attribute("data-step")
    expect(cd.get_by_test_id(f"gap-{step}")).to_have_text("+1")
    expect(report.get_by_test_id(f"gap-{step}")).to_have_text("+1", timeout=20_000)
    cd.locator("#self-assessment").scroll_into_view_if_needed()
    candidate.screenshot("report-gap")
    cd.screenshot(path=str(ARTIFACTS / "e2e-report-candidate-full.png"), full_page=True)

    # Downloads: the links work in the browser and answer with the right types.
    with cd.expect_download() as download:
        cd.get_by_test_id("download-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = cd.request.get(cd.get_by_test_id("download-pdf").get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    raw = cd.request.get(cd.get_by_test_id("download-json").get_attribute("href"))
    assert raw.status == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert "attachment" in raw.headers["content-disposition"]
    content = json.loads(raw.body())
    assert content["session"]["id"] == session_id
    assert content["self_assessment"]["submitted"] is True

    # A recommended case study opens the new-session form with that case chosen.
    first = content["progress"]["recommendations"][0]
    cd.get_by_test_id("recommendations").get_by_role("link", name=first["title"]).click()
    expect(cd).to_have_url(re.compile(r"/sessions/new\?case=" + re.escape(first["slug"]) + "$"))
    expect(cd.locator('select[name="case"]')).to_have_value(first["slug"])

    # History and the dashboard link to the report with its score.
    iv.goto("/history")
    row = iv.get_by_role("row").filter(has_text=content["session"]["case_study"]["title"])
    expect(row).to_contain_text(re.compile(r"\d\.\d\d"))
    row.get_by_role("link", name=re.compile("Report for")).click()
    expect(iv).to_have_url(re.compile(f"/sessions/{session_id}/report$"))
    expect(iv.get_by_test_id("report-status")).to_have_attribute("data-phase", "ready")
    iv.goto("/")
    recent = iv.get_by_role("region", name="Recent feedback")
    expect(recent.get_by_test_id("feedback-score")).to_have_text(re.compile(r"^\d\.\d\d\s*/\s*4$"))
    expect(recent.get_by_role("link", name="View report")).to_have_attribute(
        "href", f"/sessions/{session_id}/report"
    )
