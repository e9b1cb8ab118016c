"""The connection drops mid-interview: the room says so, reconnects by itself, and nothing drawn
while it was down is lost."""

import re

import pytest
from playwright.sync_api import expect

from .helpers import board, meet_in_room, wait_connected

pytestmark = pytest.mark.e2e


def test_drawing_while_the_server_is_down_reaches_the_other_side(open_context, own_server):
    app, server = own_server
    interviewer = open_context("interviewer-reconnect", app=app)
    candidate = open_context("candidate-reconnect", app=app)
    iv, cd = interviewer.page, candidate.page
    for watched in (interviewer, candidate):
        # The room retries its socket while the server is down; Chromium logs each refusal.
        watched.provokes_console_error(
            r"WebSocket connection to 'ws://[^']+/ws/sessions/[^']+/' failed: "
            r"Error in connection establishment: net::ERR_CONNECTION_REFUSED"
        )

    meet_in_room(iv, cd, ("ida", "cal"))

    server.stop()
    for page in (iv, cd):
        expect(page.get_by_test_id("connection")).to_have_text(re.compile("Reconnecting"))

    # Draw an ellipse while nobody can hear.
    canvas = cd.locator(".excalidraw canvas.interactive")
    box = canvas.bounding_box()
    assert box
    x, y = box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.4
    cd.get_by_test_id("toolbar-ellipse").click(force=True)
    cd.mouse.move(x, y)
    cd.mouse.down()
    cd.mouse.move(x + 150, y + 90, steps=6)
    cd.mouse.up()
    assert any(e["type"] == "ellipse" for e in board(cd))
    candidate.screenshot("offline")

    server.start()
    expect(cd.get_by_test_id("connection")).to_have_text(re.compile("Connected"), timeout=20_000)
    expect(iv.get_by_test_id("connection")).to_have_text(re.compile("Connected"), timeout=20_000)
    iv.wait_for_function(
        "() => (window.__mockroomBoard?.() ?? []).some(e => e.type === 'ellipse')",
        timeout=10_000,
    )

    # And it is stored: a fresh page load shows it too.
    iv.reload()
    wait_connected(iv)
    iv.wait_for_function(
        "() => (window.__mockroomBoard?.() ?? []).some(e => e.type === 'ellipse')",
        timeout=10_000,
    )
