from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import InterviewSession
from practice import services
from practice.matching import match_requests
from practice.models import PracticeRequest
from tests.factories import CaseStudyFactory

DOMAINS = ("recommendation", "search", "ads", "nlp")


@pytest.fixture
def cases(db, rubric):
    """Eight cases, two per domain."""
    return [
        CaseStudyFactory(slug=f"{domain}-{i}", title=f"{domain} {i}", domain=domain)
        for domain in DOMAINS
        for i in range(2)
    ]


@pytest.fixture
def practiser(db, user_factory):
    """A user with a practice profile; keyword arguments override the profile's fields."""

    def make(username: str, **fields):
        user = user_factory(username=username)
        profile = {
            "target_role": "ML engineer",
            "level": "senior",
            "domains": ["recommendation"],
            "time_zone": "Europe/Berlin",
            "languages": ["en"],
            **fields,
        }
        services.profile_save(user=user, **profile)
        return user

    return make


def wait_now(user, *, now=None) -> PracticeRequest:
    """A waiting-room request, without running the matcher (tests run it when they choose)."""
    return services.request_create(user=user, kind="now", now=now)


@pytest.fixture
def paired(practiser, cases):
    """Ann and Ben, paired from the waiting room; the pairing starts in two days."""
    ann, ben = practiser("ann"), practiser("ben")
    wait_now(ann)
    wait_now(ben)
    assert match_requests().pairings == 1
    pairing = services.Pairing.objects.get()
    start = services.whole_minute(timezone.now() + timedelta(days=2))
    services.Pairing.objects.filter(pk=pairing.pk).update(starts_at=start)
    pairing.refresh_from_db()
    return pairing, ann, ben


def end_sessions(pairing) -> None:
    InterviewSession.objects.filter(practice_interview__pairing=pairing).update(
        status=InterviewSession.Status.ENDED, ended_at=timezone.now()
    )
