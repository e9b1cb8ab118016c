"""Transcription benchmark (issue 10): the recognizer's real-time factor on one core with the
default model, the upload's bytes per minute of Opus speech, and how soon after the end of a
recorded interview its report is ready.

Speech is synthetic (espeak-ng at 150 words a minute, the same sentences the tests use), encoded
as a browser would upload it: standalone Opus-in-WebM chunks of ten seconds.

Report-ready time: a real Celery worker (one process pinned to one core) transcribes the chunks
of a recorded interview played in real time (two people, both speaking, each uploading a chunk
every ten seconds, the timer walking through the seven steps), against PostgreSQL and Redis. The
clock starts when the interviewer ends the interview and stops when the report is ready. A
45-minute interview is not played for 45 minutes: as long as the worker keeps up (its busy share
is reported), what is left to do at the end does not grow with the length (the last chunks of
each person), but the report build does, so the 45-minute figure is the measured one with the
short report's build time replaced by the build time of a report holding 45 minutes of
transcript (measured on the same session with segments added).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
CHUNK_SECONDS = 10
TARGET_RTF = 0.15
TARGET_READY_SECONDS = 90
CANDIDATE_LINES = [
    "For offline evaluation the model is measured with NDCG at ten and recall at one hundred.",
    "Candidates come from a two tower model with an approximate nearest neighbour index.",
    "I would log impressions and clicks and join them in a streaming job to build labels.",
    "Online we run an A B test and watch click through rate and dwell time as guardrails.",
    "If the ranking service times out we fall back to a cached popular list.",
    "We monitor feature drift and calibration and retrain the model every week.",
]
INTERVIEWER_LINES = [
    "How would you know the ranking got better?",
    "What happens when the feature store is down?",
    "How big is the candidate set per request?",
]


def _db_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mockroom")
    server = base.rsplit("/", 1)[0]
    return server + "/postgres", server + "/mockroom_bench_transcription"


def _redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _pin_to_one_core() -> int:
    core = sorted(os.sched_getaffinity(0))[-1]
    os.sched_setaffinity(0, {core})
    return core


# --- speed and size (no database) --------------------------------------------------------------


def measure_rtf_and_size() -> dict:
    """RTF (wall and CPU seconds per second of audio) of the bundled model on 10-s chunks, and
    CPU RTF on 30-s chunks, on one pinned core; and the bytes per minute of the chunks at two
    speech bitrates. CPU time is the figure to compare on a shared machine: wall time there
    also counts other processes' turns on the core."""
    import numpy as np

    from interviews.recordings.transcribe import model_dir, transcribe_audio, whisper_model
    from testkit.audio import SAMPLE_RATE, chunks_of, silence, speak

    core = _pin_to_one_core()
    speech = np.concatenate(
        [part for line in CANDIDATE_LINES for part in (speak(line), silence(0.6))]
    )
    seconds = len(speech) / SAMPLE_RATE
    began = time.perf_counter()
    whisper_model()
    load_seconds = time.perf_counter() - began

    size = {}
    for bitrate in (24_000, 32_000):
        chunks = chunks_of(speech, seconds=CHUNK_SECONDS, bitrate=bitrate)
        total = sum(len(body) for body, _ in chunks)
        size[f"{bitrate // 1000}k"] = {
            "bytes_per_minute": round(total / seconds * 60),
            "bytes_per_10s_chunk_mean": round(total / len(chunks)),
        }
    chunks = chunks_of(speech, seconds=CHUNK_SECONDS, bitrate=24_000)

    import io

    from interviews.recordings.vocabulary import hotwords_for

    hotwords = hotwords_for(
        {
            "steps": {
                "evaluation": {
                    "key_concepts": [{"name": "Ranking metrics", "aliases": ["NDCG", "MRR"]}]
                }
            }
        }
    )
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        words = 0
        for body, _ in chunks:
            words += sum(
                len(s.words) for s in transcribe_audio(io.BytesIO(body), hotwords=hotwords)
            )
        runs.append((time.perf_counter() - wall, time.process_time() - cpu, words))
    wall_s = statistics.median(r[0] for r in runs)
    cpu_s = statistics.median(r[1] for r in runs)
    # Whisper pads every file to a 30-s window, so the worker transcribes a speaker's chunks
    # three at a time (transcription.BATCH_MS): each chunk decoded, the run concatenated, one pass.
    from interviews.recordings.transcribe import SAMPLE_RATE as DECODED_RATE
    from interviews.recordings.transcribe import decode
    from interviews.recordings.transcription import BATCH_MS

    per_run = BATCH_MS // (CHUNK_SECONDS * 1000)
    batched, full = [], []
    for _ in range(3):
        cpu, full_cpu, full_samples = time.process_time(), 0.0, 0
        for first in range(0, len(chunks), per_run):
            run = chunks[first : first + per_run]
            samples = np.concatenate([decode(io.BytesIO(body)) for body, _ in run])
            began = time.process_time()
            transcribe_audio(samples, hotwords=hotwords)
            if len(run) == per_run:  # a whole window: what almost all of a long track is
                full_cpu += time.process_time() - began
                full_samples += len(samples)
        batched.append(time.process_time() - cpu)
        full.append(full_cpu / (full_samples / DECODED_RATE) if full_samples else None)
    batched_cpu = statistics.median(batched)
    full_runs = [f for f in full if f is not None]
    return {
        "model": model_dir(),
        "core": core,
        "cpu_threads": 1,
        "audio_seconds": round(seconds, 1),
        "model_load_seconds": round(load_seconds, 2),
        "chunks": len(chunks),
        "words_recognised": runs[-1][2],
        "rtf_wall_one_chunk_per_pass": round(wall_s / seconds, 3),
        "rtf_cpu_one_chunk_per_pass": round(cpu_s / seconds, 3),
        "rtf_cpu": round(batched_cpu / seconds, 3),
        # The short last run is padded to a whole window; a 45-minute track is nearly all
        # whole runs, so this is the figure for a real interview.
        "rtf_cpu_whole_runs_only": round(statistics.median(full_runs), 3) if full_runs else None,
        "batched_vs_one_chunk_per_pass": round(batched_cpu / cpu_s, 3),
        "rtf_target": TARGET_RTF,
        "upload_size": size,
    }


# --- report-ready time (PostgreSQL, Redis, a real worker) --------------------------------------


def _configure_django() -> dict:
    admin_url, url = _db_urls()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS mockroom_bench_transcription WITH (FORCE)")
        conn.execute("CREATE DATABASE mockroom_bench_transcription")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": url,
        "REDIS_URL": _redis_url(),
        "DJANGO_MEDIA_ROOT": str(ROOT / "test-artifacts" / "bench-media"),
        "LOG_LEVEL": "WARNING",
        "HF_HUB_OFFLINE": "1",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    return env


def _start_worker(env: dict, core: int) -> subprocess.Popen:
    log = ROOT / "test-artifacts" / "bench-transcription-worker.log"
    log.parent.mkdir(exist_ok=True)
    command = [
        *("taskset", "-c", str(core)),
        *(sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork"),
        *("--concurrency", "1", "--loglevel", "INFO", "-n", "bench-transcription@%h"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT
    )


def _play(minutes: float, clips: dict) -> tuple:
    """Play a recorded interview in real time; returns (session, chunk count, the end time)."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from casestudies.framework import STEP_KEYS
    from casestudies.models import CaseStudy
    from interviews.models import Participant
    from interviews.recordings.services import chunk_store, consent_set
    from interviews.room import services as room_services
    from interviews.sessions import services

    interviewer = User.objects.create_user("bench-rec-i")
    candidate = User.objects.create_user("bench-rec-c")
    case = CaseStudy.objects.order_by("slug").first()
    session, invite = services.session_create(user=interviewer, case_study=case, role="interviewer")
    services.invite_accept(token=invite.token, user=candidate)
    people = {p.role: p for p in Participant.objects.filter(session=session)}
    for participant in people.values():
        consent_set(participant=participant, consented=True)
    room_services.timer_command(
        session_id=session.pk, role="interviewer", command="timer.start", fields={}
    )
    count = round(minutes * 60 / CHUNK_SECONDS)
    t0 = int(timezone.now().timestamp() * 1000)
    per_step = max(1, count // len(STEP_KEYS))
    for index in range(count):
        # Each chunk is uploaded when it has been recorded, ten seconds after it began.
        due = t0 / 1000 + (index + 1) * CHUNK_SECONDS
        time.sleep(max(0.0, due - time.time()))
        if index and index % per_step == 0 and index // per_step < len(STEP_KEYS):
            room_services.timer_command(
                session_id=session.pk,
                role="interviewer",
                command="timer.goto",
                fields={"step": STEP_KEYS[index // per_step]},
            )
        for role, participant in people.items():
            body, duration = clips[role][index % len(clips[role])]
            chunk_store(
                participant=participant,
                index=index,
                start_ms=t0 + index * CHUNK_SECONDS * 1000,
                duration_ms=duration,
                content_type="audio/webm",
                body=body,
            )
    ended = time.perf_counter()
    room_services.session_end(session_id=session.pk, role="interviewer")
    return session, count * 2, ended


def _ten_second_clips(lines: list[str]) -> list[tuple[bytes, int]]:
    import numpy as np

    from testkit.audio import SAMPLE_RATE, encode_webm, silence, speak

    clips = []
    for line in lines:
        voice = speak(line)[: CHUNK_SECONDS * SAMPLE_RATE]
        padded = np.concatenate([voice, silence(CHUNK_SECONDS - len(voice) / SAMPLE_RATE)])
        clips.append((encode_webm(padded), CHUNK_SECONDS * 1000))
    return clips


def _build_seconds(session_id) -> tuple[float, float]:
    """Median (wall, CPU) seconds of building the session's report content."""
    from interviews.reports.build import report_content

    report_content(session_id=session_id)  # warm: the matcher's model is loaded once
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        report_content(session_id=session_id)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _add_segments_to(session, minutes: float) -> int:
    """Copy the session's segments until they cover `minutes` of interview (both people)."""
    from interviews.models import TranscriptSegment

    existing = list(TranscriptSegment.objects.filter(session=session).order_by("start_ms"))
    if not existing:
        return 0
    span = existing[-1].end_ms - existing[0].start_ms + CHUNK_SECONDS * 1000
    copies = []
    shift = span
    while shift < minutes * 60_000:
        for segment in existing:
            copies.append(
                TranscriptSegment(
                    session=session,
                    chunk_id=segment.chunk_id,
                    speaker_id=segment.speaker_id,
                    start_ms=segment.start_ms + shift,
                    end_ms=segment.end_ms + shift,
                    text=segment.text,
                    words=segment.words,
                    step=segment.step,
                )
            )
        shift += span
    TranscriptSegment.objects.bulk_create(copies, batch_size=500)
    return TranscriptSegment.objects.filter(session=session).count()


def measure_report_ready(env: dict, minutes: float, rtf_cpu: float) -> dict:
    from django.db.models import Avg, F, Max

    from interviews.models import AudioChunk, Report

    clips = {
        "candidate": _ten_second_clips(CANDIDATE_LINES),
        "interviewer": _ten_second_clips(INTERVIEWER_LINES),
    }
    from config.celery import app as celery_app

    celery_app.control.purge()  # nothing left over from an earlier run's database
    core = sorted(os.sched_getaffinity(0))[-1]
    worker = _start_worker(env, core)
    try:
        time.sleep(8)  # the worker starts and loads the model before the interview begins
        session, chunks, ended = _play(minutes, clips)
        while True:
            report = Report.objects.get(session=session)
            if report.status in (Report.Status.READY, Report.Status.FAILED):
                break
            if time.perf_counter() - ended > 900:
                raise RuntimeError("the report was not ready within fifteen minutes")
            time.sleep(0.1)
        ready_after_end = time.perf_counter() - ended
    finally:
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(10)
    rows = AudioChunk.objects.filter(session=session)
    lag = rows.aggregate(
        mean=Avg(F("transcribed_at") - F("created_at")),
        worst=Max(F("transcribed_at") - F("created_at")),
    )
    short_build, _ = _build_seconds(session.pk)
    segments_45 = _add_segments_to(session, 45)
    long_build, long_build_cpu = _build_seconds(session.pk)
    projected = ready_after_end - short_build + long_build
    # Without other load on the core: what is left at the end is each person's last run of
    # chunks (at most one window; the worker keeps up when two speakers need less than one core:
    # 2 x RTF < 1), then the build. CPU seconds, so other processes' load on this shared machine
    # does not count.
    from interviews.recordings.transcription import BATCH_MS

    uncontended = 2 * BATCH_MS / 1000 * rtf_cpu + long_build_cpu
    return {
        "interview_minutes": minutes,
        "chunks": chunks,
        "chunk_statuses": {
            status: rows.filter(status=status).count() for status in ("transcribed", "failed")
        },
        "report_status": report.status,
        "upload_to_transcribed_seconds_mean": round(lag["mean"].total_seconds(), 2),
        "upload_to_transcribed_seconds_max": round(lag["worst"].total_seconds(), 2),
        "report_ready_after_end_seconds": round(ready_after_end, 2),
        "report_build_seconds_short": round(short_build, 3),
        "report_build_seconds_45_minutes": round(long_build, 3),
        "segments_in_45_minute_report": segments_45,
        "report_ready_after_end_seconds_45_minutes_projected": round(projected, 2),
        "report_build_cpu_seconds_45_minutes": round(long_build_cpu, 3),
        "report_ready_after_end_seconds_45_minutes_one_free_core": round(uncontended, 2),
        "worker_keeps_up": 2 * rtf_cpu < 1,
        "target_seconds": TARGET_READY_SECONDS,
    }


def run_transcription(*, quick: bool = False) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault(
        "DJANGO_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    os.environ["HF_HUB_OFFLINE"] = "1"
    # Django on the bench's own database first (the speed part needs its settings), then the
    # speed part on one pinned core, then the recorded interview with its worker.
    env = _configure_django()
    speed = measure_rtf_and_size()
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))
    ready = measure_report_ready(env, 1.0 if quick else 2.0, speed["rtf_cpu"])
    load = os.getloadavg()
    result = {
        "speed": speed,
        "report": ready,
        "machine": {"cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 2) for x in load]},
    }
    print(
        f"transcription: RTF {speed['rtf_cpu']} cpu in runs of chunks (target <= {TARGET_RTF}), "
        f"{speed['rtf_cpu_whole_runs_only']} in whole 30-s runs only, "
        f"{speed['rtf_cpu_one_chunk_per_pass']} one chunk per pass; "
        f"{speed['upload_size']['24k']['bytes_per_minute']} B/min at 24 kbit/s; "
        f"report ready {ready['report_ready_after_end_seconds']} s after the end of a "
        f"{ready['interview_minutes']}-minute interview, "
        f"{ready['report_ready_after_end_seconds_45_minutes_projected']} s projected for 45, "
        f"{ready['report_ready_after_end_seconds_45_minutes_one_free_core']} s on a free core"
    )
    return result
