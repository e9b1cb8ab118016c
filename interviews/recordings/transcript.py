"""What the feedback report takes from the recording: the candidate's speech for the concept
matcher and the pitfall rules, the transcript by step, and speaking time per person.

Only the candidate's segments become passages: the interviewer reads the case's concepts out
loud in hints and questions, and crediting those to the candidate would reward listening.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypedDict

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY

from ..models import AudioChunk, Role, TranscriptSegment
from .selectors import chunk_counts


class SpokenTime(TypedDict):
    interviewer_seconds: float
    candidate_seconds: float
    candidate_share: float | None  # of the two people's speaking time; None when nobody spoke


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat()


def _spoken(interviewer: float, candidate: float) -> SpokenTime:
    total = interviewer + candidate
    return {
        "interviewer_seconds": round(interviewer, 1),
        "candidate_seconds": round(candidate, 1),
        "candidate_share": round(candidate / total, 3) if total else None,
    }


def speaking_time(rows: Iterable[tuple[str, str, int, int]]) -> dict:
    """Speaking time from (role, step, start_ms, end_ms) of each segment: in total and per
    step in framework order (segments before the timer started, step "", count in the total
    only). Pure; the share is the candidate's part of what the two of them said."""
    per_step = {key: {Role.INTERVIEWER: 0.0, Role.CANDIDATE: 0.0} for key in STEP_KEYS}
    total = {Role.INTERVIEWER: 0.0, Role.CANDIDATE: 0.0}
    for role, step, start, end in rows:
        if role not in total:
            continue
        seconds = max(0, end - start) / 1000
        total[role] += seconds
        if step in per_step:
            per_step[step][role] += seconds
    return {
        "total": _spoken(total[Role.INTERVIEWER], total[Role.CANDIDATE]),
        "steps": [
            {
                "step": key,
                "title": STEPS_BY_KEY[key].title,
                **_spoken(per_step[key][Role.INTERVIEWER], per_step[key][Role.CANDIDATE]),
            }
            for key in STEP_KEYS
        ],
    }


def _segments(session_id):
    return TranscriptSegment.objects.filter(session_id=session_id).select_related("speaker__user")


class Speech(TypedDict):
    text: str
    at: str  # ISO time the segment began
    step: str | None
    segment_id: int


def candidate_speech(*, session_id) -> list[Speech]:
    """What the candidate said, segment by segment in time order, for the report's matcher."""
    return [
        {
            "text": segment.text,
            "at": _iso(segment.start_ms),
            "step": segment.step or None,
            "segment_id": segment.pk,
        }
        for segment in _segments(session_id).filter(speaker__role=Role.CANDIDATE)
    ]


def transcript_content(*, session_id) -> dict:
    """The report's transcript section: its status (and why when incomplete), the segments
    grouped by step, and speaking time."""
    counts = chunk_counts(session_id)
    failed = list(
        AudioChunk.objects.filter(session_id=session_id, status=AudioChunk.Status.FAILED)
        .order_by("start_ms")
        .values_list("index", "participant__role", "reason")[:20]
    )
    segments = list(_segments(session_id))
    chunks = sum(counts.values())
    if chunks == 0:
        status, note = "none", "This interview was not recorded."
    elif counts["transcribed"] == 0:
        status = "failed"
        note = "The recording could not be transcribed; this report is built without it."
    elif counts["failed"] or counts["pending"]:
        status = "partial"
        note = (
            f"{counts['failed'] + counts['pending']} of {chunks} pieces of audio could not be "
            "transcribed in time; what was said in them is not in this report."
        )
    else:
        status, note = "complete", ""
    by_step: dict[str, list[dict]] = {key: [] for key in ("", *STEP_KEYS)}
    for segment in segments:
        by_step.setdefault(segment.step, []).append(
            {
                "speaker": segment.speaker.user.username,
                "role": segment.speaker.role,
                "start": _iso(segment.start_ms),
                "end": _iso(segment.end_ms),
                "text": segment.text,
            }
        )
    return {
        "status": status,
        "note": note,
        "chunks": {**counts, "total": chunks},
        "failures": [
            {"index": index, "role": role, "reason": reason} for index, role, reason in failed
        ],
        "steps": [
            {
                "step": key or None,
                "title": STEPS_BY_KEY[key].title if key else "Before the timer started",
                "segments": items,
            }
            for key, items in by_step.items()
            if items
        ],
        "speaking": speaking_time((s.speaker.role, s.step, s.start_ms, s.end_ms) for s in segments),
    }
