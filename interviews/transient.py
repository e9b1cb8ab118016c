"""What a background task retries: failures of the database or the network, not of the work."""

from django.db import InterfaceError, OperationalError

TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def retried_task(*, backoff_max: int, **options) -> dict:
    """The options of a task that outlives a worker and retries transient failures:
    acknowledged once done (a worker killed mid-task leaves the message to be delivered again),
    retried up to five times with jittered exponential backoff capped at `backoff_max`
    seconds. `options` add to them or override them."""
    return {
        "acks_late": True,
        "reject_on_worker_lost": True,
        "autoretry_for": TRANSIENT_ERRORS,
        "max_retries": 5,
        "retry_backoff": 2,
        "retry_backoff_max": backoff_max,
        "retry_jitter": True,
        **options,
    }


def gave_up(task, exc: BaseException) -> str:
    """Why a task's work is marked failed once its retries ran out (or it hit a time limit)."""
    return f"Gave up after {task.request.retries + 1} attempts: {exc}"
