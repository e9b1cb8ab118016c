"""Every page of the app renders, says what it is doing, and stays on its own origin."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS
from .helpers import PASSWORD, create_session, sign_up, unique

pytestmark = pytest.mark.e2e


def test_logged_out_visitor_is_sent_to_login_and_back(open_context):
    visitor = open_context("visitor")
    page = visitor.page
    page.goto("/history")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fhistory"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Invalid username or password")
    visitor.screenshot("login-error")

    page.get_by_role("link", name="Create an account").click()
    sign_up(page, unique("hana"))
    expect(page).to_have_url(re.compile(r"/history$"))
    expect(page.get_by_role("heading", name="History")).to_be_visible()


def test_signup_reports_field_errors(open_context):
    page = open_context("signup").page
    page.goto("/signup")
    page.get_by_label("Username").fill(unique("weak"))
    page.get_by_label("Password").fill("123")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("alert")).to_contain_text("Could not sign up")
    expect(page.locator(".field-error")).to_be_visible()


def test_pages_render_at_both_screen_sizes(open_context):
    for width, height in ((1280, 800), (1920, 1080)):
        watched = open_context(f"pages-{width}", width, height)
        page = watched.page
        page.goto("/signup")
        sign_up(page, unique("pat"))
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        expect(page.get_by_text("Nothing scheduled")).to_be_visible()
        watched.screenshot("dashboard-empty")

        page.goto("/library")
        expect(page.get_by_role("heading", name="Case study library")).to_be_visible()
        expect(page.locator(".case").first).to_be_visible()
        watched.screenshot("library")
        page.get_by_label("Difficulty").select_option("hard")
        expect(page).to_have_url(re.compile("difficulty=hard"))
        for badge in page.locator(".case .badge-bad").all():
            expect(badge).to_have_text("Hard")
        page.get_by_role("searchbox", name="Search").fill("zzzz-no-such-case")
        expect(page.get_by_text("No case study matches these filters.")).to_be_visible()

        invite = create_session(page, screenshot=ARTIFACTS / f"e2e-new-session-pages-{width}.png")
        assert invite.startswith(watched.app.base_url + "/invite/")
        watched.screenshot("session-created")

        page.goto("/")
        expect(page.get_by_role("heading", name="Pending invites")).to_be_visible()
        expect(page.get_by_test_id("invite-link")).to_have_value(invite)
        watched.screenshot("dashboard")

        page.goto("/history")
        expect(page.get_by_text("No finished interviews here yet")).to_be_visible()
        page.goto("/no/such/page")
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        assert PASSWORD not in page.content()


def test_app_code_arrives_compressed_and_cacheable(open_context):
    watched = open_context("assets")
    responses = []
    watched.page.on("response", lambda response: responses.append(response))
    watched.page.goto("/login")
    expect(watched.page.get_by_role("heading", name="Log in")).to_be_visible()
    scripts = [r for r in responses if "/assets/" in r.url and r.url.endswith(".js")]
    assert scripts, [r.url for r in responses]
    for response in scripts:
        headers = response.all_headers()
        assert headers.get("content-encoding") == "gzip", (response.url, headers)
        assert "immutable" in headers.get("cache-control", ""), (response.url, headers)
    index = next(r for r in responses if r.url.rstrip("/").endswith("/login"))
    assert index.all_headers().get("cache-control") == "no-cache"
