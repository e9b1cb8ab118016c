"""Resource abuse: per-user rate limits on creating sessions and invites, and caps on what one
user holds at once (sessions that have not ended, invites nobody accepted yet)."""

import pytest
from django.test import override_settings

from interviews.models import InterviewSession, Invite
from interviews.sessions import services as session_services
from interviews.sessions.services import LimitReached

pytestmark = pytest.mark.django_db


def create(api, case_study, role="interviewer"):
    return api.post("/api/sessions/", {"case_study": case_study.slug, "role": role}, format="json")


def test_creating_sessions_is_rate_limited_per_user(
    rubric, case_study, user_factory, client_for, throttle_rates
):
    throttle_rates(session_create="5/hour")
    me, other = user_factory(), user_factory()
    api = client_for(me)
    codes = [create(api, case_study).status_code for _ in range(8)]
    assert codes == [201] * 5 + [429] * 3
    refused = create(api, case_study)
    assert "throttled" in refused.json()["detail"]
    assert InterviewSession.objects.filter(created_by=me).count() == 5
    # Another user is not affected, and listing is not throttled.
    assert create(client_for(other), case_study).status_code == 201
    assert api.get("/api/sessions/").status_code == 200


def test_creating_invites_is_rate_limited_per_user(
    rubric, case_study, user_factory, client_for, throttle_rates
):
    throttle_rates(invite_create="3/hour")
    api = client_for(user_factory())
    assert [create(api, case_study).status_code for _ in range(5)] == [201] * 3 + [429] * 2


def test_the_rate_limit_ignores_forwarded_for(
    rubric, case_study, user_factory, client_for, throttle_rates
):
    throttle_rates(session_create="3/hour")
    api = client_for(user_factory())
    codes = [
        api.post(
            "/api/sessions/",
            {"case_study": case_study.slug, "role": "candidate"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        ).status_code
        for i in range(6)
    ]
    assert codes == [201] * 3 + [429] * 3


def test_the_upload_scope_has_a_rate():
    from config.throttling import UploadThrottle

    assert UploadThrottle().get_rate()


@override_settings(MAX_OPEN_SESSIONS_PER_USER=3)
def test_a_user_holds_at_most_n_sessions_that_have_not_ended(
    rubric, case_study, user_factory, client_for
):
    me = user_factory()
    api = client_for(me)
    assert [create(api, case_study).status_code for _ in range(3)] == [201] * 3
    refused = create(api, case_study)
    assert refused.status_code == 400
    assert "3 sessions that have not ended" in refused.json()["detail"][0]
    assert InterviewSession.objects.filter(created_by=me).count() == 3

    # Ending one frees a place; sessions one was invited to do not count.
    ended = InterviewSession.objects.filter(created_by=me).first()
    ended.status = InterviewSession.Status.ENDED
    ended.save(update_fields=["status"])
    other = user_factory()
    _, invite = session_services.session_create(user=other, case_study=case_study, role="candidate")
    session_services.invite_accept(token=invite.token, user=me)
    assert create(api, case_study).status_code == 201
    assert create(api, case_study).status_code == 400


@override_settings(MAX_PENDING_INVITES_PER_USER=2, MAX_OPEN_SESSIONS_PER_USER=50)
def test_a_user_has_at_most_n_invites_nobody_accepted(rubric, case_study, user_factory):
    me = user_factory()
    first, invite = session_services.session_create(
        user=me, case_study=case_study, role="interviewer"
    )
    session_services.session_create(user=me, case_study=case_study, role="interviewer")
    with pytest.raises(LimitReached, match="2 invites that nobody has accepted"):
        session_services.session_create(user=me, case_study=case_study, role="interviewer")
    with pytest.raises(LimitReached):
        session_services.invite_create(session=first, role="candidate", created_by=me)
    # The refused session was rolled back with its invite.
    assert InterviewSession.objects.filter(created_by=me).count() == 2
    session_services.invite_accept(token=invite.token, user=user_factory())
    assert Invite.objects.filter(created_by=me, used_at__isnull=True).count() == 1
    session_services.session_create(user=me, case_study=case_study, role="interviewer")
