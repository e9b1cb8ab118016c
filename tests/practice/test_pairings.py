"""A pairing's life: its calendar file, reminders, moving it, calling it off, no-shows,
strikes and the suspension they lead to."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from interviews.models import InterviewSession, RoomConnection
from practice import reminders, services
from practice.matching import match_requests
from practice.models import Pairing, PairingSeat, PracticeRequest, Strike

from .conftest import wait_now

pytestmark = pytest.mark.django_db


def move(pairing, starts_at) -> Pairing:
    Pairing.objects.filter(pk=pairing.pk).update(starts_at=starts_at)
    pairing.refresh_from_db()
    return pairing


def test_both_partners_download_the_same_calendar_event(paired, client_for):
    pairing, ann, ben = paired
    events = []
    for user, partner in ((ann, ben), (ben, ann)):
        response = client_for(user).get(f"/api/practice/pairings/{pairing.pk}/calendar.ics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
        assert partner.username in str(event["SUMMARY"])
        events.append(event)
    assert events[0]["UID"] == events[1]["UID"]
    assert events[0].decoded("DTSTART") == pairing.starts_at
    assert events[0].decoded("DTEND") - events[0].decoded("DTSTART") == timedelta(minutes=90)


def test_an_outsider_gets_no_calendar_file(paired, user_factory, client_for):
    pairing, _, _ = paired
    outsider = client_for(user_factory(username="eve"))
    assert outsider.get(f"/api/practice/pairings/{pairing.pk}/calendar.ics").status_code == 404


def test_reminders_go_out_24_hours_and_15_minutes_before_and_only_once(paired):
    pairing, ann, ben = paired
    start = pairing.starts_at
    Pairing.objects.filter(pk=pairing.pk).update(created_at=start - timedelta(days=3))
    assert reminders.reminders_send(now=start - timedelta(hours=25)) == 0
    assert reminders.reminders_send(now=start - timedelta(hours=23)) == 2
    assert reminders.reminders_send(now=start - timedelta(hours=22)) == 0
    assert reminders.reminders_send(now=start - timedelta(minutes=14)) == 2
    assert reminders.reminders_send(now=start - timedelta(minutes=10)) == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ann.email, ben.email] * 2)
    assert "tomorrow" in mail.outbox[0].subject and "15 minutes" in mail.outbox[-1].subject
    # The time in the mail is the reader's own (Berlin, from the profile).
    assert "Europe/Berlin" in mail.outbox[0].body


def test_a_moved_pairing_gets_fresh_reminders(paired):
    pairing, ann, ben = paired
    Pairing.objects.filter(pk=pairing.pk).update(created_at=pairing.starts_at - timedelta(days=3))
    reminders.reminders_send(now=pairing.starts_at - timedelta(minutes=10))
    later = pairing.starts_at + timedelta(hours=2)
    services.pairing_propose_time(user=ann, pairing_id=pairing.pk, starts_at=later)
    services.pairing_accept_time(user=ben, pairing_id=pairing.pk)
    assert reminders.reminders_send(now=later - timedelta(minutes=10)) == 2


def test_a_new_time_needs_the_partner_to_accept_it(paired, client_for):
    pairing, ann, ben = paired
    later = pairing.starts_at + timedelta(days=1)
    base = f"/api/practice/pairings/{pairing.pk}/"
    response = client_for(ann).post(
        base + "reschedule/", {"starts_at": later.isoformat()}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["proposed_by"] == "ann"
    assert client_for(ann).post(base + "reschedule/accept/").status_code == 400
    accepted = client_for(ben).post(base + "reschedule/accept/")
    assert accepted.status_code == 200
    pairing.refresh_from_db()
    assert pairing.starts_at == later and pairing.proposed_starts_at is None
    scheduled = sorted(
        InterviewSession.objects.filter(practice_interview__pairing=pairing).values_list(
            "scheduled_for", flat=True
        )
    )
    assert scheduled == [later, later + timedelta(minutes=45)]


@pytest.mark.parametrize("when", ["2020-01-01T10:00:00Z", "soon", 5, None])
def test_a_bad_new_time_is_a_400(paired, client_for, when):
    pairing, ann, _ = paired
    response = client_for(ann).post(
        f"/api/practice/pairings/{pairing.pk}/reschedule/", {"starts_at": when}, format="json"
    )
    assert response.status_code == 400
    pairing.refresh_from_db()
    assert pairing.proposed_starts_at is None


def test_cancelling_early_is_no_strike_and_frees_both(paired, client_for):
    pairing, ann, ben = paired
    response = client_for(ann).post(f"/api/practice/pairings/{pairing.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Strike.objects.count() == 0
    assert not PairingSeat.objects.filter(active=True).exists()
    # The sessions nobody used are gone; the pairing's history stays.
    assert not InterviewSession.objects.filter(practice_interview__pairing=pairing).exists()
    assert pairing.interviews.count() == 2
    assert client_for(ann).post(f"/api/practice/pairings/{pairing.pk}/cancel/").status_code == 400


def test_cancelling_less_than_12_hours_before_is_a_late_cancellation(paired):
    pairing, ann, ben = paired
    move(pairing, timezone.now() + timedelta(hours=11))
    services.pairing_cancel(user=ben, pairing_id=pairing.pk)
    strike = Strike.objects.get()
    assert (strike.user, strike.kind) == (ben, "late_cancel")


def test_two_strikes_in_30_days_suspend_matching_for_a_week_with_the_date(
    paired, practiser, cases, client_for
):
    pairing, ann, ben = paired
    now = timezone.now()
    move(pairing, now + timedelta(hours=2))
    services.pairing_cancel(user=ben, pairing_id=pairing.pk, now=now)
    wait_now(ben)
    wait_now(practiser("cid"))
    match_requests()
    second = Pairing.objects.get(status="scheduled")
    move(second, now + timedelta(hours=3))
    services.pairing_cancel(user=ben, pairing_id=second.pk, now=now)
    assert Strike.objects.filter(user=ben).count() == 2
    response = client_for(ben).post("/api/practice/requests/", {"kind": "now"}, format="json")
    assert response.status_code == 403
    until = (now + timedelta(days=7)).strftime("%Y-%m-%d %H:%M")
    assert until in response.json()["detail"]
    assert PracticeRequest.objects.filter(user=ben, status="waiting").count() == 0
    profile = client_for(ben).get("/api/practice/profile/").json()
    assert until in profile["suspension_message"]


def test_strikes_older_than_30_days_do_not_count(paired, practiser):
    pairing, ann, ben = paired
    now = timezone.now()
    services.strike_record(
        user_id=ben.pk, pairing=pairing, kind="no_show", now=now - timedelta(days=31)
    )
    other = Pairing.objects.create(user_a=ben, user_b=ann, starts_at=now, status="done")
    services.strike_record(user_id=ben.pk, pairing=other, kind="no_show", now=now)
    ben.practice_profile.refresh_from_db()
    assert ben.practice_profile.suspended_until is None


def test_a_no_show_can_be_marked_10_minutes_after_the_start_by_who_came(paired, client_for):
    pairing, ann, ben = paired
    base = f"/api/practice/pairings/{pairing.pk}/"
    move(pairing, timezone.now() - timedelta(minutes=5))
    assert client_for(ann).post(base + "arrived/").status_code == 204
    too_soon = client_for(ann).post(base + "no-show/")
    assert too_soon.status_code == 400
    move(pairing, timezone.now() - timedelta(minutes=11))
    # Ben never came: he cannot report Ann, who did.
    assert client_for(ben).post(base + "no-show/").status_code == 400
    response = client_for(ann).post(base + "no-show/")
    assert response.status_code == 200
    assert response.json()["request"]["status"] == "waiting"
    pairing.refresh_from_db()
    assert pairing.status == "no_show"
    assert Strike.objects.get().user == ben
    # Ann is back in the waiting room at once.
    assert PracticeRequest.objects.get(user=ann, status="waiting").kind == "now"


def test_no_show_is_refused_when_the_partner_is_in_the_room(paired, client_for):
    pairing, ann, ben = paired
    move(pairing, timezone.now() - timedelta(minutes=15))
    services.pairing_arrive(user=ann, pairing_id=pairing.pk)
    session = pairing.interviews.get(order=1).session
    RoomConnection.objects.create(id="c1", session=session, user=ben, last_seen=timezone.now())
    response = client_for(ann).post(f"/api/practice/pairings/{pairing.pk}/no-show/")
    assert response.status_code == 400
    assert Strike.objects.count() == 0


def test_the_interviewer_may_change_the_case_to_one_the_candidate_has_not_done(
    paired, cases, client_for
):
    pairing, ann, ben = paired
    first, second = pairing.interviews.order_by("order")
    url = f"/api/practice/pairings/{pairing.pk}/interviews/1/case/"
    fresh = next(c for c in cases if c.pk not in (first.case_study_id, second.case_study_id))
    assert client_for(ben).put(url, {"case_study": fresh.slug}, format="json").status_code == 403
    taken = client_for(ann).put(url, {"case_study": second.case_study.slug}, format="json")
    assert taken.status_code == 400
    assert client_for(ann).put(url, {"case_study": "nope"}, format="json").status_code == 400
    changed = client_for(ann).put(url, {"case_study": fresh.slug}, format="json")
    assert changed.status_code == 200
    first.refresh_from_db()
    assert first.case_study == fresh and first.session.case_study == fresh


def test_housekeeping_lapses_old_requests_and_closes_finished_pairings(paired, practiser):
    from practice.tasks import practice_housekeeping

    pairing, ann, ben = paired
    InterviewSession.objects.filter(practice_interview__pairing=pairing).update(status="ended")
    lonely = wait_now(practiser("cid"))
    PracticeRequest.objects.filter(pk=lonely.pk).update(
        window_end=timezone.now() + timedelta(minutes=30)
    )
    result = practice_housekeeping.apply().get()
    assert result["closed"] == 1 and result["expired"] == 1
    pairing.refresh_from_db()
    assert pairing.status == "done"
    assert not PairingSeat.objects.filter(active=True).exists()


def test_the_pairing_points_to_the_second_room_once_the_first_interview_ended(paired, client_for):
    pairing, ann, _ = paired
    first, second = pairing.interviews.order_by("order")
    url = f"/api/practice/pairings/{pairing.pk}/"
    assert client_for(ann).get(url).json()["next_session_id"] == str(first.session_id)
    InterviewSession.objects.filter(pk=first.session_id).update(status="ended")
    body = client_for(ann).get(url).json()
    assert body["next_session_id"] == str(second.session_id)
    assert [i["session_status"] for i in body["interviews"]] == ["ended", "scheduled"]


def test_a_reminder_whose_mail_server_failed_is_sent_on_the_next_run(paired, monkeypatch):
    pairing, _, _ = paired
    Pairing.objects.filter(pk=pairing.pk).update(created_at=pairing.starts_at - timedelta(days=3))
    at = pairing.starts_at - timedelta(hours=23)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(reminders, "send_mail", refuse)
    assert reminders.reminders_send(now=at) == 0
    monkeypatch.undo()
    assert reminders.reminders_send(now=at) == 2
    assert len(mail.outbox) == 2


def test_the_room_finds_its_pairing_by_session_and_learns_the_next_one(
    paired, client_for, user_factory
):
    pairing, ann, ben = paired
    first, second = pairing.interviews.order_by("order")
    url = f"/api/practice/pairings/?session={first.session_id}"
    body = client_for(ben).get(url).json()
    assert [p["id"] for p in body["results"]] == [str(pairing.pk)]
    assert body["results"][0]["next_session_id"] == str(first.session_id)
    InterviewSession.objects.filter(pk=first.session_id).update(status="ended")
    body = client_for(ben).get(url).json()
    assert body["results"][0]["next_session_id"] == str(second.session_id)
    # Someone else's session: no pairing; a malformed id: a 400.
    assert client_for(user_factory(username="eve")).get(url).json()["results"] == []
    assert client_for(ben).get("/api/practice/pairings/?session=nope").status_code == 400
