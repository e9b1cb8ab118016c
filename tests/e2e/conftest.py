"""End-to-end fixtures: the built browser app on a real server process, driven by Debian's
headless Chromium through Playwright.

The server gets a database of its own, made for the run: a fresh SQLite file in a temporary
folder by default, or, when DATABASE_URL is set (CI), a dedicated PostgreSQL database created on
that server and dropped afterwards. Either way it is migrated and loaded with the content exactly
as `make dev` does, and the server runs with DEBUG off, no Redis (in-process channel layer,
inline tasks) and its own secret key, like a single-process deployment.
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from testkit.processes import ARTIFACTS, ROOT, Uvicorn, free_port

# The build with the test hooks on `window` (`vite build --mode e2e`); frontend/dist has none.
E2E_DIST = ROOT / "frontend" / "dist-e2e"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The room's call: grant microphone and camera without a prompt, and give fake devices (a
    # beeping tone and a test pattern), so two contexts can talk.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> None:
    """In CI a missing prerequisite fails the test (it must never pass by skipping)."""
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def dedicated_database(workdir: Path) -> Iterator[dict[str, str]]:
    """Environment variables pointing a server at a database made for this run."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        yield {"SQLITE_PATH": str(workdir / "e2e.sqlite3")}
        return
    import psycopg

    name = f"mockroom_e2e_{uuid.uuid4().hex[:12]}"
    parts = urlsplit(database_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}"))}
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class LiveApp:
    base_url: str
    log: Path
    env: dict[str, str] = field(repr=False)

    @property
    def origin(self) -> str:
        return self.base_url


def app_env(db_env: dict[str, str]) -> dict[str, str]:
    """No PUBLIC_BASE_URL: invite links must name the origin the browser used."""
    inherited = (
        "DATABASE_URL",
        "REDIS_URL",
        "SQLITE_PATH",
        "DJANGO_SETTINGS_MODULE",
        "PUBLIC_BASE_URL",
    )
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env.update(db_env)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="e2e-only-secret-key-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        FRONTEND_DIST=str(E2E_DIST),
        LOG_LEVEL="WARNING",
        # This single-process server transcribes each audio upload before answering it, one at
        # a time; on a loaded test machine the last uploads of an interview can wait minutes.
        RECORDING_UPLOAD_GRACE_SECONDS="900",
    )
    return env


@pytest.fixture(scope="session")
def live_app() -> Iterator[LiveApp]:
    if not (E2E_DIST / "index.html").is_file():
        unavailable(
            "the e2e build of the browser app is missing: run `make frontend-e2e`"
            " (or `npm run build:e2e` in frontend/)"
        )
    workdir = Path(tempfile.mkdtemp(prefix="mockroom-e2e-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "e2e-server.log"
    log.write_bytes(b"")
    try:
        with dedicated_database(workdir) as db_env:
            env = app_env(db_env)
            # The admin's and the API docs' own files, collected as a deployment does.
            env["DJANGO_STATIC_ROOT"] = str(workdir / "static")
            for command in (
                ["migrate", "--noinput"],
                ["load_content"],
                ["collectstatic", "--noinput"],
            ):
                subprocess.run(
                    [sys.executable, "manage.py", *command],
                    cwd=ROOT,
                    env=env,
                    check=True,
                    capture_output=True,
                )
            server = Uvicorn(env, port, log).start()
            try:
                yield LiveApp(base_url=base_url, log=log, env=env)
            finally:
                server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def own_server(live_app) -> Iterator[tuple[LiveApp, Uvicorn]]:
    """A second server on the same database, for a test that stops and restarts it."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = live_app.env
    server = Uvicorn(env, port, ARTIFACTS / "e2e-own-server.log").start()
    try:
        yield LiveApp(base_url=base_url, log=server.log, env=env), server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def playwright_driver():
    if not CHROMIUM.exists():
        unavailable(f"Chromium is needed for e2e tests: apt-get install chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is needed: pip install -e '.[dev]'")
    from playwright.sync_api import expect

    # A busy machine (CI beside other jobs) can take seconds for what takes milliseconds here:
    # assertions keep waiting for their condition well past Playwright's 5 s default.
    expect.set_options(timeout=15_000)
    with sync_playwright() as p:
        yield p


def launch_chromium(driver, *extra_args: str):
    return driver.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args])


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = launch_chromium(playwright_driver)
    try:
        yield browser
    finally:
        browser.close()


# Reports every Content-Security-Policy violation of a page (and of its frames) to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__mockroomCspViolations = (window.__mockroomCspViolations || 0) + 1;
  window.__mockroomCspViolation(
    `${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`
  );
});
"""


class Watched:
    """A browser context that records every request leaving the app's origin, every uncaught
    page error, every console error of any of its pages, every Content-Security-Policy violation
    and every page of the app served without a policy; `check()` fails the test on any of them.
    The policy is enforced as served (Playwright does not bypass it)."""

    def __init__(self, browser, app: LiveApp, name: str, viewport: dict):
        self.name = name
        self.app = app
        self.context = browser.new_context(viewport=viewport, base_url=app.base_url)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.base_url)
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self._provoked: list[re.Pattern] = []
        self._watched_pages: set[int] = set()
        self.csp_violations: list[str] = []
        self.pages_without_csp: list[str] = []
        self.documents: list[str] = []
        self.missing: list[str] = []  # scripts, styles and fonts the server did not deliver
        self.context.on("request", self._on_request)
        self.context.on("response", self._on_response)
        self.context.expose_binding(
            "__mockroomCspViolation", lambda source, text: self.csp_violations.append(text)
        )
        self.context.add_init_script(CSP_LISTENER)
        # Every page of the context, including those a test opens later with new_page().
        self.context.on("page", self._watch)
        self.page = self.context.new_page()
        self._watch(self.page)

    def _watch(self, page) -> None:
        if id(page) in self._watched_pages:
            return
        self._watched_pages.add(id(page))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url}: {exc}"))
        page.on("console", lambda message: self._on_console(page, message))

    def _on_console(self, page, message) -> None:
        if message.type != "error":
            return
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)
            return
        where = message.location.get("url") or page.url
        line = f"{where}: {message.text}"
        if any(pattern.search(line) for pattern in self._provoked):
            return
        self.console_errors.append(line)

    def provokes_console_error(self, pattern: str) -> None:
        """Declare that this test provokes console errors matching `pattern` (checked against
        "<url>: <message>") on purpose: the browser logs every refused request and failed
        socket, including a refused log-in or a server the test stops, and no page can
        silence that. Only this context, only this test; keep the pattern narrow."""
        self._provoked.append(re.compile(pattern))

    def _on_response(self, response) -> None:
        kind = response.request.resource_type
        if not response.url.startswith(self.app.origin):
            return
        if kind in ("script", "stylesheet", "font") and response.status >= 400:
            self.missing.append(f"{response.status} {response.url}")
        if kind != "document":
            return
        self.documents.append(response.url)
        if "content-security-policy" not in response.headers:
            self.pages_without_csp.append(response.url)

    def _on_request(self, request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        parts = urlsplit(url)
        origin = f"{'http' if parts.scheme in ('http', 'ws') else 'https'}://{parts.netloc}"
        if origin != self.app.origin:
            self.foreign.append(url)

    def screenshot(self, label: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"e2e-{label}-{self.name}.png"
        self.page.screenshot(path=str(path))
        return path

    def check(self) -> None:
        problems = {
            "requested other origins": self.foreign,
            "had page errors": self.errors,
            "logged console errors": self.console_errors,
            "broke the CSP": self.csp_violations,
            "got pages of the app without a CSP": self.pages_without_csp,
            "missed files": self.missing,
        }
        found = {what: items for what, items in problems.items() if items}
        assert not found, f"{self.name}: " + "; ".join(
            f"{what}: {items[:5]}{' ...' if len(items) > 5 else ''} ({len(items)})"
            for what, items in found.items()
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_context(browser, live_app):
    """Open watched browser contexts; each is checked at the end for foreign requests, page
    errors and console errors."""
    opened: list[Watched] = []

    def open_(
        name: str, width: int = 1280, height: int = 800, app: LiveApp | None = None
    ) -> Watched:
        watched = Watched(browser, app or live_app, name, {"width": width, "height": height})
        opened.append(watched)
        return watched

    yield open_
    check_and_close(opened)


def check_and_close(opened: list[Watched]) -> None:
    try:
        for watched in opened:
            watched.check()
    finally:
        for watched in opened:
            watched.close()


@pytest.fixture
def open_speaking_context(playwright_driver, live_app):
    """Like `open_context`, but each context gets a Chromium of its own whose microphone plays
    `wav` (in a loop): the fake audio file is a launch flag, so one browser speaks one file."""
    opened: list[Watched] = []
    browsers = []

    def open_(name: str, wav: Path, width: int = 1280, height: int = 800) -> Watched:
        browser = launch_chromium(playwright_driver, f"--use-file-for-fake-audio-capture={wav}")
        browsers.append(browser)
        watched = Watched(browser, live_app, name, {"width": width, "height": height})
        opened.append(watched)
        return watched

    yield open_
    try:
        check_and_close(opened)
    finally:
        for browser in browsers:
            browser.close()


@pytest.fixture(scope="session")
def espeak() -> str:
    """The speech synthesizer the recording test speaks with (Debian's espeak-ng)."""
    found = shutil.which("espeak-ng")
    if not found:
        unavailable("espeak-ng is needed for the recording e2e test: apt-get install espeak-ng")
    return found
