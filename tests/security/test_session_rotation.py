"""Every log-in gets a new session id (OWASP ASVS V7): also when already logged in, as the same
user or as another one, so a session id known before logging in is worth nothing after."""

from importlib import import_module

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def browser() -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/auth/csrf/")
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return client


def log_in(client: APIClient, username: str) -> str:
    response = client.post(
        "/api/auth/login/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("again_as", ["nora", "omar"], ids=["same user", "another user"])
def test_logging_in_again_rotates_the_session_id(user_factory, again_as):
    user_factory(username="nora")
    user_factory(username="omar")
    client = browser()
    first = log_in(client, "nora")
    second = log_in(client, again_as)
    assert second != first
    assert client.get("/api/auth/me/").json()["user"]["username"] == again_as
    old = APIClient()
    old.cookies[settings.SESSION_COOKIE_NAME] = first
    assert old.get("/api/auth/me/").json()["authenticated"] is False


def test_a_session_id_planted_before_log_in_is_replaced(user_factory):
    user_factory(username="nora")
    client = browser()
    # An attacker's session, valid on the server, planted in the victim's browser.
    planted = import_module(settings.SESSION_ENGINE).SessionStore()
    planted["planted"] = True
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    after = log_in(client, "nora")
    assert after != planted.session_key
    attacker = APIClient()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert attacker.get("/api/auth/me/").json()["authenticated"] is False
