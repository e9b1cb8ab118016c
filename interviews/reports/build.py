"""Building the feedback report: gathering a session's facts from the database and handing them
to the pure analysis (`analysis/`) and rendering (`render/`) modules.

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
from casestudies.models import CaseStudy
from rubrics.scoring import BAND_LABELS, Judgement, judge_items, score_items

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
from ..protocol.elements import valid_elements
from ..recordings.transcript import candidate_speech, transcript_content
from ..transient import TRANSIENT_ERRORS
from .analysis.coverage import Passage, TextIndex, concept_coverage, scene_texts
from .analysis.matching import semantic
from .analysis.overrides import apply_overrides
from .analysis.pitfalls import SessionFacts, detect_pitfalls
from .analysis.progress import recommend_next_cases, step_levels_from_scores, weakest_steps
from .analysis.timing import step_timing
from .render.svg import render_scene_svg
from .selectors import report_decisions
from .status import report_fail, report_status_announce

logger = logging.getLogger(__name__)
# 2: credits and pitfalls carry quotes; coverage says if meaning was used. 3: what the
# candidate said counts too (evidence source "speech"); the transcript and speaking time.
# 4: each step snapshot says when it was taken (its moment in the replay).
CONTENT_VERSION = 4


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
        report_status_announce(report)
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
        report_status_announce(report)
    return Report.Status.READY


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
    they last touched and their chat, each as a `Passage` that says where it was written, when
    (the element's last change, the message's time) and in which step, and both grouped by
    the step that was current."""
    changes: list[tuple[int, str]] = []
    visit_order: list[str] = []
    last_writer: dict[str, int | None] = {}
    last_written: dict[str, str] = {}
    step_of_element: dict[str, str] = {}
    events = RoomEvent.objects.filter(
        session=session, type__in=("timer.state", "whiteboard.update")
    )
    for seq, kind, user_id, text, created_at in (
        events.order_by("seq")
        .values_list("seq", "type", "user_id", "payload", "created_at")
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
        for element in valid_elements(payload.get("elements")):
            last_writer[element["id"]] = user_id
            last_written[element["id"]] = created_at.isoformat()
            if element.get("type") == "text":
                step_of_element[element["id"]] = _step_at(changes, seq)
    final = valid_elements(
        [
            json.loads(data)
            for data in WhiteboardElement.objects.filter(session=session).values_list(
                "data", flat=True
            )
        ]
    )
    mine = [e for e in final if last_writer.get(e["id"]) == candidate_id]
    board: list[Passage] = []
    step_texts: dict[str, list[Passage]] = {key: [] for key in STEP_KEYS}
    for element in mine:
        step = step_of_element.get(element["id"])
        for text in scene_texts([element]):
            passage = Passage(
                text,
                source="board",
                at=last_written.get(element["id"]),
                step=step,
                ref=str(element["id"]),
            )
            board.append(passage)
            if step is not None:
                step_texts[step].append(passage)
    chat: list[Passage] = []
    messages = ChatMessage.objects.filter(session=session, author_id=candidate_id)
    for text, seq, created_at in messages.order_by("seq").values_list("text", "seq", "created_at"):
        step = _step_at(changes, seq)
        passage = Passage(text, source="chat", at=created_at.isoformat(), step=step, ref=str(seq))
        chat.append(passage)
        step_texts[step].append(passage)
    return {
        "texts": board + chat,
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
    result = judge_items(
        rubric.scoring,
        ((c.key, c.weight, levels.get(c.key, (None, ""))[0]) for c in rows),
        target_level=session.target_level,
    )
    content = {
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
    if isinstance(result, Judgement):
        # Rubrics without level bars (version 1) keep the content they always had.
        content.update(_judgement_content(session, criteria, result))
    return content


def _judgement_content(session: InterviewSession, criteria: list[dict], result: Judgement) -> dict:
    """The verdict against the session's target level, the must-pass criteria, and what was
    left unscored, saying which steps the interview never reached (no time on the clock)."""
    gates = set(result.gates_failed) | set(result.gates_unscored)
    titles = {c["key"]: c["title"] for c in criteria}
    scheme_gates = [c for c in criteria if c["key"] in session.rubric.scoring.get("gates", [])]
    for criterion in criteria:
        criterion["gate"] = criterion["key"] in session.rubric.scoring.get("gates", [])
        step = criterion["step"]
        criterion["not_reached"] = bool(
            criterion["level"] is None
            and step
            and not (session.step_seconds or {}).get(step)
            and step != STEP_KEYS[0]  # an interview starts at the first step
        )
    unscored = [c for c in criteria if c["level"] is None]
    reached_none = [c["title"] for c in unscored if c["not_reached"]]
    other = [c["title"] for c in unscored if not c["not_reached"]]
    notes = []
    if reached_none:
        notes.append(f"Not reached, so not scored: {', '.join(reached_none)}.")
    if other:
        notes.append(f"Not scored: {', '.join(other)}.")
    if unscored and result.score is not None:
        notes.append(f"The score rests on {result.scored_weight:.0%} of the rubric's weight.")
    failed = [titles[key] for key in result.gates_failed]
    missing = [titles[key] for key in result.gates_unscored]
    gate_note = ""
    if failed or missing:
        parts = [f"{', '.join(failed)} scored 1"] if failed else []
        parts += [f"{', '.join(missing)} not scored"] if missing else []
        gate_note = (
            f"Must-pass: {'; '.join(parts)}, so no level is met and the band is at"
            " most lean no hire."
        )
    return {
        "target_level": result.target_level,
        "level_met": result.level_met,
        "verdict": result.verdict,
        "gates": [
            {
                "key": c["key"],
                "title": c["title"],
                "level": c["level"],
                "passed": c["key"] not in gates,
            }
            for c in scheme_gates
        ],
        "gate_note": gate_note,
        "unscored_note": " ".join(notes),
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
            "at": snap.created_at.isoformat(),
            "svg": render_scene_svg(valid_elements(snap.elements)),
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
    # What the candidate said counts as what they wrote (never the interviewer's words).
    for said in candidate_speech(session_id=session.pk):
        passage = Passage(
            said["text"],
            source="speech",
            at=said["at"],
            step=said["step"],
            ref=str(said["segment_id"]),
        )
        writing["texts"].append(passage)
        if passage.step is not None:
            writing["step_texts"][passage.step].append(passage)
    guide = session.case_study.guide
    index = TextIndex(writing["texts"])  # tokenised once for coverage and the pitfall rules
    coverage = concept_coverage(guide, index)
    facts = SessionFacts(
        plan=session.plan,
        step_seconds=session.step_seconds,
        texts=writing["texts"],
        coverage=coverage,
        step_texts=writing["step_texts"],
        visit_order=writing["visit_order"],
        rules=guide.get("pitfall_rules") or {},
    )
    rubric = _rubric_result(session)
    found = sum(len(step["found"]) for step in coverage.values())
    total = found + sum(len(step["missing"]) for step in coverage.values())
    content = {
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
        "coverage": {
            "steps": coverage,
            "found": found,
            "total": total,
            "semantic": semantic.status(),
        },
        "pitfalls": detect_pitfalls(facts, index),
        "whiteboard": _whiteboard(session, writing["final_elements"]),
        "self_assessment": _self_assessment(session, rubric["step_levels"]),
        "progress": _progress(session, candidate_id),
        "transcript": transcript_content(session_id=session.pk),
        "notes": [
            {"step": note.step, "title": STEPS_BY_KEY[note.step].title, "text": note.text}
            for note in Note.objects.filter(session=session, shared=True)
            if note.text.strip()
        ],
    }
    # The interviewer's confirmations and rejections survive the rebuild where they still apply.
    return apply_overrides(content, report_decisions(session.pk))
