"""The feedback report: gathering a session's facts from the database, handing them to the pure
analysis modules in `interviews.reports`, and the report's status transitions.

A build is idempotent: one Report row per session, content replaced in one transaction, and a
build that already completed is not completed again unless asked to (`force`, when the
interviewer regenerates or the candidate adds a self-assessment).
"""

import json
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from casestudies.framework import STEP_KEYS, STEPS_BY_KEY
from rubrics.scoring import BAND_LABELS, score_items

from ..models import (
    ChatMessage,
    InterviewSession,
    Note,
    Participant,
    Report,
    Role,
    RoomEvent,
    Score,
    SelfAssessment,
    WhiteboardElement,
    WhiteboardSnapshot,
)
from ..reports.coverage import concept_coverage, scene_texts
from ..reports.pitfalls import SessionFacts, detect_pitfalls
from ..reports.progress import recommend_next_cases, step_levels_from_scores, weakest_steps
from ..reports.svg import render_scene_svg
from ..reports.timing import step_timing
from ..room.notify import room_notify, users_notify

logger = logging.getLogger(__name__)
CONTENT_VERSION = 1


class ReportNotReady(Exception):
    pass


# --- status ------------------------------------------------------------------------------------


def _announce(report: Report) -> None:
    """After commit: tell the room, and every participant's open pages, the new status."""
    session_id, status = report.session_id, report.status
    user_ids = list(
        Participant.objects.filter(session_id=session_id).values_list("user_id", flat=True)
    )

    def tell() -> None:
        message = {"type": "report.status", "session_id": str(session_id), "status": status}
        room_notify(session_id, message)
        users_notify(user_ids, message)
        if status == Report.Status.READY:
            ready = {"type": "report.ready", "session_id": str(session_id)}
            room_notify(session_id, ready)
            users_notify(user_ids, ready)

    transaction.on_commit(tell)


def report_request(*, session: InterviewSession) -> Report:
    """Mark the report pending (a build is about to be queued)."""
    report, _ = Report.objects.get_or_create(session=session)
    report.status = Report.Status.PENDING
    report.error = ""
    report.save(update_fields=["status", "error", "updated_at"])
    _announce(report)
    return report


def report_fail(*, session_id, reason: str) -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(session_id=session_id)
        report.status = Report.Status.FAILED
        report.error = reason[:2000]
        report.save(update_fields=["status", "error", "updated_at"])
        _announce(report)


def report_build(*, session_id, force: bool = False) -> str:
    """Build the report of an ended session; returns the resulting status.

    Transient database errors propagate (the task retries them); anything else is a failed
    report with the reason, since running it again would fail the same way.
    """
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().select_related("session").get(session_id=session_id)
        )
        if report.session.status != InterviewSession.Status.ENDED:
            return report.status
        if report.status == Report.Status.READY and not force:
            return report.status  # already built: a second delivery changes nothing
        report.attempts += 1
        report.status = Report.Status.RUNNING
        report.save(update_fields=["attempts", "status", "updated_at"])
        _announce(report)
    try:
        content = report_content(session_id=session_id)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("report for %s failed", session_id)
        report_fail(session_id=session_id, reason=f"{type(exc).__name__}: {exc}")
        return Report.Status.FAILED
    with transaction.atomic():
        report = Report.objects.select_for_update().get(session_id=session_id)
        report.content = content
        report.status = Report.Status.READY
        report.error = ""
        report.completions += 1
        report.finished_at = timezone.now()
        report.save()
        _announce(report)
    return Report.Status.READY


def _transient_errors() -> tuple[type[BaseException], ...]:
    from django.db import InterfaceError, OperationalError

    return (OperationalError, InterfaceError, ConnectionError, TimeoutError)


TRANSIENT_ERRORS = _transient_errors()


# --- content -----------------------------------------------------------------------------------


def _step_at(changes: list[tuple[int, str]], seq: int) -> str:
    """The step that was current at `seq`, from (seq, step) of each timer change."""
    step = STEP_KEYS[0]
    for change_seq, change_step in changes:
        if change_seq > seq:
            break
        step = change_step
    return step


def _writing_by_step(session: InterviewSession, candidate_id) -> dict:
    """What the candidate wrote, from the room's log: the final text of each board element
    they last touched, their chat, and both grouped by the step that was current."""
    changes: list[tuple[int, str]] = []
    visit_order: list[str] = []
    last_writer: dict[str, int | None] = {}
    step_of_element: dict[str, str] = {}
    events = RoomEvent.objects.filter(
        session=session, type__in=("timer.state", "whiteboard.update")
    )
    for seq, kind, user_id, text in (
        events.order_by("seq")
        .values_list("seq", "type", "user_id", "payload")
        .iterator(chunk_size=2000)
    ):
        payload = json.loads(text)
        if kind == "timer.state":
            step = payload["timer"]["step"]
            running = payload["timer"]["status"] == "running"
            if running and (not visit_order or visit_order[-1] != step):
                visit_order.append(step)
            changes.append((seq, step))
            continue
        for element in payload["elements"]:
            last_writer[element["id"]] = user_id
            if element.get("type") == "text":
                step_of_element[element["id"]] = _step_at(changes, seq)
    final = [
        json.loads(data)
        for data in WhiteboardElement.objects.filter(session=session).values_list("data", flat=True)
    ]
    mine = [e for e in final if last_writer.get(e["id"]) == candidate_id]
    board_texts = scene_texts(mine)
    step_texts: dict[str, list[str]] = {key: [] for key in STEP_KEYS}
    for element in mine:
        if element["id"] in step_of_element:
            step_texts[step_of_element[element["id"]]].extend(scene_texts([element]))
    chat = []
    messages = ChatMessage.objects.filter(session=session, author_id=candidate_id)
    for text, seq in messages.values_list("text", "seq"):
        chat.append(text)
        step_texts[_step_at(changes, seq)].append(text)
    return {
        "texts": board_texts + chat,
        "step_texts": step_texts,
        "visit_order": visit_order,
        "final_elements": final,
    }


def _rubric_result(session: InterviewSession) -> dict:
    levels = {
        key: (level, comment)
        for key, level, comment in Score.objects.filter(session=session).values_list(
            "criterion__key", "level", "comment"
        )
    }
    rubric = session.rubric
    rows = list(rubric.criteria.all())
    criteria = []
    for criterion in rows:
        level, comment = levels.get(criterion.key, (None, ""))
        criteria.append(
            {
                "key": criterion.key,
                "title": criterion.title,
                "step": criterion.step or None,
                "weight": str(criterion.weight),
                "level": level,
                "level_label": rubric.levels.get(str(level)) if level else None,
                "anchor": criterion.anchors.get(str(level)) if level else None,
                "comment": comment,
            }
        )
    result = score_items((c.key, c.weight, levels.get(c.key, (None, ""))[0]) for c in rows)
    return {
        "name": rubric.name,
        "version": rubric.version,
        "criteria": criteria,
        "weighted_score": str(result.score) if result.score is not None else None,
        "band": result.band,
        "band_label": BAND_LABELS.get(result.band) if result.band else None,
        "scored_weight": str(result.scored_weight),
        "step_levels": step_levels_from_scores(
            [{"key": c["key"], "step": c["step"], "weight": c["weight"]} for c in criteria],
            {c["key"]: c["level"] for c in criteria},
        ),
    }


def _self_assessment(session: InterviewSession, step_levels: dict) -> dict:
    assessment = SelfAssessment.objects.filter(session=session).first()
    steps = []
    for key in STEP_KEYS:
        mine = assessment.levels.get(key) if assessment else None
        theirs = step_levels.get(key)
        steps.append(
            {
                "step": key,
                "title": STEPS_BY_KEY[key].title,
                "self_level": mine,
                "interviewer_level": theirs,
                "gap": round(mine - theirs, 2) if mine is not None and theirs is not None else None,
            }
        )
    return {"submitted": assessment is not None, "steps": steps}


def _progress(session: InterviewSession, candidate_id) -> dict:
    """The candidate's per-step levels over their ended interviews up to this one, and what to
    practise next."""
    from casestudies.models import CaseStudy

    ended_at: datetime = session.ended_at or timezone.now()
    mine = (
        InterviewSession.objects.filter(
            participants__user_id=candidate_id,
            participants__role=Role.CANDIDATE,
            status=InterviewSession.Status.ENDED,
            ended_at__lte=ended_at,
        )
        .select_related("case_study", "rubric")
        .prefetch_related("rubric__criteria", "scores__criterion")
        .order_by("ended_at")
    )
    history, by_step = [], {key: [] for key in STEP_KEYS}
    practised = set()
    for past in mine:
        practised.add(past.case_study.slug)
        criteria = [
            {"key": c.key, "step": c.step, "weight": c.weight} for c in past.rubric.criteria.all()
        ]
        levels = {s.criterion.key: s.level for s in past.scores.all()}
        step_levels = step_levels_from_scores(criteria, levels)
        overall = score_items((c["key"], c["weight"], levels.get(c["key"])) for c in criteria)
        history.append(
            {
                "session_id": str(past.pk),
                "ended_at": past.ended_at.isoformat() if past.ended_at else None,
                "case_study": past.case_study.title,
                "step_levels": step_levels,
                "weighted_score": str(overall.score) if overall.score is not None else None,
            }
        )
        for key, level in step_levels.items():
            if level is not None:
                by_step[key].append(level)
    cases = [
        {"slug": c.slug, "title": c.title, "difficulty": c.difficulty, "guide": c.guide}
        for c in CaseStudy.objects.all()
    ]
    return {
        "history": history,
        "weakest_steps": weakest_steps(by_step),
        "recommendations": recommend_next_cases(by_step, cases, practised),
    }


def _whiteboard(session: InterviewSession, final_elements: list[dict]) -> dict:
    snapshots = [
        {
            "step": snap.step,
            "title": STEPS_BY_KEY[snap.step].title,
            "reason": snap.reason,
            "svg": render_scene_svg(snap.elements),
        }
        for snap in WhiteboardSnapshot.objects.filter(session=session).order_by("created_at", "id")
        if snap.reason == "step_change"
    ]
    return {"final": render_scene_svg(final_elements), "snapshots": snapshots}


def report_content(*, session_id) -> dict:
    session = InterviewSession.objects.select_related("case_study", "rubric").get(pk=session_id)
    people = dict(Participant.objects.filter(session=session).values_list("role", "user__username"))
    candidate_id = (
        Participant.objects.filter(session=session, role=Role.CANDIDATE)
        .values_list("user_id", flat=True)
        .first()
    )
    writing = _writing_by_step(session, candidate_id)
    coverage = concept_coverage(session.case_study.guide, writing["texts"])
    facts = SessionFacts(
        plan=session.plan,
        step_seconds=session.step_seconds,
        texts=writing["texts"],
        coverage=coverage,
        step_texts=writing["step_texts"],
        visit_order=writing["visit_order"],
    )
    rubric = _rubric_result(session)
    found = sum(len(step["found"]) for step in coverage.values())
    total = found + sum(len(step["missing"]) for step in coverage.values())
    return {
        "version": CONTENT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "session": {
            "id": str(session.pk),
            "case_study": {
                "slug": session.case_study.slug,
                "title": session.case_study.title,
                "domain": session.case_study.domain,
                "difficulty": session.case_study.difficulty,
            },
            "interviewer": people.get(Role.INTERVIEWER),
            "candidate": people.get(Role.CANDIDATE),
            "started_at": session.started_at.isoformat() if session.started_at else None,
            "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        },
        "rubric": rubric,
        "time": step_timing(session.plan, session.step_seconds),
        "coverage": {"steps": coverage, "found": found, "total": total},
        "pitfalls": detect_pitfalls(facts),
        "whiteboard": _whiteboard(session, writing["final_elements"]),
        "self_assessment": _self_assessment(session, rubric["step_levels"]),
        "progress": _progress(session, candidate_id),
        "notes": [
            {"step": note.step, "title": STEPS_BY_KEY[note.step].title, "text": note.text}
            for note in Note.objects.filter(session=session, shared=True)
            if note.text.strip()
        ],
    }
