"""Reminder e-mails before a pairing, 24 hours and 15 minutes ahead. Each is claimed by a
unique row before it is sent, in one transaction with the send: two beat runs at once, or a
run repeated after a crash before commit, still send each reminder once."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Pairing, ReminderSent
from .notices import local_time, reminder_notify

# (kind, how long before the start, the least notice a pairing needs to get it): a pairing made
# two hours ahead gets the 15-minute reminder only, one made in the waiting room neither.
log = logging.getLogger(__name__)

REMINDERS = (
    ("24h", timedelta(hours=24), timedelta(hours=20)),
    ("15m", timedelta(minutes=15), timedelta(minutes=14)),
)


def reminders_send(*, now: datetime | None = None) -> int:
    """Send every reminder that is due and not sent yet; returns how many went out. A reminder
    is due from its lead time before the start until the next one is (a day-ahead reminder
    found ten minutes before the start is not sent: the 15-minute one is)."""
    now = now or timezone.now()
    sent = 0
    for index, (kind, lead, notice) in enumerate(REMINDERS):
        until = REMINDERS[index + 1][1] if index + 1 < len(REMINDERS) else timedelta(0)
        due = Pairing.objects.filter(
            status=Pairing.Status.SCHEDULED,
            starts_at__gt=now + until,
            starts_at__lte=now + lead,
            created_at__lte=F("starts_at") - notice,
        ).select_related("user_a", "user_b")
        for pairing in due:
            a, b = pairing.user_a, pairing.user_b
            sent += _send_one(pairing, user=a, partner=b, kind=kind)
            sent += _send_one(pairing, user=b, partner=a, kind=kind)
    return sent


def _send_one(pairing: Pairing, *, user, partner, kind: str) -> int:
    """Claim the reminder, tell the user's open pages and, if they gave an address, e-mail
    them; a failed e-mail rolls the claim back, in-app notice included (it is sent on
    commit), so the next run sends both."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                pairing=pairing, user=user, kind=kind, for_start=pairing.starts_at
            )
            reminder_notify(pairing, user=user, partner=partner, kind=kind)
            if not user.email:
                return 1
            send_mail(
                subject=_subject(kind, partner.username),
                message=_body(pairing, user=user, partner=partner),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[user.email],
            )
    except IntegrityError:
        return 0  # sent already (or being sent by another run right now)
    except OSError as exc:  # smtplib's errors included
        # The claim rolled back with the failed send: the next minute's run tries again.
        log.warning("reminder %s for pairing %s not sent: %s", kind, pairing.pk, exc)
        return 0
    return 1


def _subject(kind: str, partner: str) -> str:
    when = "tomorrow" if kind == "24h" else "in 15 minutes"
    return f"Mockroom: your practice with {partner} starts {when}"


def _body(pairing: Pairing, *, user, partner) -> str:
    base = settings.PUBLIC_BASE_URL or ""
    return (
        f"Hello {user.username},\n\n"
        f"You practise with {partner.username} on {local_time(user, pairing.starts_at)}: two "
        "interviews back to back, each of you interviews the other once.\n\n"
        f"Your pairing: {base}/practice/pairings/{pairing.pk}\n\n"
        "If you cannot make it, cancel or propose another time as early as you can; "
        "cancelling less than 12 hours before counts as a late cancellation.\n"
    )
