"""Every page of the app renders, says what it is doing, and stays on its own origin."""

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, ROOT
from .helpers import PASSWORD, create_session, sign_up, unique

pytestmark = pytest.mark.e2e


def test_logged_out_visitor_is_sent_to_login_and_back(open_context):
    visitor = open_context("visitor")
    # A wrong password is refused with 400, which the browser logs.
    visitor.provokes_console_error(
        r"/api/auth/login/: Failed to load resource: the server responded with a status of 400 "
    )
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
    signup = open_context("signup")
    # The weak password is refused with 400 and field errors, which the browser logs.
    signup.provokes_console_error(
        r"/api/auth/signup/: Failed to load resource: the server responded with a status of 400 "
    )
    page = signup.page
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
        # Domains and tags come from the server's facets, with readable labels.
        page.get_by_label("Domain").select_option("genai")
        expect(page).to_have_url(re.compile("domain=genai"))
        # One domain group once the filtered list has replaced the previous one.
        expect(page.locator(".domain-group")).to_have_count(1)
        expect(page.get_by_role("heading", name="GenAI", level=2)).to_be_visible()
        for badge in page.locator(".case .badge-info").all():
            expect(badge).to_have_text("GenAI")
        page.locator("#f-tag").select_option("llm")
        expect(page).to_have_url(re.compile("tag=llm"))
        expect(page.locator(".case").first).to_be_visible()
        page.get_by_role("button", name="Clear filters").click()
        expect(page.get_by_text("20 case studies")).to_be_visible()
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
        # WhiteNoise keeps a file plain when gzip would hardly shrink it (a few hundred bytes).
        tiny = int(headers.get("content-length", "0")) < 1024
        assert headers.get("content-encoding") == "gzip" or tiny, (response.url, headers)
        assert "immutable" in headers.get("cache-control", ""), (response.url, headers)
    index = next(r for r in responses if r.url.rstrip("/").endswith("/login"))
    assert index.all_headers().get("cache-control") == "no-cache"


def test_admin_and_api_docs_work_under_the_content_security_policy(open_context, live_app):
    """The Django admin and Swagger UI are served with the same policy as the app (no inline
    script): they must still work, with no violation reported."""
    username = unique("staff")
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", CREATE_STAFF.format(username, PASSWORD)],
        cwd=ROOT,
        env=live_app.env,
        check=True,
        capture_output=True,
    )
    watched = open_context("admin-docs")
    page = watched.page
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/auth/user/")
    expect(page.get_by_role("link", name=username)).to_be_visible()
    page.get_by_role("link", name=username).click()
    expect(page.get_by_label("Username")).to_have_value(username)
    # The admin's own scripts ran: the date shortcuts and the filter widgets are drawn by JS.
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()
    watched.screenshot("admin-user")

    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Mockroom API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    watched.screenshot("api-docs")
    assert len(watched.documents) >= 4, watched.documents


CREATE_STAFF = (
    "from django.contrib.auth import get_user_model; "
    "get_user_model().objects.create_superuser('{}', password='{}')"
)


def test_the_browser_enforces_the_policy_and_the_harness_sees_violations(open_context):
    """The other tests pass only if no page breaks the policy; this shows such a break would be
    seen: an injected inline script is refused by Chromium and reported."""
    watched = open_context("csp-probe")
    page = watched.page
    page.goto("/login")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    ran = page.evaluate(
        """() => {
            window.__injected = false;
            const s = document.createElement("script");
            s.textContent = "window.__injected = true";
            document.body.appendChild(s);
            return window.__injected;
        }"""
    )
    assert ran is False
    page.wait_for_function("() => window.__mockroomCspViolations > 0", timeout=5000)
    page.evaluate("() => 0")  # the violation's report to the test travels ahead of this answer
    assert any("script-src" in v for v in watched.csp_violations), watched.csp_violations
    watched.csp_violations.clear()
