"""The matcher: who gets paired with whom, the pairing's two interviews, fairness, and no
person in two pairings however many matchers run at once."""

import os
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from interviews.models import Participant, Role
from practice import services
from practice.matching import match_requests
from practice.models import Block, Pairing, PairingSeat, PracticeRequest

from .conftest import wait_now

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_two_people_in_the_waiting_room_are_paired_at_once_over_http(
    practiser, cases, client_for, inline_tasks
):
    ann, ben = practiser("ann"), practiser("ben")
    first = client_for(ann).post("/api/practice/requests/", {"kind": "now"}, format="json")
    assert first.status_code == 201 and first.json()["status"] == "waiting"
    second = client_for(ben).post("/api/practice/requests/", {"kind": "now"}, format="json")
    assert second.status_code == 201
    # The matcher ran inline once the request committed: the answer shows the outcome.
    assert second.json()["status"] == "matched"
    pairing = Pairing.objects.get()
    assert str(pairing.pk) == second.json()["pairing_id"]
    assert PracticeRequest.objects.get(user=ann).pairing == pairing


def test_a_pairing_is_two_interviews_with_roles_swapped_on_fresh_cases(paired):
    pairing, ann, ben = paired
    first, second = pairing.interviews.order_by("order")
    assert (first.order, first.interviewer, first.candidate) == (1, ann, ben)
    assert (second.order, second.interviewer, second.candidate) == (2, ben, ann)
    assert first.case_study != second.case_study
    for interview in (first, second):
        roles = dict(
            Participant.objects.filter(session=interview.session).values_list("user_id", "role")
        )
        assert roles == {
            interview.interviewer.pk: Role.INTERVIEWER,
            interview.candidate.pk: Role.CANDIDATE,
        }
        assert interview.session.case_study == interview.case_study
    assert second.session.scheduled_for - first.session.scheduled_for == timedelta(minutes=45)
    assert set(PairingSeat.objects.filter(active=True).values_list("user_id", flat=True)) == {
        ann.pk,
        ben.pk,
    }


def test_the_longest_waiting_request_is_served_first(practiser, cases):
    ann, ben, cid = practiser("ann"), practiser("ben"), practiser("cid")
    now = timezone.now()
    for offset, user in enumerate((ann, ben, cid)):
        wait_now(user, now=now + timedelta(seconds=offset))
    PracticeRequest.objects.filter(user=ann).update(created_at=now)
    PracticeRequest.objects.filter(user=ben).update(created_at=now + timedelta(seconds=1))
    PracticeRequest.objects.filter(user=cid).update(created_at=now + timedelta(seconds=2))
    assert match_requests(now=now + timedelta(seconds=3)).pairings == 1
    pairing = Pairing.objects.get()
    assert {pairing.user_a, pairing.user_b} == {ann, ben}
    assert PracticeRequest.objects.get(user=cid).status == "waiting"


def test_among_equal_partners_the_one_who_waited_longer_wins(practiser, cases):
    """Cid, who waited longest, picks; Ben and Dan fit him equally; Ben came first."""
    cid = practiser("cid")
    ben, dan = practiser("ben"), practiser("dan")
    now = timezone.now()
    for offset, user in enumerate((cid, dan, ben)):
        wait_now(user)
        PracticeRequest.objects.filter(user=user).update(created_at=now + timedelta(seconds=offset))
    PracticeRequest.objects.filter(user=ben).update(created_at=now + timedelta(seconds=1))
    PracticeRequest.objects.filter(user=dan).update(created_at=now + timedelta(seconds=2))
    match_requests()
    pairing = Pairing.objects.get()
    assert {pairing.user_a, pairing.user_b} == {cid, ben}


def test_a_better_fit_beats_a_longer_wait(practiser, cases):
    ann = practiser("ann", domains=["search"])
    wait_now(ann)
    wait_now(practiser("ben", domains=["ads"]))
    wait_now(practiser("cid", domains=["search"]))
    match_requests()
    pairing = Pairing.objects.get()
    assert {pairing.user_a.username, pairing.user_b.username} == {"ann", "cid"}


def test_levels_two_steps_apart_are_not_paired(practiser, cases):
    wait_now(practiser("ann", level="mid"))
    wait_now(practiser("ben", level="staff"))
    assert match_requests().pairings == 0


def test_a_blocked_partner_is_never_matched_again(paired):
    pairing, ann, ben = paired
    Block.objects.create(blocker=ben, blocked=ann, reason="rude")
    services.pairing_cancel(user=ann, pairing_id=pairing.pk)
    wait_now(ann)
    wait_now(ben)
    assert match_requests().pairings == 0


def test_a_new_partner_is_preferred_to_a_repeat_one(paired, practiser):
    pairing, ann, ben = paired
    services.pairing_cancel(user=ann, pairing_id=pairing.pk)
    wait_now(ann)
    wait_now(ben)
    wait_now(practiser("cid"))
    match_requests()
    latest = Pairing.objects.filter(status="scheduled").get()
    assert ben.pk not in latest.user_ids() or ann.pk not in latest.user_ids()


def test_someone_in_a_pairing_cannot_ask_for_another(paired, client_for):
    _, ann, _ = paired
    response = client_for(ann).post("/api/practice/requests/", {"kind": "now"}, format="json")
    assert response.status_code == 400
    assert PracticeRequest.objects.filter(user=ann).count() == 1


def test_a_second_waiting_request_is_a_400(practiser, cases, client_for):
    client = client_for(practiser("ann"))
    assert client.post("/api/practice/requests/", {"kind": "now"}, format="json").status_code == 201
    again = client.post("/api/practice/requests/", {"kind": "now"}, format="json")
    assert again.status_code == 400
    assert PracticeRequest.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "later"},
        {"kind": "slot"},
        {"kind": "slot", "slot": 1},
        {"kind": "slot", "slot": "1", "date": "2030-01-07"},
        {"kind": 1},
        {},
    ],
)
def test_a_malformed_request_is_a_400(practiser, cases, client_for, body):
    response = client_for(practiser("ann")).post("/api/practice/requests/", body, format="json")
    assert response.status_code == 400
    assert PracticeRequest.objects.count() == 0


def test_slot_requests_with_overlapping_windows_are_paired_in_the_overlap(
    practiser, cases, client_for
):
    """Ann (Berlin) and Ben (London) both have Monday evening; a week ahead they meet when
    both are free."""
    ann = practiser("ann", time_zone="Europe/Berlin")
    ben = practiser("ben", time_zone="Europe/London")
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    for user, start, end in ((ann, "19:00", "22:00"), (ben, "17:00", "19:30")):
        client = client_for(user)
        body = {"slots": [{"weekday": 0, "start": start, "end": end}]}
        slot = client.put("/api/practice/availability/", body, format="json").json()["slots"][0]
        response = client.post(
            "/api/practice/requests/",
            {"kind": "slot", "slot": slot["id"], "date": monday.isoformat()},
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert match_requests().pairings == 1
    pairing = Pairing.objects.get()
    # 19:00 Berlin = 18:00 London (winter): Ben's window leaves 90 minutes from then.
    assert pairing.starts_at.astimezone(services.zone_check("Europe/London")).hour == 18


def test_a_slot_on_the_wrong_weekday_or_in_the_past_is_a_400(practiser, cases, client_for):
    ann = practiser("ann")
    client = client_for(ann)
    body = {"slots": [{"weekday": 0, "start": "19:00", "end": "22:00"}]}
    slot = client.put("/api/practice/availability/", body, format="json").json()["slots"][0]
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    tuesday, past, too_far = (monday + timedelta(days=n) for n in (1, -14, 70))
    for date in (tuesday, past, too_far):
        response = client.post(
            "/api/practice/requests/",
            {"kind": "slot", "slot": slot["id"], "date": date.isoformat()},
            format="json",
        )
        assert response.status_code == 400
    assert PracticeRequest.objects.count() == 0


def _is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not _is_postgres(), reason="row locks need PostgreSQL (DATABASE_URL)")
def test_matchers_running_at_once_never_put_anyone_in_two_pairings(practiser, cases):
    assert connection.vendor == "postgresql"
    users = [practiser(f"p{i:02d}", level=("mid", "senior", "staff")[i % 3]) for i in range(40)]
    for user in users:
        wait_now(user)
    start = threading.Barrier(4)
    results, errors = [], []

    def work() -> None:
        try:
            start.wait(timeout=30)
            results.append(match_requests())
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert all(not t.is_alive() for t in threads)
    pairings = list(Pairing.objects.all())
    seated = Counter(uid for p in pairings for uid in p.user_ids())
    assert seated and max(seated.values()) == 1
    assert sum(r.pairings for r in results) == len(pairings)
    matched = PracticeRequest.objects.filter(status="matched").count()
    assert matched == 2 * len(pairings)
    # Everyone who could be paired was: at most one person per level is left over.
    assert PracticeRequest.objects.filter(status="waiting").count() <= 3
