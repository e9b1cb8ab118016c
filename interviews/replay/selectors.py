"""Reads of an ended interview's replay, filtered by who is asking: the interviewer's notes and
scores (markers) only for the interviewer, like everywhere else."""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.http import Http404

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY
from config import strict_json
from rubrics.models import Criterion

from ..models import (
    AudioChunk,
    BoardKeyframe,
    ChatMessage,
    FeedbackChange,
    InterviewSession,
    Participant,
    Role,
    RoomEvent,
    TranscriptSegment,
)
from ..recordings.selectors import to_ms
from ..sessions.selectors import session_get_for_user
from .board import Change, changes_from_log, scene_at
from .timeline import step_segments

# A marker shows the start of the note or comment; the whole of it is in the report.
MARKER_EXCERPT_CHARS = 280


class ReplayNotReady(Exception):
    """The session has not ended: its log is still growing."""


def replay_session_for_user(*, user: AbstractBaseUser, session_id) -> tuple[InterviewSession, str]:
    """The ended session and `user`'s role; Http404 when it is not theirs, ReplayNotReady
    before the end."""
    session, role = session_get_for_user(user=user, session_id=session_id)
    if session.status != InterviewSession.Status.ENDED:
        raise ReplayNotReady("The replay opens once the interview has ended.")
    return session, role


def timeline_bounds(session: InterviewSession) -> tuple[int, int]:
    """(start, end) in ms: from when the interview started to when it ended."""
    return to_ms(session.started_at), to_ms(session.ended_at)


def board_changes(
    session_id, *, after_seq: int = 0, upto_seq: int | None = None, floor_ms: int = 0
) -> Iterator[tuple[Change, int]]:
    """The logged board updates after `after_seq` (up to `upto_seq`) as board.Change with
    their text's size."""
    events = RoomEvent.objects.filter(
        session_id=session_id, type="whiteboard.update", seq__gt=after_seq
    )
    if upto_seq is not None:
        events = events.filter(seq__lte=upto_seq)
    rows = events.order_by("seq").values_list("seq", "created_at", "user_id", "payload")
    if upto_seq is None:
        # The whole log: read in chunks. A page (a few hundred rows) comes in one round trip
        # rather than a server-side cursor's three.
        rows = rows.iterator(chunk_size=500)
    return changes_from_log(
        ((seq, to_ms(at), user_id, payload) for seq, at, user_id, payload in rows),
        floor_ms=floor_ms,
    )


def _keyframe_marks(session_id) -> list[tuple[int, int]]:
    return list(
        BoardKeyframe.objects.filter(session_id=session_id)
        .order_by("seq")
        .values_list("seq", "at_ms")
    )


def board_pages(session: InterviewSession) -> list[dict]:
    """The board's pages: each a keyframe and the changes up to the next one, with the moments
    they cover. Built keyframes expected (services.board_keyframes_ensure)."""
    marks = _keyframe_marks(session.pk)
    _, end_ms = timeline_bounds(session)
    pages = []
    for index, (seq, at_ms) in enumerate(marks):
        following = marks[index + 1] if index + 1 < len(marks) else None
        pages.append(
            {
                "index": index,
                "seq": seq,
                "last_seq": following[0] if following else session.seq,
                "start": at_ms,
                "end": max(at_ms, following[1] if following else end_ms),
            }
        )
    return pages


def board_page_text(session: InterviewSession, index: int) -> str:
    """Page `index` of the board as JSON text: its keyframe (stored as JSON text, sent as it
    is) and the changes up to the next keyframe. Http404 for a page that does not exist."""
    marks = _keyframe_marks(session.pk)
    if not 0 <= index < len(marks):
        raise Http404("No such page.")
    seq, at_ms = marks[index]
    upto = marks[index + 1][0] if index + 1 < len(marks) else None
    elements = (
        BoardKeyframe.objects.filter(session_id=session.pk, seq=seq)
        .values_list("elements", flat=True)
        .get()
    )
    changes = [
        {
            "seq": change.seq,
            "at": change.at_ms,
            "user_id": change.user_id,
            "elements": change.elements,
        }
        for change, _ in board_changes(session.pk, after_seq=seq, upto_seq=upto, floor_ms=at_ms)
    ]
    head = strict_json.dumps({"index": index, "seq": seq, "at": at_ms})
    return f'{head[:-1]},"elements":{elements},"changes":{strict_json.dumps(changes)}}}'


def board_at(session_id, at_ms: int) -> dict[str, dict]:
    """The board at `at_ms` (element id -> element, deleted ones included), from the last
    keyframe at or before that moment and the changes after it."""
    marks = _keyframe_marks(session_id)
    position = max(0, bisect_right([at for _, at in marks], at_ms) - 1)
    seq, floor_ms = marks[position]
    upto = marks[position + 1][0] if position + 1 < len(marks) else None
    text = (
        BoardKeyframe.objects.filter(session_id=session_id, seq=seq)
        .values_list("elements", flat=True)
        .get()
    )
    base = {element["id"]: element for element in json.loads(text)}
    changes = (
        change
        for change, _ in board_changes(session_id, after_seq=seq, upto_seq=upto, floor_ms=floor_ms)
    )
    return scene_at(base, changes, at_ms)


def board_at_from_log(session_id, at_ms: int) -> dict[str, dict]:
    """The board at `at_ms` replayed from the start of the log: what a keyframe must equal."""
    return scene_at({}, (change for change, _ in board_changes(session_id)), at_ms)


def _timeline(session: InterviewSession) -> dict:
    start, end = timeline_bounds(session)
    events = RoomEvent.objects.filter(
        session_id=session.pk, type__in=("timer.state", "session.ended")
    ).order_by("seq")
    timer_log = [
        (to_ms(created_at), json.loads(payload))
        for created_at, payload in events.values_list("created_at", "payload")
    ]
    return {
        "start": start,
        "end": end,
        "steps": [
            {
                "key": key,
                "title": STEPS_BY_KEY[key].title,
                "planned_seconds": session.plan[key] * 60,
            }
            for key in STEP_KEYS
        ],
        "segments": step_segments(timer_log, end_ms=end),
    }


def _chat(session: InterviewSession) -> list[dict]:
    return [
        {
            "seq": message.seq,
            "author": message.author.username,
            "author_id": message.author_id,
            "text": message.text,
            "at": to_ms(message.created_at),
        }
        for message in ChatMessage.objects.filter(session=session).select_related("author")
    ]


def _transcript(session: InterviewSession) -> list[dict]:
    segments = TranscriptSegment.objects.filter(session=session).select_related("speaker__user")
    return [
        {
            "id": segment.pk,
            "speaker_id": segment.speaker.user_id,
            "speaker": segment.speaker.user.username,
            "role": segment.speaker.role,
            "start": segment.start_ms,
            "end": segment.end_ms,
            "text": segment.text,
            "step": segment.step or None,
            "words": [
                {"w": word["w"], "s": word["s"], "e": word["e"]}
                for word in segment.words
                if isinstance(word, dict) and {"w", "s", "e"} <= word.keys()
            ],
        }
        for segment in segments
    ]


def _audio(session: InterviewSession) -> list[dict]:
    """Each recording participant's chunks whose audio is still kept, in time order."""
    tracks = []
    chunks = AudioChunk.objects.filter(session=session, audio_deleted_at__isnull=True).exclude(
        file=""
    )
    participants = Participant.objects.filter(
        session=session, role__in=(Role.INTERVIEWER, Role.CANDIDATE)
    ).select_related("user")
    for participant in participants:
        mine = chunks.filter(participant=participant).order_by("start_ms", "index")
        tracks.append(
            {
                "user_id": participant.user_id,
                "username": participant.user.username,
                "role": participant.role,
                "chunks": [
                    {
                        "id": chunk.pk,
                        "index": chunk.index,
                        "start": chunk.start_ms,
                        "duration": chunk.duration_ms,
                        "content_type": chunk.content_type,
                    }
                    for chunk in mine
                ],
            }
        )
    return tracks


def _markers(session: InterviewSession) -> list[dict]:
    """When the interviewer's notes and scores changed (interviewer only)."""
    criteria = dict(
        Criterion.objects.filter(rubric_id=session.rubric_id).values_list("key", "title")
    )
    markers = []
    for change in FeedbackChange.objects.filter(session=session):
        if change.kind == FeedbackChange.Kind.NOTE:
            title = STEPS_BY_KEY[change.key].title if change.key in STEPS_BY_KEY else change.key
        else:
            title = criteria.get(change.key, change.key)
        markers.append(
            {
                "kind": change.kind,
                "key": change.key,
                "title": title,
                "at": to_ms(change.at),
                "level": change.level,
                "shared": change.shared,
                "excerpt": change.text[:MARKER_EXCERPT_CHARS],
                "truncated": len(change.text) > MARKER_EXCERPT_CHARS,
            }
        )
    return markers


def replay_for(*, session: InterviewSession, role: str) -> dict:
    """The replay as `role` sees it: `markers` only for the interviewer."""
    replay = {
        "session": {
            "id": str(session.pk),
            "case_study": {"slug": session.case_study.slug, "title": session.case_study.title},
        },
        "role": role,
        "participants": [
            {"user_id": p.user_id, "username": p.user.username, "role": p.role}
            for p in Participant.objects.filter(session=session).select_related("user")
        ],
        "timeline": _timeline(session),
        "board": {"pages": board_pages(session)},
        "chat": _chat(session),
        "transcript": _transcript(session),
        "audio": _audio(session),
    }
    if role == Role.INTERVIEWER:
        replay["markers"] = _markers(session)
    return replay
