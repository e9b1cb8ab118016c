"""The Celery app. Without REDIS_URL tasks run eagerly in the caller (see settings)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("mockroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Sub-packages of an app, which autodiscovery of apps does not reach.
app.autodiscover_tasks(["interviews.reports", "interviews.recordings", "interviews.replay"])


@worker_process_init.connect
def _warm_up_report_model(**_) -> None:
    """Each worker process loads the report's semantic model once, before its first report."""
    from interviews.reports.analysis.matching.semantic import warm_up_in_background

    warm_up_in_background()
