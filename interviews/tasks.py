"""Background work. Tasks are thin: they take ids and call a service, which is idempotent."""

import random

from celery import shared_task

from .services.reports import TRANSIENT_ERRORS, report_build, report_fail

MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES)
def build_report(self, session_id: str, force: bool = False) -> str:
    """Build (or, with force, rebuild) the feedback report of an ended session.

    acks_late + reject_on_worker_lost: a worker killed mid-build leaves the message to be
    delivered again; report_build is idempotent, so the report completes exactly once.
    """
    try:
        return report_build(session_id=session_id, force=force)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= MAX_RETRIES:
            report_fail(
                session_id=session_id, reason=f"Gave up after {MAX_RETRIES + 1} attempts: {exc}"
            )
            return "failed"
        # Exponential backoff with jitter, well under the broker's visibility timeout.
        countdown = min(120, 2 ** (self.request.retries + 1)) * random.uniform(0.8, 1.2)
        raise self.retry(exc=exc, countdown=countdown) from exc
