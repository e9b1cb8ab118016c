import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.guide import DOMAINS
from casestudies.services import content_files
from interviews.sessions import services as session_services
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db


def test_anonymous_users_cannot_browse_the_bank(client):
    assert client.get("/api/casestudies/").status_code == 403


def test_list_is_paginated_and_holds_every_case_in_the_bank(content, user_factory, client_for):
    api = client_for(user_factory())
    body = api.get("/api/casestudies/", {"page_size": 4}).json()
    assert body["count"] == len(content_files()) >= 20
    assert len(body["results"]) == 4
    assert body["next"] and body["previous"] is None
    assert "interviewer_guide" not in body["results"][0]
    assert set(body["results"][0]) == {"slug", "title", "domain", "difficulty", "tags", "prompt"}


def test_list_filters_by_domain_difficulty_tag_and_search(content, user_factory, client_for):
    api = client_for(user_factory())
    recs = api.get("/api/casestudies/", {"domain": "recommendation"}).json()["results"]
    assert recs and all(c["domain"] == "recommendation" for c in recs)
    hard = api.get("/api/casestudies/", {"difficulty": "hard"}).json()["results"]
    assert all(c["difficulty"] == "hard" for c in hard)
    tag = recs[0]["tags"][0]
    tagged = api.get("/api/casestudies/", {"tag": tag}).json()["results"]
    assert tagged and all(tag in c["tags"] for c in tagged)
    found = api.get("/api/casestudies/", {"search": "listing"}).json()["results"]
    assert "similar-listings" in [c["slug"] for c in found]


def test_list_is_ordered_by_domain_then_title(content, user_factory, client_for):
    results = client_for(user_factory()).get("/api/casestudies/", {"page_size": 100}).json()
    keys = [(c["domain"], c["title"]) for c in results["results"]]
    assert keys == sorted(keys)
    assert len({domain for domain, _ in keys}) >= 8


@pytest.mark.parametrize("domain", ["genai", "fintech", "logistics", "marketplace"])
def test_new_domains_filter_to_their_cases(content, user_factory, client_for, domain):
    found = client_for(user_factory()).get("/api/casestudies/", {"domain": domain}).json()
    assert found["count"] >= 1
    assert all(c["domain"] == domain for c in found["results"])


def test_facets_list_every_domain_with_counts_and_the_used_tags(content, user_factory, client_for):
    api = client_for(user_factory())
    body = api.get("/api/casestudies/facets/").json()
    assert [d["value"] for d in body["domains"]] == list(DOMAINS)
    assert sum(d["count"] for d in body["domains"]) == len(content)
    labels = {d["value"]: d["label"] for d in body["domains"]}
    assert labels["genai"] == "GenAI" and labels["nlp"] == "NLP"
    tags = {t["name"]: t["count"] for t in body["tags"]}
    assert tags and all(n >= 1 for n in tags.values())
    name, count = next(iter(tags.items()))
    assert api.get("/api/casestudies/", {"tag": name}).json()["count"] == count
    counts = [t["count"] for t in body["tags"]]
    assert counts == sorted(counts, reverse=True)


def test_facets_need_a_login(client):
    assert client.get("/api/casestudies/facets/").status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"domain": "astrology"},
        {"difficulty": "brutal"},
        {"page_size": 1000},
        {"page": 0},
        {"tag": "not a slug!"},
    ],
)
def test_bad_filters_are_400_with_field_errors(content, user_factory, client_for, params):
    response = client_for(user_factory()).get("/api/casestudies/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_list_query_count_does_not_grow_with_rows(user_factory, client_for):
    api = client_for(user_factory())
    CaseStudyFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        api.get("/api/casestudies/")
    CaseStudyFactory.create_batch(15)
    with CaptureQueriesContext(connection) as many:
        api.get("/api/casestudies/")
    assert len(many) == len(few)


def test_unknown_case_is_404(user_factory, client_for):
    assert client_for(user_factory()).get("/api/casestudies/nope/").status_code == 404


def test_guide_is_hidden_from_users_who_do_not_interview_that_case(
    rubric, case_study, user_factory, client_for
):
    stranger = user_factory()
    body = client_for(stranger).get(f"/api/casestudies/{case_study.slug}/").json()
    assert body["prompt"] and "interviewer_guide" not in body


def test_guide_is_shown_to_the_interviewer_of_a_session_on_that_case_only(
    interview, user_factory, client_for
):
    session, interviewer, candidate = interview
    url = f"/api/casestudies/{session.case_study.slug}/"
    assert "interviewer_guide" in client_for(interviewer).get(url).json()
    assert "interviewer_guide" not in client_for(candidate).get(url).json()
    other = CaseStudyFactory()
    assert (
        "interviewer_guide"
        not in client_for(interviewer).get(f"/api/casestudies/{other.slug}/").json()
    )


def test_candidate_who_creates_a_session_does_not_get_the_guide(
    rubric, case_study, user_factory, client_for
):
    candidate = user_factory()
    session_services.session_create(user=candidate, case_study=case_study, role="candidate")
    body = client_for(candidate).get(f"/api/casestudies/{case_study.slug}/").json()
    assert "interviewer_guide" not in body


def test_staff_see_the_guide(case_study, user_factory, client_for):
    staff = user_factory(is_staff=True)
    body = client_for(staff).get(f"/api/casestudies/{case_study.slug}/").json()
    assert body["interviewer_guide"]["steps"]["clarify"]["hints"]
