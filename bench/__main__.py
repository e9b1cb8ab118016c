"""`make bench`: the room fan-out benchmark (and the report benchmark), results in
bench/results/*.json. Needs PostgreSQL and Redis (DATABASE_URL / REDIS_URL, defaulting to the
local servers); uses its own database, created afresh."""

import argparse
import json
import os
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--only", choices=["rooms", "reports"], default=None)
    parser.add_argument("--seconds", type=float, default=8.0, help="measured window per level")
    parser.add_argument("--quick", action="store_true", help="fewer levels (a smoke run)")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    from . import setup

    setup.configure()
    results = {}
    if args.only in (None, "rooms"):
        from .run_rooms import run_rooms

        results["rooms"] = run_rooms(seconds=args.seconds, quick=args.quick)
    if args.only in (None, "reports"):
        from .run_reports import run_reports

        results["reports"] = run_reports()
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
