from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"

    def ready(self) -> None:
        from casestudies.selectors import guide_reader_register

        from . import signals  # noqa: F401  (connects the receivers)
        from .recordings.signals import transcript_changed
        from .replay.queue import keyframes_queue_on_end
        from .reports.queue import report_refresh_for_transcript
        from .room.wiring import hub_connect
        from .sessions.selectors import user_interviews_case
        from .sessions.signals import session_ended

        guide_reader_register(user_interviews_case)
        hub_connect()
        transcript_changed.connect(report_refresh_for_transcript, dispatch_uid="report-refresh")
        session_ended.connect(keyframes_queue_on_end, dispatch_uid="replay-keyframes")
