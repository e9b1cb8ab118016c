"""Writes. `sessions`: sessions, invites, scores, notes; `room`: timers, chat, board lock, end;
`whiteboard`: merging element updates into the stored scene."""

from .sessions import (
    OTHER_ROLE,
    feedback_release,
    invite_accept,
    invite_create,
    invite_url,
    note_save,
    report_rebuild,
    report_regenerate,
    require_interviewer,
    score_set,
    self_assessment_save,
    session_create,
)

__all__ = [
    "OTHER_ROLE",
    "feedback_release",
    "invite_accept",
    "invite_create",
    "invite_url",
    "note_save",
    "report_rebuild",
    "report_regenerate",
    "require_interviewer",
    "self_assessment_save",
    "score_set",
    "session_create",
]
