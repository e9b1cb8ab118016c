"""Interviews set up as people would: the interviewer creates the session and the candidate
accepts its invite; the interviewer works the timer. Import after Django is set up."""

from interviews.room import services as room_services
from interviews.sessions import services as session_services


def interview_between(interviewer, candidate, case_study, **options):
    """A session on `case_study` run by `interviewer`, whose invite `candidate` accepted."""
    session, invite = session_services.session_create(
        user=interviewer, case_study=case_study, role="interviewer", **options
    )
    session_services.invite_accept(token=invite.token, user=candidate)
    return session


def timer(session, command: str, **fields) -> dict:
    """The interviewer's timer `command` (`timer.start`, `timer.goto` with step=...)."""
    return room_services.timer_command(
        session_id=session.pk, role="interviewer", command=command, fields=fields
    )
