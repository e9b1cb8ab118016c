"""The guide holds the answers: a user waiting to be asked a case as the candidate can read its
guide nowhere, and cannot become its interviewer, until that interview is over."""

import pytest

from interviews.models import InterviewSession
from interviews.room.selectors import room_state
from interviews.sessions import services as session_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def awaiting(rubric, case_study, user_factory):
    """`cole` is the candidate of a scheduled session on `case_study`."""
    host, cole = user_factory(username="host"), user_factory(username="cole")
    session, invite = session_services.session_create(
        user=host, case_study=case_study, role="interviewer"
    )
    session_services.invite_accept(token=invite.token, user=cole)
    return session, cole


def test_the_candidate_cannot_create_a_session_as_interviewer_on_the_same_case(
    awaiting, case_study, client_for
):
    _, cole = awaiting
    response = client_for(cole).post(
        "/api/sessions/", {"case_study": case_study.slug, "role": "interviewer"}, format="json"
    )
    assert response.status_code == 400
    assert "candidate of an interview on this case" in response.json()["case_study"][0]
    assert InterviewSession.objects.count() == 1


def test_the_candidate_cannot_accept_an_interviewer_invite_on_the_same_case(
    awaiting, case_study, user_factory, client_for
):
    _, cole = awaiting
    other_host = user_factory(username="peer")
    _, invite = session_services.session_create(
        user=other_host, case_study=case_study, role="candidate"
    )
    response = client_for(cole).post(f"/api/invites/{invite.token}/accept/")
    assert response.status_code == 400
    assert "candidate of an interview on this case" in str(response.json())


def test_an_interviewer_who_becomes_the_candidate_loses_the_guide_until_that_interview_ends(
    rubric, case_study, user_factory, client_for
):
    ivy = user_factory(username="ivy")
    mine, _ = session_services.session_create(user=ivy, case_study=case_study, role="interviewer")
    api = client_for(ivy)
    assert "interviewer_guide" in api.get(f"/api/sessions/{mine.pk}/").json()
    assert "interviewer_guide" in api.get(f"/api/casestudies/{case_study.slug}/").json()

    host = user_factory(username="host")
    theirs, invite = session_services.session_create(
        user=host, case_study=case_study, role="interviewer"
    )
    session_services.invite_accept(token=invite.token, user=ivy)
    assert "interviewer_guide" not in api.get(f"/api/sessions/{mine.pk}/").json()
    assert "interviewer_guide" not in api.get(f"/api/casestudies/{case_study.slug}/").json()
    state = room_state(session_id=mine.pk, user=ivy, role="interviewer")
    assert "guide" not in state and "candidate" in state["guide_withheld"]

    InterviewSession.objects.filter(pk=theirs.pk).update(status=InterviewSession.Status.ENDED)
    assert "interviewer_guide" in api.get(f"/api/sessions/{mine.pk}/").json()
    assert "guide" in room_state(session_id=mine.pk, user=ivy, role="interviewer")


def test_other_cases_stay_open_to_the_candidate(awaiting, content, client_for):
    _, cole = awaiting
    other = next(case for case in content if case.pk != awaiting[0].case_study_id)
    api = client_for(cole)
    response = api.post(
        "/api/sessions/", {"case_study": other.slug, "role": "interviewer"}, format="json"
    )
    assert response.status_code == 201
    assert "interviewer_guide" in api.get(f"/api/sessions/{response.json()['id']}/").json()
