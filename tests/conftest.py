import os
from functools import cache

import pytest
from rest_framework.test import APIClient

from casestudies.services import case_study_upsert, content_files, read_case_study_file
from config.celery import app as celery_app
from rubrics.services import RUBRIC_CONTENT_DIR, rubric_load_file
from testkit.interviews import interview_between

from .factories import CaseStudyFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_service(env_var: str, what: str) -> str:
    """The URL of a real service for tests that need one. In CI a missing service fails the
    test (it must never pass by skipping); elsewhere the test is skipped with the reason."""
    url = os.environ.get(env_var, "")
    if not url:
        message = f"{what} needed: set {env_var}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return url


@cache
def _parsed_case_studies() -> tuple[dict, ...]:
    return tuple(read_case_study_file(path) for path in content_files())


@pytest.fixture
def rubric(db):
    """Version 1 of the default rubric (it only averages), loaded from its content file."""
    rubric, _ = rubric_load_file(RUBRIC_CONTENT_DIR / "ml-system-design.yaml")
    return rubric


@pytest.fixture
def rubric_v2(db, rubric):
    """Version 2 of the default rubric (must-pass criteria, target levels), loaded after
    version 1 as load_content does: new sessions use it."""
    rubric, _ = rubric_load_file(RUBRIC_CONTENT_DIR / "ml-system-design.v2.yaml")
    return rubric


@pytest.fixture
def content(db, rubric):
    """All case studies and the default rubric, as `load_content` would load them."""
    return [case_study_upsert(fields=fields)[0] for fields in _parsed_case_studies()]


@pytest.fixture
def case_study(db):
    return CaseStudyFactory()


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def client_for():
    """An API client logged in as the given user (CSRF checks on, as in a browser), sending
    JSON bodies as the browser app does."""

    def make(user) -> APIClient:
        client = APIClient(enforce_csrf_checks=True)
        client.default_format = "json"
        client.force_login(user)
        client.get("/api/auth/csrf/")
        client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
        return client

    return make


@pytest.fixture
def interview(db, rubric, case_study, user_factory):
    """A session with an interviewer and a candidate who accepted the invite."""
    interviewer = user_factory(username="iris")
    candidate = user_factory(username="cole")
    return interview_between(interviewer, candidate, case_study), interviewer, candidate


@pytest.fixture
def inline_tasks():
    """Celery tasks run inline in the caller, also where REDIS_URL names a real broker: for
    tests of what a task does, not of the worker (tests/interviews/recordings/test_worker.py)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
