"""Background work. Tasks are thin: they take ids and call a service, which is idempotent."""

from celery import shared_task

from .services.reports import report_build


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError, TimeoutError),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=5,
)
def build_report(self, session_id: str) -> str:
    """Build (or rebuild) the feedback report of an ended session."""
    return report_build(session_id=session_id, final_attempt=self.request.retries >= 5)
