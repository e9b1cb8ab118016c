"""`make bench`: the room fan-out benchmark, the report benchmark, the replay benchmark (the
board at random moments of a 5,000-change session, from keyframes), the concept matcher's
precision, recall and speed, the transcription benchmark (real-time factor, upload size,
report-ready time of a recorded interview) and peer-practice matching, results in
bench/results/*.json. Rooms, reports, replay and transcription need PostgreSQL and Redis
(DATABASE_URL / REDIS_URL, defaulting to the local servers), matching PostgreSQL; each uses its
own database, created afresh; the concept matcher needs neither."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "--only",
        choices=["rooms", "reports", "replay", "matcher", "transcription", "matching"],
        default=None,
    )
    parser.add_argument(
        "--users", type=int, default=10_000, help="synthetic people for the matching part"
    )
    parser.add_argument(
        "--concurrent-users",
        type=int,
        default=None,
        help="people for matching's two-worker run (default: --users)",
    )
    parser.add_argument(
        "--matching-parts",
        default="one,two",
        help="matching's parts: one (a single worker), two (two workers at once)",
    )
    parser.add_argument("--seconds", type=float, default=8.0, help="measured window per level")
    parser.add_argument("--quick", action="store_true", help="fewer levels (a smoke run)")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    results = {}
    if args.only in (None, "matcher"):
        from .run_matcher import run_matcher

        results["matcher"] = run_matcher()
    if args.only == "matcher":
        _write(results)
        return
    if args.only == "matching":
        from .run_matching import run_matching

        # Writes each part's figures itself (matching-<part>-*.json) as soon as it ends.
        run_matching(
            users=args.users,
            concurrent_users=args.concurrent_users,
            parts=args.matching_parts.split(","),
        )
        return
    if args.only == "transcription":
        # Its own database and worker (bench/run_transcription.py); run alone or last, since it
        # pins this process to one core at the end.
        from .run_transcription import run_transcription

        results["transcription"] = run_transcription(quick=args.quick)
        _write(results)
        return
    from . import setup

    setup.configure()
    if args.only in (None, "rooms"):
        from .run_rooms import run_rooms

        results["rooms"] = run_rooms(seconds=args.seconds, quick=args.quick)
    if args.only in (None, "reports"):
        from .run_reports import run_reports

        results["reports"] = run_reports()
    if args.only in (None, "replay"):
        from .run_replay import run_replay

        results["replay"] = run_replay()
    if args.only is None:
        # A subprocess: this one is set up on the rooms and reports' database.
        import subprocess

        subprocess.run(
            [sys.executable, "-m", "bench", "--only", "transcription"]
            + (["--quick"] if args.quick else []),
            check=True,
        )
    _write(results)
    if args.only is None:
        from .run_matching import run_matching

        run_matching(
            users=args.users,
            concurrent_users=args.concurrent_users,
            parts=args.matching_parts.split(","),
        )


def _write(results: dict) -> None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for name, result in results.items():
        out = RESULTS / f"{name}-{stamp}.json"
        out.write_text(json.dumps(result, indent=2))
        (RESULTS / f"{name}-latest.json").write_text(json.dumps(result, indent=2))
        print(f"wrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.chdir(Path(__file__).resolve().parent.parent)
    main()
