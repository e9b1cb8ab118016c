"""The matcher as a real Celery worker runs it: queued from the request's commit."""

import pytest

from config.celery import app as celery_app
from practice.models import Pairing, PracticeRequest
from tests.conftest import require_service
from tests.live import Worker, wait_for, wait_until_servers_left_the_database

from .conftest import wait_now

pytestmark = [pytest.mark.needs_redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    require_service("REDIS_URL", "Redis")
    celery_app.control.purge()
    started = Worker(name="practice").start()
    yield started
    started.stop()
    wait_until_servers_left_the_database()


def test_a_worker_pairs_two_requests_once_they_are_committed(worker, practiser, cases):
    wait_now(practiser("ann"))
    wait_now(practiser("ben"))
    pairing = wait_for(lambda: Pairing.objects.first(), timeout=90)
    assert set(PracticeRequest.objects.values_list("status", flat=True)) == {"matched"}
    assert pairing.interviews.count() == 2
