"""In-app notices about pairings, sent after the commit of the change they describe to the
notification sockets of the people concerned (and to the room, when a pairing's second
interview is next). The wording lives here; services say what happened and to whom."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from . import sessions_bridge
from .availability import AvailabilityError, zone_check
from .models import Pairing, PairingInterview, PracticeProfile


def local_time(user, at: datetime) -> str:
    """`at` as `user` reads it: in their profile's time zone (UTC without one)."""
    profile = PracticeProfile.objects.filter(user=user).first()
    zone: ZoneInfo | None = None
    if profile is not None:
        try:
            zone = zone_check(profile.time_zone)
        except AvailabilityError:
            zone = None
    local = at.astimezone(zone) if zone else at
    return f"{local:%A %d %B %Y, %H:%M} ({zone.key if zone else 'UTC'})"


def _tell(pairing: Pairing, user_id: int, event: str, text: str, session_id=None) -> None:
    sessions_bridge.users_notify(
        [user_id], event=event, pairing_id=pairing.pk, text=text, session_id=session_id
    )


def pairing_made_notify(pairing: Pairing) -> None:
    users = get_user_model().objects.in_bulk(list(pairing.user_ids()))
    for user_id in pairing.user_ids():
        partner = users[pairing.partner_id(user_id)].username
        when = local_time(users[user_id], pairing.starts_at)
        _tell(pairing, user_id, "pairing.made", f"You are paired with {partner}: {when}.")


def reminder_notify(pairing: Pairing, *, user, partner, kind: str) -> None:
    when = "tomorrow" if kind == "24h" else "in 15 minutes"
    _tell(
        pairing,
        user.pk,
        "pairing.reminder",
        f"Your practice with {partner.username} starts {when}.",
    )


def _tell_partner(pairing: Pairing, *, by, event: str, at: datetime, says) -> None:
    """Tell `by`'s partner what `by` did; `says(when)` words it with `at` in the partner's
    own time zone."""
    partner_id = pairing.partner_id(by.pk)
    partner = get_user_model().objects.get(pk=partner_id)
    _tell(pairing, partner_id, event, says(local_time(partner, at)))


def pairing_cancelled_notify(pairing: Pairing, *, by) -> None:
    _tell_partner(
        pairing,
        by=by,
        event="pairing.cancelled",
        at=pairing.starts_at,
        says=lambda when: f"{by.username} called off your practice of {when}.",
    )


def time_proposed_notify(pairing: Pairing, *, by) -> None:
    _tell_partner(
        pairing,
        by=by,
        event="pairing.time_proposed",
        at=pairing.proposed_starts_at,
        says=lambda when: f"{by.username} proposes to move your practice to {when}.",
    )


def time_accepted_notify(pairing: Pairing, *, by) -> None:
    """`by` took the time their partner proposed."""
    _tell_partner(
        pairing,
        by=by,
        event="pairing.moved",
        at=pairing.starts_at,
        says=lambda when: f"{by.username} took the time you proposed: your practice starts {when}.",
    )


def ratings_revealed_notify(pairing: Pairing) -> None:
    """Both candidates have rated: each interviewer may read their rating now."""
    for interview in pairing.interviews.all():
        _tell(
            pairing,
            interview.interviewer_id,
            "rating.revealed",
            "Your partner's rating of you as their interviewer is in.",
        )


def rating_revealed_late_notify(rating) -> None:
    """48 hours after a rating the partner never answered with theirs: the one rated may read it."""
    _tell(
        rating.interview.pairing,
        rating.subject_id,
        "rating.revealed",
        "Your partner's rating of you as their interviewer can be read now (48 hours have passed).",
    )


def interview_next_announce(*, session_id) -> None:
    """The first interview of a pairing ended: tell its room and both people that the second,
    with roles swapped, is next. Nothing for any other session."""
    first = (
        PairingInterview.objects.select_related("pairing", "interviewer", "candidate")
        .filter(session_id=session_id, order=1, pairing__status=Pairing.Status.SCHEDULED)
        .first()
    )
    if first is None:
        return
    second = first.pairing.interviews.filter(order=2, session__isnull=False).first()
    if second is None:
        return
    # Roles swap: the first interview's candidate interviews now.
    text = (
        f"Interview 2 is next: {first.candidate.username} interviews {first.interviewer.username}."
    )
    sessions_bridge.room_notify(
        session_id,
        event="interview.next",
        pairing_id=first.pairing_id,
        text=text,
        session_id=second.session_id,
    )
    sessions_bridge.users_notify(
        first.pairing.user_ids(),
        event="interview.next",
        pairing_id=first.pairing_id,
        text=text,
        session_id=second.session_id,
    )
