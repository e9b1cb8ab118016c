"""The pairing as an iCalendar file, one event both partners import. The UID stays the same
and SEQUENCE rises with every change, so calendars update the event instead of adding one."""

from icalendar import Calendar, Event

from .models import Pairing
from .scoring import PAIRING_DURATION


def pairing_ics(pairing: Pairing, *, for_user, base_url: str) -> bytes:
    partner = pairing.user_b if pairing.user_a_id == for_user.pk else pairing.user_a
    calendar = Calendar()
    calendar.add("prodid", "-//Mockroom//Peer practice//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"pairing-{pairing.pk}@mockroom")
    event.add("sequence", pairing.sequence)
    event.add("dtstamp", pairing.created_at)
    event.add("dtstart", pairing.starts_at)
    event.add("dtend", pairing.starts_at + PAIRING_DURATION)
    event.add("summary", f"Mock interview practice with {partner.username}")
    url = f"{base_url.rstrip('/')}/practice/pairings/{pairing.pk}"
    event.add(
        "description",
        "Two ML system design interviews back to back: each of you interviews the other once.\n"
        + url,
    )
    event.add("url", url)
    event.add("status", "CONFIRMED" if pairing.status == Pairing.Status.SCHEDULED else "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()
