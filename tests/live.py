"""Real server processes for tests that need them: uvicorn on a free port, on the test
database (so rows the test creates are what the server sees), killed and restarted at will."""

import json
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import websockets
from django.conf import settings
from django.db import connection
from django.test import Client

from testkit.processes import ROOT, Uvicorn

from .protocol_check import check_outbound


def server_env(*, redis: bool) -> dict:
    """The environment of a server process that shares this test run's database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = str(db["NAME"])
    else:
        host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
        user = db.get("USER") or "postgres"
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"
    if redis:
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    return env


class LiveServer(Uvicorn):
    """A server process on this test run's database (and Redis, if asked)."""

    def __init__(self, *, redis: bool = False, port: int | None = None, env: dict | None = None):
        super().__init__({**server_env(redis=redis), **(env or {})}, port)


def cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class RoomClient:
    """A protocol client over a real websocket (the `websockets` library)."""

    def __init__(self, server: LiveServer, cookie: str, session_id):
        self.url = f"{server.ws_base}/ws/sessions/{session_id}/"
        self.cookie = cookie
        self.ws = None
        self.state: dict | None = None
        self.seen: list[dict] = []

    async def connect(self) -> dict:
        self.ws = await websockets.connect(
            self.url,
            origin="http://localhost",
            additional_headers={"Cookie": self.cookie},
            max_size=4 * 1024 * 1024,
            max_queue=None,  # tests read selectively; never stall the connection
        )
        self.state = await self.expect("state")
        return self.state

    async def send(self, message: dict) -> None:
        await self.ws.send(json.dumps(message))

    async def receive(self, timeout: float = 5) -> dict:
        import asyncio

        message = check_outbound(json.loads(await asyncio.wait_for(self.ws.recv(), timeout)))
        self.seen.append(message)
        return message

    async def expect(self, kind: str, check=lambda m: True, timeout: float = 5) -> dict:
        import asyncio

        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                raise TimeoutError(f"no {kind} within {timeout}s")
            message = await self.receive(left)
            if message["type"] == kind and check(message):
                return message

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


def wait_until_servers_left_the_database(timeout: float = 10) -> None:
    """PostgreSQL ends a killed server's sessions a moment after the process dies; the test
    database can only be dropped once they are gone."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)


class Worker:
    """A real Celery worker process consuming from the test Redis, on the test database."""

    def __init__(self, *, visibility_timeout: int = 3600, name: str = "w1"):
        self.env = {**server_env(redis=True), "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout)}
        self.name = name
        self.process: subprocess.Popen | None = None
        self.log = ROOT / "test-artifacts" / f"worker-{name}.log"

    def start(self) -> "Worker":
        self.log.parent.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "-n",
                f"{self.name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once: nothing acknowledged, nothing
        cleaned up."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def launched(kind):
    """Yields `start(**options)`, which starts a `kind` (LiveServer, Worker) process; on the way
    out every process started is stopped, and their sockets have left the database."""
    started = []

    def start(**options):
        process = kind(**options).start()
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.stop()
        wait_until_servers_left_the_database()


def wait_for(check, *, timeout: float = 30, every: float = 0.1):
    """Poll `check()` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout}s")
