from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casestudies.framework import default_plan
from interviews.models import Invite, Participant
from interviews.sessions import services as session_services

pytestmark = pytest.mark.django_db


def create(api, case_study, *, host: str | None = None, **extra):
    headers = {"HTTP_HOST": host} if host else {}
    return api.post(
        "/api/sessions/", {"case_study": case_study.slug, **extra}, format="json", **headers
    )


def test_create_session_returns_an_invite_for_the_other_role(
    rubric, case_study, user_factory, client_for
):
    api = client_for(user_factory())
    response = create(api, case_study, role="interviewer", plan={"model": 12})
    assert response.status_code == 201
    body = response.json()
    assert body["id"] and body["status"] == "scheduled" and body["my_role"] == "interviewer"
    assert body["plan"] == {**default_plan(), "model": 12}
    assert body["rubric_id"] == rubric.pk
    assert body["invite"]["role"] == "candidate"
    assert body["invite"]["url"].endswith(f"/invite/{body['invite']['token']}")
    assert len(body["invite"]["token"]) >= 40
    assert body["report_status"] == "pending"


def test_invite_links_point_at_the_origin_the_request_came_to_without_public_base_url(
    rubric, case_study, user_factory, client_for, settings
):
    settings.PUBLIC_BASE_URL = ""
    api = client_for(user_factory())
    response = create(api, case_study, role="interviewer", host="localhost:8812")
    assert response.status_code == 201
    token = response.json()["invite"]["token"]
    assert response.json()["invite"]["url"] == f"http://localhost:8812/invite/{token}"

    detail = api.get(f"/api/sessions/{response.json()['id']}/", HTTP_HOST="127.0.0.1:9000")
    assert [i["url"] for i in detail.json()["invites"]] == [f"http://127.0.0.1:9000/invite/{token}"]


def test_invite_links_use_public_base_url_when_it_is_set(
    rubric, case_study, user_factory, client_for, settings
):
    settings.PUBLIC_BASE_URL = "https://mockroom.example.com"
    api = client_for(user_factory())
    response = create(api, case_study, role="candidate", host="localhost:8812")
    token = response.json()["invite"]["token"]
    assert response.json()["invite"]["url"] == f"https://mockroom.example.com/invite/{token}"
    detail = api.get(f"/api/sessions/{response.json()['id']}/", HTTP_HOST="localhost:8812")
    assert [i["url"] for i in detail.json()["invites"]] == [
        f"https://mockroom.example.com/invite/{token}"
    ]


def test_a_host_not_in_allowed_hosts_never_ends_up_in_an_invite_link(
    rubric, case_study, user_factory, client_for, settings
):
    settings.PUBLIC_BASE_URL = ""
    user = user_factory()
    api = client_for(user)
    response = create(api, case_study, role="interviewer", host="evil.example.com")
    assert response.status_code == 400
    assert b"evil.example.com" not in response.content
    assert not Invite.objects.exists()

    session, _ = session_services.session_create(
        user=user, case_study=case_study, role="interviewer"
    )
    detail = api.get(f"/api/sessions/{session.id}/", HTTP_HOST="evil.example.com")
    assert detail.status_code == 400
    assert b"/invite/" not in detail.content and b"evil" not in detail.content


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"case_study": "no-such-case", "role": "candidate"}, "case_study"),
        ({"case_study": None, "role": "candidate"}, "case_study"),
        ({"role": "observer"}, "role"),
        ({"role": "boss"}, "role"),
        ({"role": "candidate", "plan": {"training": 5}}, "plan"),
        ({"role": "candidate", "plan": {"model": 0}}, "plan"),
        ({"role": "candidate", "plan": {"model": "ten"}}, "plan"),
        ({"role": "candidate", "plan": [1]}, "plan"),
        ({"role": "candidate", "scheduled_for": "tomorrow"}, "scheduled_for"),
        ({"role": "candidate", "scheduled_for": "2001-01-01T10:00:00Z"}, "scheduled_for"),
        ({"role": "candidate", "auto_release": "maybe"}, "auto_release"),
    ],
)
def test_create_session_rejects_bad_payloads(
    rubric, case_study, user_factory, client_for, payload, field
):
    api = client_for(user_factory())
    payload = {k: v for k, v in {"case_study": case_study.slug, **payload}.items() if v is not None}
    response = api.post("/api/sessions/", payload)
    assert response.status_code == 400
    assert field in response.json()


def test_invite_accept_joins_in_the_invited_role(rubric, case_study, user_factory, client_for):
    host, guest = user_factory(), user_factory()
    token = create(client_for(host), case_study, role="candidate").json()["invite"]["token"]
    guest_api = client_for(guest)
    preview = guest_api.get(f"/api/invites/{token}/").json()
    assert preview["role"] == "interviewer" and preview["invited_by"] == host.username
    response = guest_api.post(f"/api/invites/{token}/accept/")
    assert response.status_code == 200
    assert response.json()["role"] == "interviewer"
    assert Participant.objects.get(user=guest).role == "interviewer"
    # Accepting twice (a double click) is harmless.
    assert guest_api.post(f"/api/invites/{token}/accept/").status_code == 200


def test_used_invite_is_refused_to_anyone_else(interview, user_factory, client_for):
    session, _, _ = interview
    invite = session.invites.get()
    response = client_for(user_factory()).post(f"/api/invites/{invite.token}/accept/")
    assert response.status_code == 400
    assert "already been used" in response.json()["detail"][0]


def test_expired_invite_is_refused(rubric, case_study, user_factory, client_for):
    _, invite = session_services.session_create(
        user=user_factory(), case_study=case_study, role="candidate"
    )
    Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(user_factory()).post(f"/api/invites/{invite.token}/accept/")
    assert response.status_code == 400
    assert "expired" in response.json()["detail"][0]


def test_host_cannot_accept_their_own_invite(rubric, case_study, user_factory, client_for):
    host = user_factory()
    _, invite = session_services.session_create(user=host, case_study=case_study, role="candidate")
    response = client_for(host).post(f"/api/invites/{invite.token}/accept/")
    assert response.status_code == 400


def test_unknown_invite_is_404(user_factory, client_for):
    api = client_for(user_factory())
    assert api.post("/api/invites/not-a-real-token/accept/").status_code == 404
    assert api.get("/api/invites/not-a-real-token/").status_code == 404


def test_anonymous_cannot_accept_invites(interview, client):
    invite = interview[0].invites.get()
    assert client.post(f"/api/invites/{invite.token}/accept/").status_code == 403


def test_session_of_someone_else_is_404_not_403(interview, user_factory, client_for):
    session, _, _ = interview
    api = client_for(user_factory())
    for path in ("", "scores/", "notes/"):
        assert api.get(f"/api/sessions/{session.id}/{path}").status_code == 404
    assert (
        api.put(f"/api/sessions/{session.id}/notes/", {"step": "data", "text": "x"}).status_code
        == 404
    )
    assert api.post(f"/api/sessions/{session.id}/release/").status_code == 404


def test_detail_fields_are_filtered_by_role(interview, client_for):
    session, interviewer, candidate = interview
    as_interviewer = client_for(interviewer).get(f"/api/sessions/{session.id}/").json()
    as_candidate = client_for(candidate).get(f"/api/sessions/{session.id}/").json()
    assert as_interviewer["my_role"] == "interviewer"
    assert "interviewer_guide" in as_interviewer
    assert as_candidate["my_role"] == "candidate"
    assert "interviewer_guide" not in as_candidate and "invites" not in as_candidate
    assert as_candidate["prompt"] == session.case_study.prompt
    assert {p["username"] for p in as_candidate["participants"]} == {"iris", "cole"}


def test_list_shows_only_my_sessions_with_filters(
    interview, rubric, case_study, user_factory, client_for
):
    session, interviewer, candidate = interview
    session_services.session_create(user=user_factory(), case_study=case_study, role="candidate")
    mine = client_for(candidate).get("/api/sessions/").json()
    assert [s["id"] for s in mine["results"]] == [str(session.id)]

    def count(user, **params):
        return client_for(user).get("/api/sessions/", params).json()["count"]

    assert count(candidate, role="interviewer") == 0
    assert count(interviewer, status="scheduled") == 1
    assert count(interviewer, status="ended") == 0
    assert client_for(interviewer).get("/api/sessions/", {"status": "bogus"}).status_code == 400


def test_session_list_query_count_does_not_grow_with_rows(
    rubric, case_study, user_factory, client_for
):
    me = user_factory()
    api = client_for(me)

    def add_sessions(n):
        for _ in range(n):
            _, invite = session_services.session_create(
                user=me, case_study=case_study, role="candidate"
            )
            session_services.invite_accept(token=invite.token, user=user_factory())

    add_sessions(2)
    with CaptureQueriesContext(connection) as few:
        assert api.get("/api/sessions/").json()["count"] == 2
    add_sessions(12)
    with CaptureQueriesContext(connection) as many:
        assert api.get("/api/sessions/").json()["count"] == 14
    assert len(many) == len(few)
