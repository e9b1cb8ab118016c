"""The interviewer of a pairing's interview changes its case before it starts, through the
interviews service: nobody else may, and not once the interview has begun."""

import pytest

from interviews.models import InterviewSession
from practice.models import PairingInterview

pytestmark = pytest.mark.django_db


def recase(client, pairing, order, slug):
    return client.put(
        f"/api/practice/pairings/{pairing.pk}/interviews/{order}/case/",
        {"case_study": slug},
        format="json",
    )


def unused_case(pairing, cases):
    taken = set(
        PairingInterview.objects.filter(pairing=pairing).values_list("case_study", flat=True)
    )
    return next(c for c in cases if c.pk not in taken)


def test_the_interviewer_moves_the_session_and_the_pairing_to_another_case(
    paired, cases, client_for
):
    pairing, ann, ben = paired
    first = pairing.interviews.get(order=1)
    assert first.interviewer == ann
    new = unused_case(pairing, cases)
    response = recase(client_for(ann), pairing, 1, new.slug)
    assert response.status_code == 200, response.json()
    assert response.json()["interviews"][0]["case_study"]["slug"] == new.slug
    first.refresh_from_db()
    assert first.case_study == new
    assert InterviewSession.objects.get(pk=first.session_id).case_study == new


def test_the_candidate_cannot_change_the_case_of_their_own_interview(paired, cases, client_for):
    pairing, ann, ben = paired
    before = pairing.interviews.get(order=1).case_study_id
    response = recase(client_for(ben), pairing, 1, unused_case(pairing, cases).slug)
    assert response.status_code == 403
    assert pairing.interviews.get(order=1).case_study_id == before


def test_a_started_interview_keeps_its_case(paired, cases, client_for):
    pairing, ann, ben = paired
    first = pairing.interviews.get(order=1)
    InterviewSession.objects.filter(pk=first.session_id).update(status="live")
    response = recase(client_for(ann), pairing, 1, unused_case(pairing, cases).slug)
    assert response.status_code == 400
    assert "started" in response.json()["detail"][0]
    assert InterviewSession.objects.get(pk=first.session_id).case_study_id == first.case_study_id


def test_session_recase_refuses_anyone_but_the_sessions_interviewer(paired, cases, user_factory):
    from django.core.exceptions import PermissionDenied

    from interviews.sessions.services import session_recase

    pairing, ann, ben = paired
    session_id = pairing.interviews.get(order=1).session_id
    for user in (ben, user_factory(username="eve")):
        with pytest.raises(PermissionDenied):
            session_recase(session_id=session_id, user=user, case_study=cases[-1])
