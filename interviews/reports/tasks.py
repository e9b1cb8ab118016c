"""Background work. Tasks are thin: they take ids and call a service, which is idempotent."""

from celery import Task, shared_task

from ..recordings.queue import transcription_flush
from ..recordings.selectors import transcripts_pending_wait
from ..transient import gave_up, retried_task
from . import build
from .status import report_fail

MAX_RETRIES = 5
# A report of a 45-minute interview builds in well under a second; a build still running after
# this long is stuck (a lock, a dead database) and is better retried than waited for.
SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """Retries ran out (or the build hit its time limit): leave a visible failed report
        with the reason instead of one that stays `running` for ever."""
        session_id = kwargs.get("session_id") or args[0]
        report_fail(session_id=session_id, reason=gave_up(self, exc))


@shared_task(
    bind=True,
    base=ReportTask,
    # Backoff capped well under the broker's visibility timeout.
    **retried_task(
        backoff_max=120,
        max_retries=MAX_RETRIES,
        soft_time_limit=SOFT_TIME_LIMIT,
        time_limit=TIME_LIMIT,
    ),
)
def report_build(self, session_id: str, force: bool = False) -> str:
    """Build (or, with force, rebuild) the feedback report of an ended session.

    acks_late + reject_on_worker_lost: a worker killed mid-build leaves the message to be
    delivered again; report_build is idempotent, so the report completes exactly once.

    While chunks of the recording are still being transcribed, the build waits (a bounded
    time, see transcripts_pending_wait): the last chunk to finish queues it at once, and this
    copy comes back at the deadline in case none does.
    """
    wait = transcripts_pending_wait(session_id=session_id)
    if wait > 0:
        transcription_flush(session_id)
        report_build.apply_async((session_id,), {"force": force}, countdown=wait)
        return "waiting"
    return build.report_build(session_id=session_id, force=force)
