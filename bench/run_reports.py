"""Report benchmark: build the feedback report of a synthetic 45-minute interview with 5,000
whiteboard changes and 200 chat messages, and compare with the time it takes just to load that
session's rows from the database (the floor any report builder pays)."""

import json
import random
import statistics
import time

from testkit.excalidraw import element

CHANGES, CHATS, ELEMENTS, REPEATS = 5000, 200, 300, 5
TARGET_SECONDS = 1.0


WORDS = [
    "ANN index",
    "two-tower",
    "NDCG@10",
    "fallback cache",
    "feature store",
    "p99 latency",
    "A/B test",
    "drift alert",
    "label from clicks",
    "baseline",
]
KINDS = ("rectangle", "text", "arrow", "ellipse", "freedraw", "diamond", "line")


def _element(i: int, version: int) -> dict:
    kind = KINDS[i % len(KINDS)]
    extra = {"x": random.uniform(0, 1600), "y": random.uniform(0, 900), "seed": i}
    if kind == "text":
        extra["text"] = random.choice(WORDS)
    if kind in ("arrow", "line", "freedraw"):
        count = 12 if kind == "freedraw" else 3
        extra["points"] = [[j * 7.0, (j % 5) * 6.0] for j in range(count)]
    return element(f"el-{i}", version, kind=kind, **extra)


def make_session():
    from django.contrib.auth.models import User

    from casestudies.framework import STEP_KEYS
    from casestudies.models import CaseStudy
    from interviews.feedback import services as feedback_services
    from interviews.models import InterviewSession
    from interviews.room import services as room_services
    from interviews.room.whiteboard import WhiteboardWrite, whiteboard_apply_batch
    from testkit.interviews import interview_between, timer

    interviewer = User.objects.create_user(f"report-bench-i{random.randint(0, 10**9)}")
    candidate = User.objects.create_user(f"report-bench-c{random.randint(0, 10**9)}")
    session = interview_between(interviewer, candidate, CaseStudy.objects.order_by("slug").first())
    timer(session, "timer.start")
    versions = [0] * ELEMENTS
    per_step = CHANGES // len(STEP_KEYS)
    chats_per_step = CHATS // len(STEP_KEYS)
    done = 0
    for index, step in enumerate(STEP_KEYS):
        if index:
            timer(session, "timer.goto", step=step)
        count = per_step if index < len(STEP_KEYS) - 1 else CHANGES - done
        writes = []
        for _ in range(count):
            i = random.randrange(ELEMENTS)
            versions[i] += 1
            user, role = (
                (candidate, "candidate") if random.random() < 0.8 else (interviewer, "interviewer")
            )
            writes.append(
                WhiteboardWrite(
                    session_id=session.pk,
                    user_id=user.pk,
                    role=role,
                    elements=[_element(i, versions[i])],
                )
            )
        for start in range(0, len(writes), 100):
            whiteboard_apply_batch(writes[start : start + 100])
        done += count
        for n in range(chats_per_step + (CHATS % len(STEP_KEYS) if index == 6 else 0)):
            room_services.chat_send(
                session_id=session.pk,
                user=candidate,
                role="candidate",
                text=f"thinking about {step}: option {n} with a cache",
            )
    for criterion in session.rubric.criteria.all():
        feedback_services.score_set(
            session=session,
            role="interviewer",
            criterion_key=criterion.key,
            level=random.randint(1, 4),
            comment="Solid reasoning.",
        )
    InterviewSession.objects.filter(pk=session.pk).update(
        step_seconds={key: 45 * 60 / len(STEP_KEYS) for key in STEP_KEYS}
    )
    room_services.session_end(session_id=session.pk, role="interviewer")
    return session


def load_rows(session_id) -> int:
    """Every row of the session a report reads, loaded and decoded, nothing computed."""
    from interviews.models import (
        ChatMessage,
        Note,
        RoomEvent,
        Score,
        WhiteboardElement,
        WhiteboardSnapshot,
    )

    events = RoomEvent.objects.filter(session_id=session_id).values_list("payload", flat=True)
    elements = WhiteboardElement.objects.filter(session_id=session_id).values_list(
        "data", flat=True
    )
    # The log and the scene are stored as JSON text: decoding them is part of loading.
    rows = sum(1 for text in events if json.loads(text)) + sum(
        1 for text in elements if json.loads(text)
    )
    for queryset in (
        ChatMessage.objects.filter(session_id=session_id).values_list("text", "seq"),
        WhiteboardSnapshot.objects.filter(session_id=session_id).values_list("elements", flat=True),
        Score.objects.filter(session_id=session_id).values_list("criterion__key", "level"),
        Note.objects.filter(session_id=session_id).values_list("text", flat=True),
    ):
        rows += len(list(queryset))
    return rows


def run_reports() -> dict:
    from interviews.reports.build import report_content

    session = make_session()
    load_times, build_times = [], []
    rows = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        rows = load_rows(session.pk)
        load_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        content = report_content(session_id=session.pk)
        build_times.append(time.perf_counter() - started)
    load, build = statistics.median(load_times), statistics.median(build_times)
    result = {
        "whiteboard_changes": CHANGES,
        "chat_messages": CHATS,
        "rows_loaded": rows,
        "load_rows_seconds": round(load, 4),
        "build_report_seconds": round(build, 4),
        "build_over_load_ratio": round(build / load, 2),
        "target_seconds": TARGET_SECONDS,
        "within_target": build < TARGET_SECONDS,
        "pitfalls_found": len(content["pitfalls"]),
        "repeats": REPEATS,
    }
    print(
        f"report of a 45-minute session ({CHANGES} whiteboard changes, {CHATS} chat "
        f"messages): build {build:.3f} s (median of {REPEATS}); loading its {rows} rows "
        f"{load:.3f} s; build/load = {build / load:.2f}x; target < {TARGET_SECONDS} s: "
        f"{'met' if build < TARGET_SECONDS else 'MISSED'}"
    )
    return result
