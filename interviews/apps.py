from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"

    def ready(self) -> None:
        from casestudies.selectors import guide_reader_register

        from . import signals  # noqa: F401  (connects the receivers)
        from .recordings.signals import transcript_changed
        from .reports.queue import report_refresh_for_transcript
        from .room.wiring import hub_connect
        from .sessions.selectors import user_interviews_case

        guide_reader_register(user_interviews_case)
        hub_connect()
        transcript_changed.connect(report_refresh_for_transcript, dispatch_uid="report-refresh")
