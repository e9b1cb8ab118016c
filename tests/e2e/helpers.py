"""Steps a person takes in the app, shared by the end-to-end tests."""

import re
import time
import uuid

from playwright.sync_api import Page, expect

PASSWORD = "Sturdy-practice-pass-42"


def unique(name: str) -> str:
    return f"{name}{uuid.uuid4().hex[:6]}"


def sign_up(page: Page, username: str) -> None:
    """From the sign-up page (or a redirect to it) to being logged in."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def create_session(
    page: Page, *, role: str = "interviewer", case: str | None = None, screenshot=None
) -> str:
    """Plan a session as `role` on `case` (a slug; a surprise pick when None); returns the
    invite link shown at the end."""
    page.goto(f"/sessions/new?case={case}" if case else "/sessions/new")
    select = page.get_by_role("combobox").first
    expect(select).to_be_enabled()
    if case:
        expect(page.locator('select[name="case"]')).to_have_value(case)
    else:
        page.get_by_role("button", name="Surprise me").click()
        expect(page.get_by_role("status").filter(has_text="Picked")).to_be_visible()
    page.get_by_role("radio", name=re.compile(f"^{role.capitalize()}")).check()
    if screenshot:
        page.screenshot(path=str(screenshot))
    page.get_by_role("button", name="Create session and invite").click()
    link = page.get_by_test_id("invite-link")
    expect(link).to_be_visible()
    return link.input_value()


def wait_until(check, what: str, timeout: float = 20.0, every: float = 0.25):
    """Polls `check` until it returns something true (and returns that) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def meet_in_room(interviewer: Page, candidate: Page, names: tuple[str, str]) -> str:
    """Two new people meet in a new session's room: the interviewer signs up and plans it, the
    candidate signs up through the invite and accepts it. Returns the session id."""
    interviewer.goto("/signup")
    sign_up(interviewer, unique(names[0]))
    expect(interviewer.get_by_role("heading", name="Dashboard")).to_be_visible()
    invite = create_session(interviewer, role="interviewer")
    candidate.goto(invite)
    candidate.get_by_role("link", name="Create an account").click()
    sign_up(candidate, unique(names[1]))
    candidate.get_by_role("button", name="Accept and join as candidate").click()
    expect(candidate).to_have_url(re.compile(r"/sessions/[0-9a-f-]{36}$"))
    session_id = candidate.url.rsplit("/", 1)[1]  # before the room adds to the address
    interviewer.get_by_role("link", name="Go to the room").click()
    wait_connected(interviewer)
    wait_connected(candidate)
    return session_id


def wait_connected(page: Page) -> None:
    expect(page.get_by_test_id("connection")).to_have_text(re.compile("Connected"), timeout=15_000)
    page.locator(".excalidraw canvas").first.wait_for(timeout=15_000)


def board(page: Page) -> list[dict]:
    return page.evaluate("() => (window.__mockroomBoard ? window.__mockroomBoard() : [])")


def visible_text(page: Page) -> str:
    """Everything a person could read on the page: text plus the values of form fields."""
    return page.evaluate(
        """() => document.body.innerText + "\\n" + [...document.querySelectorAll(
            'input, textarea, select')].map(e => e.value).join("\\n")"""
    )


def draw_rectangle_and_label(page: Page) -> None:
    canvas = page.locator(".excalidraw canvas.interactive")
    box = canvas.bounding_box()
    assert box, "the board has no canvas"
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    page.get_by_test_id("toolbar-rectangle").click(force=True)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 220, y + 120, steps=8)
    page.mouse.up()
    page.get_by_test_id("toolbar-text").click(force=True)
    page.mouse.click(x + 320, y + 200)
    page.keyboard.type("Feature store")
    page.keyboard.press("Escape")


def scene_types(page: Page) -> tuple[set[str], set[str]]:
    elements = board(page)
    return {e["type"] for e in elements}, {e["text"] for e in elements if e["text"]}


def wait_for_scene(page: Page, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        types, texts = scene_types(page)
        if {"rectangle", "text"} <= types and "Feature store" in texts:
            return
        time.sleep(0.1)
    raise AssertionError(f"board never showed the rectangle and the label: {board(page)}")
