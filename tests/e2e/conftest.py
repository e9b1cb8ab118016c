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

from tests.processes import ARTIFACTS, ROOT, Uvicorn, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
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


def app_env(db_env: dict[str, str], base_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE")
    }
    env.update(db_env)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="e2e-only-secret-key-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PUBLIC_BASE_URL=base_url,
        FRONTEND_DIST=str(ROOT / "frontend" / "dist"),
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.fixture(scope="session")
def live_app() -> Iterator[LiveApp]:
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        unavailable(
            "the browser app is not built: run `make frontend` (or `npm run build` in frontend/)"
        )
    workdir = Path(tempfile.mkdtemp(prefix="mockroom-e2e-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "e2e-server.log"
    log.write_bytes(b"")
    try:
        with dedicated_database(workdir) as db_env:
            env = app_env(db_env, base_url)
            for command in (["migrate", "--noinput"], ["load_content"]):
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
    env = {**live_app.env, "PUBLIC_BASE_URL": base_url}
    server = Uvicorn(env, port, ARTIFACTS / "e2e-own-server.log").start()
    try:
        yield LiveApp(base_url=base_url, log=server.log, env=env), server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        unavailable(f"Chromium is needed for e2e tests: apt-get install chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is needed: pip install -e '.[dev]'")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """A browser context that records every request leaving the app's origin and every
    uncaught page error; `check()` fails the test on either."""

    def __init__(self, browser, app: LiveApp, name: str, viewport: dict):
        self.name = name
        self.app = app
        self.context = browser.new_context(viewport=viewport, base_url=app.base_url)
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app.base_url)
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", self._on_request)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))

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
        assert self.foreign == [], f"{self.name} requested other origins: {self.foreign}"
        assert self.errors == [], f"{self.name} had page errors: {self.errors}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_context(browser, live_app):
    """Open watched browser contexts; each is checked for foreign requests at the end."""
    opened: list[Watched] = []

    def open_(
        name: str, width: int = 1280, height: int = 800, app: LiveApp | None = None
    ) -> Watched:
        watched = Watched(browser, app or live_app, name, {"width": width, "height": height})
        opened.append(watched)
        return watched

    yield open_
    try:
        for watched in opened:
            watched.check()
    finally:
        for watched in opened:
            watched.close()
