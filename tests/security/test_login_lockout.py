"""Brute force: django-axes locks one username from one client address after a few failures,
on the API and the admin alike; forwarded headers are believed only from trusted proxies."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from rest_framework.test import APIClient

from config.client_ip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
LIMIT = settings.AXES_FAILURE_LIMIT


def browser(remote_addr: str = "127.0.0.1") -> APIClient:
    client = APIClient(enforce_csrf_checks=True, REMOTE_ADDR=remote_addr)
    client.get("/api/auth/csrf/")
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return client


def log_in(client: APIClient, username: str, password: str, **headers):
    return client.post(
        "/api/auth/login/", {"username": username, "password": password}, format="json", **headers
    )


def test_forty_wrong_passwords_with_spoofed_forwarded_for_are_locked_out(user_factory):
    user_factory(username="victim")
    attacker = browser("198.51.100.7")
    codes = [
        log_in(attacker, "victim", f"guess-{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(40)
    ]
    assert codes[: LIMIT - 1] == [400] * (LIMIT - 1)
    assert set(codes[LIMIT:]) == {429}
    assert codes.count(400) < LIMIT


def test_the_locked_address_cannot_log_in_even_with_the_right_password(user_factory):
    user_factory(username="victim")
    attacker = browser("198.51.100.7")
    for i in range(LIMIT):
        log_in(attacker, "victim", f"guess-{i}")
    response = log_in(attacker, "victim", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.json()["detail"]
    assert attacker.get("/api/auth/me/").json() == {"authenticated": False, "user": None}


def test_a_victim_on_another_address_still_logs_in(user_factory):
    user_factory(username="victim")
    attacker = browser("198.51.100.7")
    for i in range(LIMIT + 3):
        log_in(attacker, "victim", f"guess-{i}")
    victim = browser("192.0.2.44")
    assert log_in(victim, "victim", PASSWORD).status_code == 200


def test_the_lockout_is_per_username_so_other_accounts_on_the_address_are_not_locked(
    user_factory,
):
    user_factory(username="victim")
    user_factory(username="bystander")
    client = browser("198.51.100.7")
    for i in range(LIMIT):
        log_in(client, "victim", f"guess-{i}")
    assert log_in(client, "bystander", PASSWORD).status_code == 200


def test_a_success_before_the_limit_resets_the_count(user_factory):
    user_factory(username="nora")
    client = browser()
    for i in range(LIMIT - 1):
        assert log_in(client, "nora", f"typo-{i}").status_code == 400
    assert log_in(client, "nora", PASSWORD).status_code == 200
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    client.post("/api/auth/logout/")
    client.get("/api/auth/csrf/")
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    assert log_in(client, "nora", "typo-again").status_code == 400


def test_the_admin_login_locks_too(user_factory):
    user_factory(username="boss", is_staff=True, is_superuser=True)
    admin = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        admin.post(
            "/admin/login/?next=/admin/", {"username": "boss", "password": f"guess-{i}"}
        ).status_code
        for i in range(LIMIT)
    ]
    assert codes == [200] * (LIMIT - 1) + [429]  # the form again with an error, then locked
    locked = admin.post("/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert admin.get("/admin/").status_code == 302  # still not logged in

    elsewhere = Client(REMOTE_ADDR="192.0.2.44")
    ok = elsewhere.post("/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"


def test_the_login_rate_limit_counts_the_connection_not_the_forwarded_header(
    user_factory, throttle_rates
):
    throttle_rates(auth="10/minute")
    client = browser("198.51.100.7")
    codes = [
        log_in(client, f"nobody{i}", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(40)
    ]
    assert codes[:10] == [400] * 10
    assert codes[10:] == [429] * 30


class Meta:
    def __init__(self, remote: str, forwarded: str | None = None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    "trusted, remote, forwarded, expected",
    [
        ([], "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        ([], "127.0.0.1", "203.0.113.1", "127.0.0.1"),
        (["10.0.0.0/8"], "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.1", "203.0.113.1"),
        (["10.0.0.0/8"], "10.0.0.2", "1.1.1.1, 203.0.113.1", "203.0.113.1"),
        (["10.0.0.0/8"], "10.0.0.2", "1.1.1.1, 203.0.113.1, 10.0.0.9", "203.0.113.1"),
        (["10.0.0.0/8"], "10.0.0.2", "203.0.113.1:4711", "203.0.113.1"),
        (["10.0.0.0/8"], "10.0.0.2", "evil, 10.0.0.9", "10.0.0.9"),
        (["10.0.0.0/8"], "10.0.0.2", None, "10.0.0.2"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(
    trusted, remote, forwarded, expected
):
    with override_settings(TRUSTED_PROXIES=trusted):
        assert client_ip(Meta(remote, forwarded)) == expected
