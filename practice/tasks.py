"""Background work for peer practice: thin tasks over idempotent services."""

from celery import shared_task
from django.db import OperationalError

from . import matching, reminders, services

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "max_retries": 5,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
}


@shared_task(**RETRY)
def match_requests() -> int:
    """Pair waiting requests. Queued after every new request and by beat; runs in any number
    of workers at once (see practice.matching)."""
    return matching.match_requests().pairings


@shared_task(**RETRY)
def practice_housekeeping() -> dict:
    """Beat, every minute: lapse requests whose window has gone, close pairings that are over,
    match what the slots of the hour made possible, send due reminders (each once), announce
    ratings their 48 hours made readable (each once)."""
    expired = services.requests_expire()
    closed = services.pairings_close_over()
    paired = matching.match_requests().pairings
    sent = reminders.reminders_send()
    revealed = services.ratings_reveal_announce_due()
    return {
        "expired": expired,
        "closed": closed,
        "paired": paired,
        "reminders": sent,
        "reveals": revealed,
    }
