from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Peer practice"

    def ready(self) -> None:
        from . import sessions_bridge
        from .notices import interview_next_announce

        sessions_bridge.on_session_ended(interview_next_announce)
