"""Peer practice in two real browsers: the profile and its weekly availability (with a server
validation error), two people finding each other in the waiting room and both landing on their
pairing, the first interview's room leading to the second with roles swapped, both ratings with
the reveal, and the live countdown to a pairing made in a weekly slot."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .helpers import sign_up, unique, wait_connected

pytestmark = pytest.mark.e2e

PAIRING_URL = re.compile(r"/practice/pairings/[0-9a-f-]{36}$")
SESSION_URL = re.compile(r"/sessions/[0-9a-f-]{36}$")
# The browser logs every refused request: no profile yet (404), availability refused (400).
PROVOKED = r"Failed to load resource: the server responded with a status of (404|400)"


def save_profile(page: Page, zone: str = "Europe/Berlin") -> None:
    page.goto("/practice/profile")
    page.get_by_label("Target role").fill("ML engineer")
    page.get_by_label("Level").select_option("senior")
    page.get_by_label("Time zone").fill(zone)
    page.get_by_label("Languages you can interview in").fill("en, de")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status").filter(has_text="Profile saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Weekly availability")).to_be_visible()


def rate(page: Page, levels: tuple[int, int, int], comment: str) -> None:
    for group, level in zip(
        ("Preparedness", "Clarity of hints", "Quality of feedback"), levels, strict=True
    ):
        page.get_by_role("radiogroup", name=group).get_by_role("radio").nth(level - 1).click()
    page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name="Send rating").click()


def start_and_end(page: Page) -> None:
    page.get_by_role("button", name="Start", exact=True).click()
    page.get_by_role("button", name="End interview").click()
    page.get_by_role("button", name="End now").click()


def test_profile_and_availability_editor_shows_the_servers_validation_error(open_context):
    person = open_context("practice-profile")
    person.provokes_console_error(PROVOKED)
    page = person.page
    page.goto("/signup")
    sign_up(page, unique("pia"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    page.get_by_role("link", name="Practise with a peer").click()
    expect(page.get_by_role("link", name="Set up your practice profile")).to_be_visible()
    save_profile(page)

    page.get_by_label("Day to add").select_option("Tuesday")
    page.get_by_role("button", name="Add a slot").click()
    page.get_by_role("button", name="Add a slot").click()
    expect(page.get_by_test_id("slot-row")).to_have_count(2)
    # 19:00 starts inside the first slot (18:00-20:00): both rows say so, and nothing is sent.
    save = page.get_by_role("button", name="Save availability")
    page.get_by_label("Tuesday from").nth(1).fill("19:00")
    problems = page.get_by_test_id("slot-problem")
    expect(problems).to_have_text(
        ["Overlaps 19:00–22:00 on the same day.", "Overlaps 18:00–20:00 on the same day."]
    )
    expect(page.get_by_label("Tuesday from").nth(1)).to_have_attribute("aria-invalid", "true")
    expect(save).to_be_disabled()
    # Off the half-hour grid: said at the row.
    page.get_by_label("Tuesday from").nth(1).fill("20:15")
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text("on the hour or the half hour")
    expect(save).to_be_disabled()

    page.get_by_label("Tuesday from").nth(1).fill("20:00")
    expect(problems).to_have_count(0)
    save.click()
    expect(page.get_by_role("status").filter(has_text="Availability saved.")).to_be_visible()
    expect(page.get_by_test_id("availability-error")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("slot-row")).to_have_count(2)
    expect(page.get_by_label("Tuesday from").nth(1)).to_have_value("20:00")
    expect(page.get_by_label("Tuesday to").nth(1)).to_have_value("22:00")


def test_waiting_room_partners_go_from_the_first_interview_to_the_second_and_rate(open_context):
    first = open_context("practice-ann")
    second = open_context("practice-ben")
    ann_name, ben_name = unique("ann"), unique("ben")
    ann, ben = first.page, second.page
    for watched, page, name in ((first, ann, ann_name), (second, ben, ben_name)):
        watched.provokes_console_error(PROVOKED)
        page.goto("/signup")
        sign_up(page, name)
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        save_profile(page)

    # Ann waits; Ben's request finds her at once; both land on the pairing.
    ann.goto("/practice")
    ann.get_by_role("button", name="Find a partner now").click()
    expect(ann.get_by_test_id("waiting-room")).to_contain_text("Waiting for a partner since")
    ben.goto("/practice")
    ben.get_by_role("button", name="Find a partner now").click()
    expect(ben).to_have_url(PAIRING_URL)
    expect(ann).to_have_url(ben.url, timeout=20_000)
    expect(ann.get_by_role("heading", name=f"Practice with {ben_name}")).to_be_visible()
    expect(ben.get_by_role("heading", name=f"Practice with {ann_name}")).to_be_visible()

    pairing_url = ann.url

    # Interview 1: Ann interviews Ben. Both go to the room; Ann ends it.
    for page in (ann, ben):
        page.goto(pairing_url)
        page.get_by_test_id("go-to-room").click()
        expect(page).to_have_url(SESSION_URL)
        wait_connected(page)
    first_room = ann.url
    assert ben.url == first_room
    expect(ann.get_by_text("You are the interviewer")).to_be_visible()
    start_and_end(ann)
    # Both hear, live, that interview 2 is next, with roles swapped.
    expect(ben.get_by_test_id("practice-next")).to_contain_text(
        f"Interview 2 is next: you interview {ann_name}."
    )
    expect(ann.get_by_test_id("practice-next")).to_contain_text(f"{ben_name} interviews you")
    for page in (ann, ben):
        page.get_by_role("link", name="Go to the second interview").click()
        expect(page).to_have_url(SESSION_URL)
        assert page.url != first_room
        wait_connected(page)
    expect(ben.get_by_text("You are the interviewer")).to_be_visible()
    expect(ann.get_by_text("You are the candidate")).to_be_visible()
    start_and_end(ben)
    expect(ann.get_by_test_id("ended-banner")).to_be_visible()
    expect(ann.get_by_test_id("practice-next")).to_have_count(0)

    # Ben rates Ann (his interviewer): hidden from her until she has rated him too.
    ben.goto(pairing_url)
    rate(ben, (4, 3, 3), "Hints at the right moments.")
    expect(ben.get_by_test_id("reveal-state")).to_contain_text(f"Hidden from {ann_name}")
    ann.goto(pairing_url)
    expect(ann.get_by_test_id("interview-1").get_by_test_id("rating-of-me")).to_contain_text(
        "has rated you; you can read it once you have rated them too"
    )
    rate(ann, (3, 2, 4), "Clear feedback.")
    # Both in: revealed to each of them, Ben's page updated by the notice.
    expect(ann.get_by_test_id("reveal-state")).to_contain_text(f"Revealed: {ben_name}")
    expect(ann.get_by_test_id("interview-1").get_by_test_id("rating-of-me")).to_contain_text(
        f"{ben_name} rated you: preparedness 4, hints 3, feedback 3 of 4"
    )
    expect(ben.get_by_test_id("reveal-state")).to_contain_text(f"Revealed: {ann_name}")
    expect(ben.get_by_test_id("interview-2").get_by_test_id("rating-of-me")).to_contain_text(
        f"{ann_name} rated you: preparedness 3, hints 2, feedback 4 of 4"
    )

    # The partner's summary shows the revealed rating; history groups both interviews.
    ben.get_by_role("link", name=ann_name).click()
    expect(ben.get_by_test_id("partner-ratings")).to_contain_text("1 rating: preparedness 4.0 / 4")
    ben.goto("/practice/history")
    card = ben.get_by_test_id("history-pairing")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name="View report")).to_have_count(2)


def slot_starting_soon() -> tuple[str, int, str, str]:
    """A time zone where it is daytime now, and a three-hour slot there starting at the next
    half hour at least five minutes away: (zone, weekday, start, end)."""
    for name in ("UTC", "Asia/Tokyo", "America/New_York", "Australia/Sydney"):
        local = datetime.now(ZoneInfo(name))
        if 6 <= local.hour < 20:
            break
    start = (local + timedelta(minutes=5)).replace(second=0, microsecond=0)
    start += timedelta(minutes=(30 - start.minute % 30) % 30)
    # Daytime: the slot ends before midnight.
    return name, start.weekday(), f"{start:%H:%M}", f"{start + timedelta(hours=3):%H:%M}"


def test_a_pairing_in_a_weekly_slot_counts_down_live(open_context):
    zone, weekday, start, end = slot_starting_soon()
    day = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
    pages = []
    for name in ("cleo", "dev"):
        watched = open_context(f"practice-{name}")
        watched.provokes_console_error(PROVOKED)
        page = watched.page
        page.goto("/signup")
        sign_up(page, unique(name))
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        save_profile(page, zone)
        page.get_by_label("Day to add").select_option(day)
        page.get_by_role("button", name="Add a slot").click()
        page.get_by_label(f"{day} from").fill(start)
        page.get_by_label(f"{day} to").fill(end)
        page.get_by_role("button", name="Save availability").click()
        expect(page.get_by_role("status").filter(has_text="Availability saved.")).to_be_visible()
        pages.append(page)
    cleo, dev = pages

    for page in (cleo, dev):
        page.goto("/practice")
        page.get_by_role("button", name=re.compile(f"^Find a partner for {day}")).click()
    expect(dev).to_have_url(PAIRING_URL)
    expect(cleo).to_have_url(dev.url, timeout=20_000)

    # Minutes and seconds to the slot's start, going down by the second.
    cleo.goto("/practice")
    selector = '[data-testid="upcoming-pairing"] [data-testid="countdown"]'
    countdown = cleo.locator(selector)
    expect(countdown).to_have_text(re.compile(r"^in \d{1,2}:\d\d$"))
    minutes, seconds = countdown.inner_text()[3:].split(":")
    assert 4 * 60 <= int(minutes) * 60 + int(seconds) <= 36 * 60
    cleo.wait_for_function(
        """([selector, before]) => {
            const [m, s] = document.querySelector(selector).textContent.slice(3).split(":");
            return Number(m) * 60 + Number(s) <= before - 2;
        }""",
        arg=[selector, int(minutes) * 60 + int(seconds)],
        timeout=6_000,
    )
    expect(dev.get_by_test_id("countdown")).to_have_text(re.compile(r"^in \d{1,2}:\d\d$"))
