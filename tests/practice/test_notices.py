"""In-app notices about pairings: who hears what, only after the change committed, in the
shape the protocol defines; and the first interview's room pointing at the second."""

from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import InterviewSession
from interviews.room.services import session_end
from practice import notices, reminders, services
from practice.matching import match_requests
from practice.models import Pairing, PracticeProfile
from tests.protocol_check import check_outbound

from .conftest import end_sessions, wait_now

pytestmark = pytest.mark.django_db

GOOD = {"preparedness": 3, "hint_clarity": 3, "feedback_quality": 3, "comment": ""}


@pytest.fixture
def published(monkeypatch):
    """What reached the transport: (user id, message) for users, (session id, message) for
    rooms, each checked against its definition."""
    sent = {"users": [], "rooms": []}

    def users(user_ids, message):
        sent["users"].extend((uid, check_outbound(message)) for uid in user_ids)

    def room(session_id, message):
        sent["rooms"].append((str(session_id), check_outbound(message)))

    monkeypatch.setattr("practice.sessions_bridge.users_publish", users)
    monkeypatch.setattr("practice.sessions_bridge.room_publish", room)
    return sent


def events_of(sent, user) -> list[str]:
    return [m["event"] for uid, m in sent["users"] if uid == user.pk]


def test_both_people_hear_of_their_pairing_once_it_committed(
    practiser, cases, published, django_capture_on_commit_callbacks
):
    ann, ben = practiser("ann"), practiser("ben")
    wait_now(ann)
    wait_now(ben)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert match_requests().pairings == 1
    assert published["users"] == []  # nothing before the commit
    for callback in callbacks:
        callback()
    pairing = Pairing.objects.get()
    by_user = {uid: m for uid, m in published["users"] if m["event"] == "pairing.made"}
    assert set(by_user) == {ann.pk, ben.pk}
    assert "ben" in by_user[ann.pk]["text"] and "ann" in by_user[ben.pk]["text"]
    assert by_user[ann.pk]["pairing_id"] == str(pairing.pk)


def test_the_partner_hears_of_a_cancellation_and_of_a_new_time(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    PracticeProfile.objects.filter(user=ben).update(time_zone="America/New_York")
    new_time = pairing.starts_at + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.pairing_propose_time(user=ann, pairing_id=pairing.pk, starts_at=new_time)
    assert events_of(published, ben) == ["pairing.time_proposed"]
    assert events_of(published, ann) == []
    proposed = published["users"][-1][1]["text"]
    assert "ann" in proposed and "America/New_York" in proposed
    assert notices.local_time(ben, new_time) in proposed
    with django_capture_on_commit_callbacks(execute=True):
        services.pairing_accept_time(user=ben, pairing_id=pairing.pk)
    assert events_of(published, ann) == ["pairing.moved"]
    moved = published["users"][-1][1]["text"]
    assert "ben" in moved and notices.local_time(ann, new_time) in moved
    assert "Europe/Berlin" in moved
    with django_capture_on_commit_callbacks(execute=True):
        services.pairing_cancel(user=ben, pairing_id=pairing.pk)
    assert events_of(published, ann) == ["pairing.moved", "pairing.cancelled"]
    assert "ben" in published["users"][-1][1]["text"]


def test_the_reveal_is_announced_to_both_interviewers_when_the_second_rating_lands(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    end_sessions(pairing)
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(user=ben, pairing_id=pairing.pk, order=1, **GOOD)
    assert published["users"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(user=ann, pairing_id=pairing.pk, order=2, **GOOD)
    assert events_of(published, ann) == ["rating.revealed"]
    assert events_of(published, ben) == ["rating.revealed"]


def test_a_rating_left_unanswered_is_announced_once_its_48_hours_are_over(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    end_sessions(pairing)
    with django_capture_on_commit_callbacks(execute=True):
        rating = services.rating_submit(user=ben, pairing_id=pairing.pk, order=1, **GOOD)
    rated = rating.subject
    due = rating.submitted_at + timedelta(hours=48)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ratings_reveal_announce_due(now=due - timedelta(minutes=1)) == 0
    assert published["users"] == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ratings_reveal_announce_due(now=due) == 1
    assert events_of(published, rated) == ["rating.revealed"]
    assert "48 hours" in published["users"][0][1]["text"]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.ratings_reveal_announce_due(now=due + timedelta(hours=1)) == 0
    assert len(published["users"]) == 1
    assert events_of(published, ben if rated == ann else ann) == []


def test_a_reveal_announced_at_the_second_rating_is_not_announced_again(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    end_sessions(pairing)
    with django_capture_on_commit_callbacks(execute=True):
        services.rating_submit(user=ben, pairing_id=pairing.pk, order=1, **GOOD)
        services.rating_submit(user=ann, pairing_id=pairing.pk, order=2, **GOOD)
    assert len(published["users"]) == 2
    with django_capture_on_commit_callbacks(execute=True):
        later = timezone.now() + timedelta(days=3)
        assert services.ratings_reveal_announce_due(now=later) == 0
    assert len(published["users"]) == 2


def test_a_reminder_reaches_the_app_also_without_an_email_address(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    type(ann).objects.filter(pk=ann.pk).update(email="")
    Pairing.objects.filter(pk=pairing.pk).update(created_at=pairing.starts_at - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_send(now=pairing.starts_at - timedelta(minutes=14)) == 2
    assert events_of(published, ann) == ["pairing.reminder"]
    assert "15 minutes" in published["users"][0][1]["text"]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.reminders_send(now=pairing.starts_at - timedelta(minutes=13)) == 0
    assert len(published["users"]) == 2


def test_ending_the_first_interview_points_its_room_at_the_second(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    first, second = pairing.interviews.order_by("order")
    InterviewSession.objects.filter(pk=first.session_id).update(
        status="live", started_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_end(session_id=first.session_id, role="interviewer")
    ((room, message),) = published["rooms"]
    assert room == str(first.session_id)
    assert message["event"] == "interview.next"
    assert message["session_id"] == str(second.session_id)
    # Roles swap: Ben was the candidate, he interviews now.
    assert "ben interviews ann" in message["text"]
    assert {uid for uid, _ in published["users"]} == {ann.pk, ben.pk}


def test_ending_the_second_interview_announces_nothing_next(
    paired, published, django_capture_on_commit_callbacks
):
    pairing, ann, ben = paired
    second = pairing.interviews.get(order=2)
    InterviewSession.objects.filter(pk=second.session_id).update(
        status="live", started_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        session_end(session_id=second.session_id, role="interviewer")
    assert published == {"users": [], "rooms": []}
