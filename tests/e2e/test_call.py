"""The interviewer and the candidate talk: two real browsers connect audio peer to peer over the
room's signalling, mute stops the packets, unmute resumes them, and after the room's socket
drops the call comes back without a reload. Packets are counted from RTCPeerConnection.getStats()
through the e2e build's `window.__mockroomCall`."""

import re
import time

import pytest
from playwright.sync_api import Page, expect

from .helpers import meet_in_room, wait_until

pytestmark = pytest.mark.e2e

STATS = "() => window.__mockroomCall ? window.__mockroomCall.stats() : []"


def received(page: Page, kind: str = "audio") -> int:
    stats = page.evaluate(STATS)
    return sum(entry["inbound"].get(kind, {}).get("packetsReceived", 0) for entry in stats)


def grows(page: Page, kind: str = "audio", by: int = 25, timeout: float = 20.0) -> int:
    """Waits until `page` has received `by` more packets of `kind` than now; returns the count."""
    start = received(page, kind)
    wait_until(lambda: received(page, kind) >= start + by, f"{kind} packets on {page}", timeout)
    return received(page, kind)


def stays_flat(page: Page, kind: str = "audio", seconds: float = 1.5) -> tuple[int, int]:
    """The count of `kind` packets after the in-flight ones landed, and `seconds` later."""
    # Packets already on their way when the sender stopped still arrive: wait until two reads
    # 300 ms apart agree, then watch.
    previous = received(page, kind)

    def settled():
        nonlocal previous
        current = received(page, kind)
        same = current == previous
        previous = current
        return same

    wait_until(settled, "the packet count to settle", timeout=10, every=0.3)
    before = received(page, kind)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)  # sampling the counter, not waiting for a state
    return before, received(page, kind)


# Each connection's signalling, connection, ICE and gathering states, and how many candidates
# its descriptions hold: what tells a slow call from a stuck one when a test fails.
CALL_STATES = """() => (window.__mockroomCall?.connections() ?? []).map(({ pc }) => [
  pc.signalingState, pc.connectionState, pc.iceConnectionState, pc.iceGatheringState,
  (pc.localDescription?.sdp.match(/a=candidate/g) ?? []).length,
  (pc.remoteDescription?.sdp.match(/a=candidate/g) ?? []).length,
])"""


def expect_audio_connected(page: Page, iv: Page, cd: Page) -> None:
    try:
        expect(page.get_by_test_id("call").get_by_text("Audio connected")).to_be_visible(
            timeout=20_000
        )
    except AssertionError as error:
        states = {"interviewer": iv.evaluate(CALL_STATES), "candidate": cd.evaluate(CALL_STATES)}
        raise AssertionError(f"{error}\ncall states: {states}") from None


def open_room(open_context):
    interviewer = open_context("interviewer-call")
    candidate = open_context("candidate-call")
    meet_in_room(interviewer.page, candidate.page, ("ivy", "cam"))
    return interviewer, candidate


def test_two_browsers_talk_mute_and_survive_a_dropped_socket(open_context):
    interviewer, candidate = open_room(open_context)
    iv, cd = interviewer.page, candidate.page

    # Audio flows both ways on host candidates alone (no STUN, no TURN).
    for page in (iv, cd):
        expect_audio_connected(page, iv, cd)
    first = {"interviewer": grows(iv), "candidate": grows(cd)}
    print(f"audio packets received once connected: {first}")

    # The fake microphone beeps: each side's own speaking indicator lights up at some point.
    cd.wait_for_selector('[data-testid="call-me"][data-speaking="true"]', timeout=10_000)

    # The candidate mutes: the interviewer stops receiving; the interviewer's screen says so.
    mute = cd.get_by_role("button", name="Mute")
    expect(mute).to_have_attribute("aria-pressed", "false")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    expect(iv.get_by_test_id("call").get_by_text("Muted")).to_be_visible()
    before, after = stays_flat(iv)
    assert after == before, f"muted, yet the interviewer received {after - before} packets"
    grows(cd)  # the other direction goes on
    print(f"while muted the interviewer's count stayed at {before} for 1.5 s")

    # Unmute: packets flow again.
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "false")
    resumed = grows(iv)
    print(f"after unmuting: {resumed}")

    # The candidate's network drops: the room socket goes, and comes back by itself.
    candidate.provokes_console_error(r"WebSocket connection to .* failed")
    cd.evaluate("() => { window.__notReloaded = true; }")
    cd.context.set_offline(True)
    cd.evaluate("() => window.__mockroomSocket && window.__mockroomSocket.drop()")
    expect(cd.get_by_test_id("connection")).to_have_text(re.compile("Reconnecting"))
    # While it is down the candidate turns the camera on: that needs a new negotiation, which
    # can only happen once the socket is back.
    camera = cd.get_by_role("button", name="Camera")
    camera.click()
    expect(camera).to_have_attribute("aria-pressed", "true")
    cd.context.set_offline(False)
    expect(cd.get_by_test_id("connection")).to_have_text(re.compile("Connected"), timeout=20_000)
    grows(iv, "video", by=20, timeout=30)
    audio = {"interviewer": grows(iv), "candidate": grows(cd)}
    print(f"after the socket came back, audio still flows: {audio}; video reached the interviewer")
    expect(iv.locator("video.call-video")).to_be_visible()
    assert cd.evaluate("() => window.__notReloaded === true"), "the candidate's page was reloaded"

    # The interviewer's retry button starts the call afresh on both sides.
    status = iv.locator('[data-testid^="call-peer-"]')
    expect(status).to_have_attribute("data-status", "connected")
    iv.evaluate(
        "() => window.__mockroomCall.connections().forEach(c => c.pc.close())"
    )  # a dead connection, as after a long network loss
    retry = iv.get_by_role("button", name=re.compile("^Retry the call with"))
    expect(retry).to_be_visible(timeout=10_000)
    retry.click()
    expect(status).to_have_attribute("data-status", "connected", timeout=20_000)
    grows(iv)
    grows(cd)
