"""The HTTP API refuses what the database or a browser cannot hold with a clear 400."""

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(user_factory, client_for):
    return client_for(user_factory(username="mallory"))


@pytest.mark.parametrize("path", ["/api/invites/%00/", "/api/invites/%00/accept/"])
def test_nul_in_the_address_is_a_400_not_a_server_error(api, path):
    response = api.post(path) if path.endswith("accept/") else api.get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_the_query_string_is_a_400(api):
    assert api.get("/api/casestudies/?search=a%00b").status_code == 400


@pytest.mark.parametrize("escaped", ["\\u0000", "\\ud800", "x\\udfff"])
def test_nul_and_lone_surrogates_in_a_body_are_a_400(interview, client_for, escaped):
    session, interviewer, _ = interview
    body = '{"step": "data", "text": "note %s"}' % escaped  # noqa: UP031 (JSON braces)
    response = client_for(interviewer).put(
        f"/api/sessions/{session.pk}/notes/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/sessions/", "/api/auth/login/"])
def test_deep_nesting_is_a_400(api, path):
    body = '{"a":' * 3000 + "1" + "}" * 3000
    response = api.post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "nest" in response.json()["detail"]


def test_deep_nesting_on_notes_is_a_400(interview, client_for):
    session, interviewer, _ = interview
    body = '{"step": "data", "text": ' + "[" * 3000 + "]" * 3000 + "}"
    response = client_for(interviewer).put(
        f"/api/sessions/{session.pk}/notes/", body, content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_a_400(api, literal):
    body = '{"case_study": "x", "role": "candidate", "plan": {"model": %s}}' % literal  # noqa: UP031
    response = api.post("/api/sessions/", body, content_type="application/json")
    assert response.status_code == 400


def test_bodies_over_a_megabyte_are_refused(api):
    body = json.dumps({"username": "a" * (1024 * 1024), "password": "x"})
    response = api.post("/api/auth/login/", body, content_type="application/json")
    assert response.status_code == 400
    assert "larger than" in response.json()["detail"]


def test_note_text_is_limited_in_bytes(interview, client_for):
    session, interviewer, _ = interview
    api = client_for(interviewer)
    url = f"/api/sessions/{session.pk}/notes/"
    emoji = "\U0001f600"
    too_long = api.put(url, {"step": "data", "text": emoji * 5001}, format="json")
    assert too_long.status_code == 400 and "bytes" in str(too_long.json()["text"])
    assert api.put(url, {"step": "data", "text": emoji * 5000}, format="json").status_code == 200
