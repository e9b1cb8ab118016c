"""Ratings both ways and blocks: who may rate, when a rating is revealed, what partners see,
and that bad or repeated submissions change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practice import services
from practice.matching import match_requests
from practice.models import Block, Pairing, PeerRating

from .conftest import end_sessions, wait_now

pytestmark = pytest.mark.django_db

GOOD = {"preparedness": 4, "hint_clarity": 3, "feedback_quality": 2, "comment": "Clear hints."}


def rate(client, pairing, order, body=GOOD):
    return client.post(
        f"/api/practice/pairings/{pairing.pk}/interviews/{order}/rating/", body, format="json"
    )


def test_the_candidate_rates_the_interviewer_once_the_interview_ended(paired, client_for):
    pairing, ann, ben = paired
    # Interview 1: Ann interviews Ben, so Ben rates.
    assert rate(client_for(ben), pairing, 1).status_code == 400  # not ended yet
    end_sessions(pairing)
    response = rate(client_for(ben), pairing, 1)
    assert response.status_code == 201, response.json()
    rating = PeerRating.objects.get()
    assert (rating.author, rating.subject, rating.preparedness) == (ben, ann, 4)


def test_a_second_rating_of_the_same_interview_is_a_400_and_changes_nothing(paired, client_for):
    pairing, ann, ben = paired
    end_sessions(pairing)
    assert rate(client_for(ben), pairing, 1).status_code == 201
    again = rate(client_for(ben), pairing, 1, {**GOOD, "preparedness": 1})
    assert again.status_code == 400
    assert PeerRating.objects.get().preparedness == 4


def test_rating_an_interview_you_were_not_the_candidate_of_is_a_403(
    paired, client_for, user_factory
):
    pairing, ann, ben = paired
    end_sessions(pairing)
    assert rate(client_for(ann), pairing, 1).status_code == 403  # Ann was its interviewer
    assert rate(client_for(user_factory(username="eve")), pairing, 1).status_code == 403
    assert rate(client_for(ann), pairing, 3).status_code == 403  # no such interview
    assert PeerRating.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"preparedness": 5},
        {"preparedness": 0},
        {"hint_clarity": "3"},
        {"feedback_quality": True},
        {"feedback_quality": 2.5},
        {"comment": 7},
        {"comment": "x" * 2001},
        {"preparedness": None},
    ],
)
def test_a_malformed_rating_is_a_400_and_changes_nothing(paired, client_for, change):
    pairing, ann, ben = paired
    end_sessions(pairing)
    assert rate(client_for(ben), pairing, 1, {**GOOD, **change}).status_code == 400
    assert PeerRating.objects.count() == 0


def test_a_rating_is_revealed_when_both_are_in(paired, client_for):
    pairing, ann, ben = paired
    end_sessions(pairing)
    rate(client_for(ben), pairing, 1)

    def seen_by_ann():
        body = client_for(ann).get(f"/api/practice/pairings/{pairing.pk}/").json()
        return body["interviews"][0]["rating"]

    assert seen_by_ann() is None
    # Ben sees his own.
    mine = client_for(ben).get(f"/api/practice/pairings/{pairing.pk}/").json()
    assert mine["interviews"][0]["rating"]["preparedness"] == 4
    rate(client_for(ann), pairing, 2)
    assert seen_by_ann()["comment"] == "Clear hints."


def test_a_rating_is_revealed_48_hours_after_it_was_given(paired, client_for):
    pairing, ann, ben = paired
    end_sessions(pairing)
    rate(client_for(ben), pairing, 1)
    PeerRating.objects.update(submitted_at=timezone.now() - timedelta(hours=49))
    body = client_for(ann).get(f"/api/practice/pairings/{pairing.pk}/").json()
    assert body["interviews"][0]["rating"]["hint_clarity"] == 3


def test_partners_see_an_interviewers_averages_of_revealed_ratings(paired, client_for):
    pairing, ann, ben = paired
    end_sessions(pairing)
    rate(client_for(ben), pairing, 1)
    url = "/api/practice/partners/ann/"
    assert client_for(ben).get(url).json()["ratings"]["count"] == 0  # not revealed yet
    rate(client_for(ann), pairing, 2, {**GOOD, "preparedness": 2})
    ratings = client_for(ben).get(url).json()["ratings"]
    assert ratings == {
        "count": 1,
        "preparedness": 4.0,
        "hint_clarity": 3.0,
        "feedback_quality": 2.0,
    }
    assert client_for(ann).get("/api/practice/profile/").json()["ratings"]["count"] == 1


def test_someone_you_never_met_has_no_partner_profile(paired, practiser, client_for):
    practiser("eve")
    _, ann, _ = paired
    assert client_for(ann).get("/api/practice/partners/eve/").status_code == 404
    assert client_for(ann).get("/api/practice/partners/nobody/").status_code == 404


def test_blocking_a_partner_keeps_them_apart_for_good(paired, client_for):
    pairing, ann, ben = paired
    response = client_for(ann).post(
        "/api/practice/blocks/",
        {"username": "ben", "reason": "Did not turn up twice", "report": True},
        format="json",
    )
    assert response.status_code == 201
    assert Block.objects.get().report is True
    services.pairing_cancel(user=ann, pairing_id=pairing.pk)
    wait_now(ann)
    wait_now(ben)
    assert match_requests().pairings == 0
    assert Pairing.objects.filter(status="scheduled").count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"username": "ben", "reason": ""},
        {"username": "ben", "reason": "   "},
        {"username": "ben"},
        {"username": "ben", "reason": "x", "report": "yes"},
        {"username": "ann", "reason": "myself"},
        {"username": "eve", "reason": "a stranger"},
        {"username": 5, "reason": "x"},
    ],
)
def test_a_bad_block_is_a_400_and_changes_nothing(paired, practiser, client_for, body):
    practiser("eve")
    _, ann, _ = paired
    assert client_for(ann).post("/api/practice/blocks/", body, format="json").status_code == 400
    assert Block.objects.count() == 0


def test_blocking_twice_is_a_400(paired, client_for):
    _, ann, _ = paired
    body = {"username": "ben", "reason": "rude"}
    assert client_for(ann).post("/api/practice/blocks/", body, format="json").status_code == 201
    assert client_for(ann).post("/api/practice/blocks/", body, format="json").status_code == 400
    assert Block.objects.count() == 1


def test_partners_see_how_the_interviewers_scores_agreed_with_self_assessments(paired, client_for):
    from interviews.models import Score, SelfAssessment

    pairing, ann, ben = paired
    end_sessions(pairing)
    session = pairing.interviews.get(order=1).session  # Ann interviewed Ben
    criteria = {c.step: c for c in session.rubric.criteria.exclude(step="")}
    steps = sorted(criteria)[:2]
    Score.objects.create(session=session, criterion=criteria[steps[0]], level=3)
    Score.objects.create(session=session, criterion=criteria[steps[1]], level=1)
    SelfAssessment.objects.create(session=session, levels={steps[0]: 3, steps[1]: 4})
    agreement = client_for(ben).get("/api/practice/partners/ann/").json()["agreement"]
    assert agreement == {"steps_compared": 2, "mean_gap": 1.5, "within_one_level": 0.5}
    assert client_for(ann).get("/api/practice/partners/ben/").json()["agreement"] == {
        "steps_compared": 0,
        "mean_gap": None,
        "within_one_level": None,
    }
