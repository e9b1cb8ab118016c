import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    """A client that behaves like the browser app: fetches the CSRF cookie, echoes it."""
    client = APIClient(enforce_csrf_checks=True)
    response = client.get("/api/auth/csrf/")
    assert response.status_code == 200
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return client


def test_signup_creates_the_account_and_logs_in(browser):
    response = browser.post(
        "/api/auth/signup/",
        {"username": "nora", "password": "a-long-unusual-passphrase", "email": "n@example.com"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["username"] == "nora"
    assert browser.get("/api/auth/me/").json()["user"]["username"] == "nora"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"password": "a-long-unusual-passphrase"}, "username"),
        ({"username": "nora"}, "password"),
        ({"username": "no", "password": "a-long-unusual-passphrase"}, "username"),
        ({"username": "nora", "password": "123"}, "password"),
        ({"username": "nora", "password": "password"}, "password"),
        ({"username": "nora", "password": "a-long-unusual-passphrase", "email": "x"}, "email"),
        ({"username": "<b>nora</b>", "password": "a-long-unusual-passphrase"}, "username"),
    ],
)
def test_signup_rejects_bad_input_with_field_errors(browser, payload, field):
    response = browser.post("/api/auth/signup/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_signup_refuses_a_taken_username_whatever_the_case(browser, user_factory):
    user_factory(username="Nora")
    response = browser.post(
        "/api/auth/signup/",
        {"username": "nora", "password": "a-long-unusual-passphrase"},
        format="json",
    )
    assert response.status_code == 400 and "username" in response.json()


def test_login_and_logout(browser, user_factory):
    user_factory(username="nora")
    bad = browser.post("/api/auth/login/", {"username": "nora", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    ok = browser.post(
        "/api/auth/login/",
        {"username": "nora", "password": "correct-horse-battery"},
        format="json",
    )
    assert ok.status_code == 200
    # Login rotates the CSRF token; the browser app re-reads the cookie.
    browser.credentials(HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    me = browser.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.json()["authenticated"] is True and me.json()["user"]["username"] == "nora"
    assert browser.post("/api/auth/logout/").status_code == 204
    assert browser.get("/api/auth/me/").json() == {"authenticated": False, "user": None}


def test_who_am_i_answers_200_with_nobody_when_logged_out():
    response = APIClient().get("/api/auth/me/")
    assert response.status_code == 200
    assert response.json() == {"authenticated": False, "user": None}


def test_login_without_csrf_token_is_refused():
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/auth/login/", {"username": "a", "password": "b"}, format="json")
    assert response.status_code == 403


def test_login_rotates_the_session_key(browser, user_factory):
    user_factory(username="nora")
    browser.cookies["sessionid"] = "attacker-chosen"
    browser.post(
        "/api/auth/login/",
        {"username": "nora", "password": "correct-horse-battery"},
        format="json",
    )
    assert browser.cookies["sessionid"].value != "attacker-chosen"


def test_writes_without_csrf_token_are_refused_for_logged_in_users(user_factory, case_study):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user_factory())
    response = client.post(
        "/api/sessions/", {"case_study": case_study.slug, "role": "candidate"}, format="json"
    )
    assert response.status_code == 403


def test_malformed_json_is_400(browser):
    response = browser.post("/api/auth/login/", "{not json", content_type="application/json")
    assert response.status_code == 400
