"""Replay benchmark: the board of the synthetic 45-minute interview with 5,000 board changes
(the report benchmark's session, its log spread over 45 minutes) reconstructed at random
moments, from the keyframes against a replay of the whole log, on the server and with the
replay page's own code in Node; figures measured in the same run."""

import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

MOMENTS = 200
TARGET_MS = 100.0  # a jump in the browser, the bound
ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _spread_over_45_minutes(session) -> tuple[int, int]:
    """Give the log the times of a 45-minute interview (the synthetic one is written in
    seconds): evenly by seq, the session's start and end around it. Returns (start, end) ms."""
    from interviews.models import InterviewSession, RoomEvent

    session = InterviewSession.objects.get(pk=session.pk)
    started = session.created_at + timedelta(seconds=1)
    step = timedelta(minutes=45) / session.seq
    rows = list(RoomEvent.objects.filter(session=session).order_by("seq"))
    for row in rows:
        row.created_at = started + step * row.seq
    RoomEvent.objects.bulk_update(rows, ["created_at"], batch_size=1000)
    ended = started + timedelta(minutes=45)
    InterviewSession.objects.filter(pk=session.pk).update(started_at=started, ended_at=ended)
    return int(started.timestamp() * 1000), int(ended.timestamp() * 1000)


def _time_ms(fn, *args) -> tuple[float, object]:
    began = time.perf_counter()
    result = fn(*args)
    return (time.perf_counter() - began) * 1000, result


def _browser(pages_json: Path, moments: int) -> dict:
    """The page's reconstruction (replayModel.ts, bundled with its lodash import) in Node."""
    npx = shutil.which("npx")
    if npx is None or not (FRONTEND / "node_modules").exists():
        return {"skipped": "node and frontend/node_modules are needed"}
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "replayModel.mjs"
        subprocess.run(
            [
                npx,
                "rolldown",
                "src/pages/replay/replayModel.ts",
                "--format",
                "esm",
                "--file",
                str(bundle),
            ],
            cwd=FRONTEND,
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            [
                "node",
                str(ROOT / "bench" / "replay_browser.mjs"),
                str(bundle),
                str(pages_json),
                str(moments),
                "7",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
    return json.loads(out.stdout)


def run_replay() -> dict:
    from interviews.models import BoardKeyframe, InterviewSession, RoomEvent
    from interviews.replay.selectors import (
        board_at,
        board_at_from_log,
        board_page_text,
        board_pages,
    )
    from interviews.replay.services import board_keyframes_ensure

    from .run_reports import make_session

    random.seed(11)
    session = make_session()
    start, end = _spread_over_45_minutes(session)
    session = InterviewSession.objects.get(pk=session.pk)
    changes = RoomEvent.objects.filter(session=session, type="whiteboard.update").count()
    began = time.perf_counter()
    keyframes = board_keyframes_ensure(session=session)
    build_ms = (time.perf_counter() - began) * 1000
    moments = [random.randrange(start, end) for _ in range(MOMENTS)]
    keyed, full = [], []
    mismatches = 0
    for moment in moments:
        k_ms, from_keyframe = _time_ms(board_at, session.pk, moment)
        f_ms, from_log = _time_ms(board_at_from_log, session.pk, moment)
        keyed.append(k_ms)
        full.append(f_ms)
        mismatches += from_keyframe != from_log
    pages = board_pages(session)
    texts = [board_page_text(session, page["index"]) for page in pages]
    page_ms = [_time_ms(board_page_text, session, page["index"])[0] for page in pages]
    with tempfile.TemporaryDirectory() as tmp:
        pages_json = Path(tmp) / "pages.json"
        pages_json.write_text(
            '{"marks":'
            + json.dumps(pages)
            + ',"pages":['
            + ",".join(texts)
            + "]"
            + f',"start":{start},"end":{end}}}'
        )
        browser = _browser(pages_json, MOMENTS)
    keyed_p95, full_p95 = _p95(keyed), _p95(full)
    result = {
        "whiteboard_changes": changes,
        "session_minutes": 45,
        "keyframes": keyframes,
        "keyframe_rows": BoardKeyframe.objects.filter(session=session).count(),
        "build_keyframes_ms": round(build_ms, 1),
        "moments": MOMENTS,
        "server_keyframe_p50_ms": round(statistics.median(keyed), 2),
        "server_keyframe_p95_ms": round(keyed_p95, 2),
        "server_full_replay_p95_ms": round(full_p95, 2),
        "server_full_over_keyframe_ratio": round(full_p95 / keyed_p95, 1),
        "server_mismatches": mismatches,
        "page_bytes_max": max(len(text.encode()) for text in texts),
        "page_bytes_median": int(statistics.median(len(text.encode()) for text in texts)),
        "page_read_p95_ms": round(_p95(page_ms), 2) if len(page_ms) > 1 else page_ms[0],
        "browser": browser,
        "target_ms": TARGET_MS,
    }
    if "jump_p95_ms" in browser:
        result["browser_within_target"] = browser["jump_p95_ms"] < TARGET_MS
        result["browser_full_over_jump_ratio"] = round(
            browser["full_replay_p95_ms"] / browser["jump_p95_ms"], 1
        )
    print(
        f"replay of a 45-minute session ({changes} board changes, {keyframes} keyframes, built in"
        f" {build_ms:.0f} ms): board at a random moment p95 {keyed_p95:.1f} ms from a keyframe vs"
        f" {full_p95:.1f} ms replaying the log ({full_p95 / keyed_p95:.1f}x) on the server;"
        f" largest page {result['page_bytes_max'] // 1024} KB;"
        + (
            f" in the page's code (Node) p95 {browser['jump_p95_ms']:.2f} ms per jump vs"
            f" {browser['full_replay_p95_ms']:.2f} ms from the start; target < {TARGET_MS:.0f} ms"
            f" in the browser: {'met' if result['browser_within_target'] else 'MISSED'}"
            if "jump_p95_ms" in browser
            else f" browser part skipped: {browser.get('skipped')}"
        )
    )
    return result
