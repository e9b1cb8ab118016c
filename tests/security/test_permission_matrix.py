"""Who may do what: every URL of the REST API × every method × every role, generated from the URL
patterns, so a new URL (or a new method on one) fails here until its row says who may use it.

Roles: an anonymous visitor, the interviewer and the candidate of one session, and an outsider
(logged in, not part of it). The session has ended, its report is built, and feedback is not
released yet: the state in which the most is hidden from the candidate. Every request runs in a
savepoint that is rolled back, so each cell sees the same state.
"""

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from interviews.feedback import services as feedback_services
from interviews.models import Report
from interviews.reports.build import report_build
from practice import services as practice_services
from practice.matching import match_requests
from practice.models import Pairing
from tests.factories import CaseStudyFactory
from tests.interviews.scripted import play

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "interviewer", "candidate", "outsider")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PASSWORD = "correct-horse-battery"
S = "api/sessions/<uuid:session_id>/"
PR = "api/practice/"
P = PR + "pairings/<uuid:pairing_id>/"

# Unsupported methods: 405 for everyone where the view is open to all, 403 for anonymous
# visitors where it needs a login (DRF checks the login before the method).
OPEN = (405, 405, 405, 405)
LOGIN = (403, 405, 405, 405)

# route -> ({method: (anonymous, interviewer, candidate, outsider)}, unsupported methods)
MATRIX: dict[str, tuple[dict[str, tuple[int, int, int, int]], tuple[int, int, int, int]]] = {
    "api/auth/csrf/": ({"GET": (200, 200, 200, 200)}, OPEN),
    "api/auth/signup/": ({"POST": (201, 201, 201, 201)}, OPEN),
    "api/auth/login/": ({"POST": (200, 200, 200, 200)}, OPEN),
    "api/auth/logout/": ({"POST": (204, 204, 204, 204)}, OPEN),
    # Answers everyone: logged out, it says so with 200 (no console error on public pages).
    "api/auth/me/": ({"GET": (200, 200, 200, 200)}, OPEN),
    "api/framework/": ({"GET": (200, 200, 200, 200)}, OPEN),
    "api/casestudies/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    "api/casestudies/facets/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    "api/casestudies/<slug:slug>/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    "api/rubrics/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    "api/rubrics/<int:rubric_id>/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    "api/sessions/": ({"GET": (403, 200, 200, 200), "POST": (403, 201, 201, 201)}, LOGIN),
    # Someone else's session does not exist for an outsider (404, never 403).
    S: ({"GET": (403, 200, 200, 404)}, LOGIN),
    S + "scores/": ({"GET": (403, 200, 403, 404), "PUT": (403, 200, 403, 404)}, LOGIN),
    S + "notes/": ({"GET": (403, 200, 403, 404), "PUT": (403, 200, 403, 404)}, LOGIN),
    S + "release/": ({"POST": (403, 200, 403, 404)}, LOGIN),
    # The candidate sees the report's status; its content stays hidden until release.
    S + "report/": ({"GET": (403, 200, 200, 404)}, LOGIN),
    S + "report/regenerate/": ({"POST": (403, 202, 403, 404)}, LOGIN),
    # Reviewing the report's credits and pitfalls before release: the interviewer only.
    S + "report/overrides/": ({"PUT": (403, 200, 403, 404)}, LOGIN),
    S + "report/pdf/": ({"GET": (403, 200, 403, 404)}, LOGIN),
    S + "report/json/": ({"GET": (403, 200, 403, 404)}, LOGIN),
    S + "self-assessment/": ({"GET": (403, 200, 200, 404), "PUT": (403, 403, 200, 404)}, LOGIN),
    # An invite is a capability: whoever holds the link may read what it is for. This one was
    # used by the candidate (accepting again is harmless for them, refused for anyone else).
    # Recording (docs/recording.md). The session has ended: consent can no longer change (409)
    # and an upload without its start and duration is a bad request (400).
    S + "recording/": ({"GET": (403, 200, 200, 404), "DELETE": (403, 200, 200, 404)}, LOGIN),
    S + "recording/consent/": ({"POST": (403, 409, 409, 404)}, LOGIN),
    S + "recording/chunks/<int:index>/": ({"PUT": (403, 400, 400, 404)}, LOGIN),
    # Nothing was recorded: there is no chunk to play, whoever asks.
    S + "recording/audio/<int:chunk_id>/": ({"GET": (403, 404, 404, 404)}, LOGIN),
    # The replay of the ended interview: its participants (markers: the interviewer's only).
    S + "replay/": ({"GET": (403, 200, 200, 404)}, LOGIN),
    S + "replay/board/<int:index>/": ({"GET": (403, 200, 200, 404)}, LOGIN),
    "api/invites/<str:token>/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    "api/invites/<str:token>/accept/": ({"POST": (403, 400, 200, 400)}, LOGIN),
    # Peer practice: the interviewer and the candidate are also paired for practice, in two
    # days; the outsider has no practice profile.
    PR + "profile/": ({"GET": (403, 200, 200, 404), "PUT": (403, 200, 200, 200)}, LOGIN),
    PR + "availability/": ({"GET": (403, 200, 200, 404), "PUT": (403, 200, 200, 400)}, LOGIN),
    # Both are in a pairing already; the outsider has no profile to match on.
    PR + "requests/": ({"GET": (403, 200, 200, 200), "POST": (403, 400, 400, 400)}, LOGIN),
    # The interviewer's request, matched already.
    PR + "requests/<int:request_id>/cancel/": ({"POST": (403, 400, 404, 404)}, LOGIN),
    PR + "pairings/": ({"GET": (403, 200, 200, 200)}, LOGIN),
    P: ({"GET": (403, 200, 200, 404)}, LOGIN),
    P + "cancel/": ({"POST": (403, 200, 200, 404)}, LOGIN),
    P + "reschedule/": ({"POST": (403, 200, 200, 404)}, LOGIN),
    # Nothing proposed yet; too early to arrive or to call a no-show.
    P + "reschedule/accept/": ({"POST": (403, 400, 400, 404)}, LOGIN),
    P + "arrived/": ({"POST": (403, 400, 400, 404)}, LOGIN),
    P + "no-show/": ({"POST": (403, 400, 400, 404)}, LOGIN),
    P + "calendar.ics": ({"GET": (403, 200, 200, 404)}, LOGIN),
    # Interview 1: the interviewer interviews the candidate; only they choose its case.
    P + "interviews/<int:order>/case/": ({"PUT": (403, 200, 403, 404)}, LOGIN),
    # Only the candidate rates, once the interview ended (it has not): nobody else ever.
    P + "interviews/<int:order>/rating/": ({"POST": (403, 403, 400, 403)}, LOGIN),
    # The candidate's practice profile: seen by their partner only.
    PR + "partners/<str:username>/": ({"GET": (403, 200, 404, 404)}, LOGIN),
    # Blocking the candidate: their partner may; they cannot block themselves, nor an outsider
    # someone they never met.
    PR + "blocks/": ({"POST": (403, 201, 400, 400)}, LOGIN),
    "api/schema/": ({"GET": (200, 200, 200, 200)}, OPEN),
    "api/docs/": ({"GET": (200, 200, 200, 200)}, OPEN),
}


def api_routes() -> list[str]:
    """Every route under api/ in config.urls, as written there."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                found.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, "")
    return [route for route in found if route.startswith("api/")]


def test_every_api_route_has_a_row_in_the_matrix():
    routes = api_routes()
    assert len(routes) == len(set(routes))
    assert sorted(routes) == sorted(MATRIX), "add the new URL to MATRIX with who may use it"


@pytest.fixture
def world(interview, client_for):
    """An ended, scored interview with a built report, a private and a shared note, a
    self-assessment, and feedback not released."""
    session, interviewer, candidate = interview
    outsider = type(interviewer).objects.create_user("otto", password=PASSWORD)
    session = play(session, interviewer, candidate, {"clarify": {"seconds": 60}, "frame": {}})
    criterion = session.rubric.criteria.first()
    feedback_services.score_set(
        session=session, role="interviewer", criterion_key=criterion.key, level=3, comment="ok"
    )
    feedback_services.note_save(
        session=session, role="interviewer", step="clarify", text="PRIVATE-NOTE"
    )
    feedback_services.note_save(
        session=session, role="interviewer", step="frame", text="SHARED-NOTE", shared=True
    )
    feedback_services.self_assessment_save(session=session, role="candidate", levels={"clarify": 2})
    assert report_build(session_id=session.pk, force=True) == "ready"
    token = session.invites.get().token
    users = {"interviewer": interviewer, "candidate": candidate, "outsider": outsider}
    pairing = practice_pairing(interviewer, candidate)
    first = pairing.interviews.get(order=1)
    params = {
        "session_id": str(session.pk),
        "token": token,
        "slug": session.case_study.slug,
        "rubric_id": str(session.rubric_id),
        "index": "0",
        "chunk_id": "1",
        "pairing_id": str(pairing.pk),
        "request_id": str(pairing.requests.get(user=interviewer).pk),
        "order": "1",
        "username": candidate.username,
    }
    bodies = {
        ("api/auth/signup/", "POST"): {"username": "newbie", "password": "a-long-odd-passphrase"},
        ("api/auth/login/", "POST"): {"username": "iris", "password": PASSWORD},
        ("api/sessions/", "POST"): {"case_study": session.case_study.slug, "role": "candidate"},
        (S + "scores/", "PUT"): {"criterion": criterion.key, "level": 2},
        (S + "notes/", "PUT"): {"step": "clarify", "text": "more"},
        (S + "self-assessment/", "PUT"): {"levels": {"clarify": 3}},
        (S + "recording/consent/", "POST"): {"consent": True},
        (S + "report/overrides/", "PUT"): {
            "kind": "pitfall",
            "key": Report.objects.get(session=session).content["pitfalls"][0]["code"],
            "decision": "rejected",
        },
        (PR + "profile/", "PUT"): PRACTICE_PROFILE,
        (PR + "availability/", "PUT"): {
            "slots": [{"weekday": 1, "start": "18:00", "end": "20:00"}]
        },
        (PR + "requests/", "POST"): {"kind": "now"},
        (P + "reschedule/", "POST"): {
            "starts_at": (timezone.now() + timedelta(days=3)).isoformat()
        },
        (P + "interviews/<int:order>/case/", "PUT"): {"case_study": first.case_study.slug},
        (P + "interviews/<int:order>/rating/", "POST"): {
            "preparedness": 3,
            "hint_clarity": 3,
            "feedback_quality": 3,
        },
        (PR + "blocks/", "POST"): {"username": candidate.username, "reason": "never on time"},
    }
    return session, users, params, bodies


PRACTICE_PROFILE = {
    "target_role": "ML engineer",
    "level": "senior",
    "domains": [],
    "time_zone": "UTC",
    "languages": ["en"],
}


def practice_pairing(a, b):
    """`a` and `b` paired for practice from the waiting room, starting in two days."""
    CaseStudyFactory(slug="practice-one")
    CaseStudyFactory(slug="practice-two")
    for user in (a, b):
        practice_services.profile_save(user=user, **PRACTICE_PROFILE)
        practice_services.request_create(user=user, kind="now")
    assert match_requests().pairings == 1
    pairing = Pairing.objects.get()
    Pairing.objects.filter(pk=pairing.pk).update(starts_at=timezone.now() + timedelta(days=2))
    return pairing


def client(role: str, users: dict, handler) -> APIClient:
    """A browser-like client (CSRF on) as `role`, on a shared request handler (each new handler
    loads the middleware again, and WhiteNoise's scans the built app's files)."""
    api = APIClient(enforce_csrf_checks=True)
    api.handler = handler
    if role != "anonymous":
        api.force_login(users[role])
    api.get("/api/auth/csrf/")
    api.credentials(HTTP_X_CSRFTOKEN=api.cookies["csrftoken"].value)
    return api


def url(route: str, params: dict) -> str:
    path = route
    converters = (
        "uuid:session_id",
        "str:token",
        "slug:slug",
        "int:rubric_id",
        "int:index",
        "int:chunk_id",
        "uuid:pairing_id",
        "int:request_id",
        "int:order",
        "str:username",
    )
    for converter in converters:
        path = path.replace(f"<{converter}>", params[converter.split(":")[1]])
    assert "<" not in path, path
    return "/" + path


def test_every_url_method_and_role_gets_the_status_the_matrix_says(world):
    session, users, params, bodies = world
    handler = APIClient(enforce_csrf_checks=True).handler
    wrong = []
    for route, (allowed, unsupported) in MATRIX.items():
        for method in METHODS:
            expected_row = allowed.get(method, unsupported)
            for role, expected in zip(ROLES, expected_row, strict=True):
                with transaction.atomic():
                    api = client(role, users, handler)
                    response = api.generic(
                        method,
                        url(route, params),
                        data=json.dumps(bodies.get((route, method), {})),
                        content_type="application/json",
                    )
                    transaction.set_rollback(True)
                if response.status_code != expected:
                    wrong.append((method, route, role, expected, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


def test_the_candidate_never_sees_the_guide_private_notes_or_unreleased_scores(world, client_for):
    session, users, params, _ = world
    base = f"/api/sessions/{session.pk}/"
    interviewer, candidate = client_for(users["interviewer"]), client_for(users["candidate"])

    detail = interviewer.get(base).json()
    assert "interviewer_guide" in detail and "invites" in detail
    detail = candidate.get(base).json()
    assert "interviewer_guide" not in detail and "invites" not in detail

    assert candidate.get(base + "scores/").status_code == 403
    assert candidate.get(base + "notes/").status_code == 403
    report = candidate.get(base + "report/").json()
    assert report["status"] == "ready" and report["content"] is None and report["error"] == ""
    assert "PRIVATE-NOTE" not in candidate.get(base + "report/").content.decode()

    assert interviewer.post(base + "release/").status_code == 200
    notes = candidate.get(base + "notes/").json()
    assert [n["text"] for n in notes] == ["SHARED-NOTE"]
    assert candidate.get(base + "scores/").status_code == 200
    everything = b"".join(
        candidate.get(base + path).content
        for path in ("", "notes/", "scores/", "report/", "report/json/", "self-assessment/")
    )
    assert b"PRIVATE-NOTE" not in everything
    assert b"interviewer_guide" not in everything
    assert b"SHARED-NOTE" in everything
    assert interviewer.get(base + "notes/").json()[0]["text"] == "PRIVATE-NOTE"


def test_an_outsider_learns_nothing_about_the_session(world, client_for):
    session, users, params, _ = world
    outsider = client_for(users["outsider"])
    listed = outsider.get("/api/sessions/").json()
    assert listed["count"] == 0
    body = outsider.get(f"/api/sessions/{session.pk}/").json()
    assert body == {"detail": "Not found."} or set(body) == {"detail"}
