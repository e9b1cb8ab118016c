"""The brute-force case as it was found: a real server process, attempts from one machine with a
different X-Forwarded-For on each. uvicorn runs with --no-proxy-headers (testkit.processes), as the
deployment docs say, so TRUSTED_PROXIES alone decides whom to believe."""

import http.cookiejar
import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.live import LiveServer, wait_until_servers_left_the_database

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server():
    server = LiveServer().start()
    yield server
    server.stop()
    wait_until_servers_left_the_database()


def test_forty_spoofed_attempts_against_a_live_server_are_locked_out(server, user_factory):
    user_factory(username="victim")
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.base_url}/api/auth/csrf/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")

    def attempt(i: int) -> int:
        request = urllib.request.Request(
            f"{server.base_url}/api/auth/login/",
            data=json.dumps({"username": "victim", "password": f"guess-{i}"}).encode(),
            headers={
                "Content-Type": "application/json",
                "X-CSRFToken": token,
                "X-Forwarded-For": f"203.0.113.{i}",
            },
            method="POST",
        )
        try:
            with opener.open(request) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    codes = [attempt(i) for i in range(40)]
    limit = settings.AXES_FAILURE_LIMIT
    assert codes[: limit - 1] == [400] * (limit - 1)
    assert codes[limit:] == [429] * (40 - limit)
