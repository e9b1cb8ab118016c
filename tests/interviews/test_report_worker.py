"""Reports built by a real Celery worker from the real Redis broker, including a worker killed
in the middle of a report."""

import psycopg
import pytest
from django.db import connection

from config.celery import app as celery_app
from interviews.models import Report
from interviews.room import services as room_services
from testkit.excalidraw import text_element
from testkit.interviews import interview_between, timer
from tests.conftest import require_service
from tests.factories import CaseStudyFactory, UserFactory
from tests.live import Worker, launched, wait_for

from .scripted import draw

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workers():
    require_service("REDIS_URL", "Redis")
    celery_app.control.purge()
    with launched(Worker) as start:
        yield start


@pytest.fixture
def ended_soon(rubric):
    """A played session, ready to be ended (ending it queues the report)."""
    case = CaseStudyFactory()
    interviewer, candidate = UserFactory(username="iris"), UserFactory(username="cole")
    session = interview_between(interviewer, candidate, case)
    timer(session, "timer.start")
    for i in range(50):
        draw(session, candidate, "candidate", text_element(f"t{i}", f"idea {i}: cache it"))
    return session


def report(session) -> Report:
    return Report.objects.get(session=session)


def test_a_real_worker_builds_the_report_after_the_interview_ends(workers, ended_soon):
    workers()
    room_services.session_end(session_id=ended_soon.pk, role="interviewer")
    done = wait_for(lambda: report(ended_soon).status == "ready" and report(ended_soon), timeout=60)
    assert done.completions == 1 and done.content["whiteboard"]["final"].startswith("<svg")


def test_a_worker_killed_mid_report_completes_it_exactly_once_after_restart(workers, ended_soon):
    require_service("DATABASE_URL", "PostgreSQL")
    assert connection.vendor == "postgresql"
    # Hold the notes table so the build stops midway: after it marked itself running, before
    # it could finish.
    db = connection.settings_dict
    blocker = psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        dbname=db["NAME"],
        password=db["PASSWORD"] or None,
    )
    blocker.execute("LOCK TABLE interviews_note IN ACCESS EXCLUSIVE MODE")
    first = workers(visibility_timeout=3, name="first")
    room_services.session_end(session_id=ended_soon.pk, role="interviewer")
    wait_for(lambda: report(ended_soon).status == "running", timeout=60)
    first.kill()
    blocker.rollback()
    blocker.close()
    assert report(ended_soon).status == "running" and report(ended_soon).completions == 0

    workers(visibility_timeout=3, name="second")
    done = wait_for(lambda: report(ended_soon).status == "ready" and report(ended_soon), timeout=90)
    assert done.completions == 1 and done.attempts == 2
    # And nothing runs it a third time.
    import time

    time.sleep(5)
    assert report(ended_soon).completions == 1
