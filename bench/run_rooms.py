"""Runs the room benchmark for the baseline relay, Mockroom on one process, and Mockroom on two
processes sharing every room through Redis; prints the table and the ratios."""

import os
import random
import sys
import time
import uuid

from testkit.processes import free_port, uvicorn_command

from . import setup
from .rooms import Server, holds, run_level

LEVELS = {
    "baseline": [10, 25, 50, 100, 150, 200],
    "mockroom-1proc": [10, 25, 50, 75, 100],
    # Two processes; sockets spread as a load balancer would (each to a random process), so
    # about half the rooms span both processes and go through Redis.
    "mockroom-2proc": [25, 50, 75, 100, 125, 150],
    # Two processes, every room split across them: every message crosses Redis.
    "mockroom-2proc-split": [10, 25, 50, 75, 100],
}
QUICK_LEVELS = [10, 50]
WARMUP = 2.0


def uvicorn_server(core: int) -> Server:
    port = free_port()
    command = uvicorn_command(port, "--log-level", "warning")
    return Server(command, core, setup.server_env(), port)


def stored_check(totals, since) -> dict:
    """Every acknowledged update must be in the database (element at least that version, and
    one logged event per accepted update)."""
    from interviews.models import RoomEvent, WhiteboardElement

    stored = dict(
        WhiteboardElement.objects.filter(element_id__in=list(totals.acked)).values_list(
            "element_id", "version"
        )
    )
    lost = sum(1 for eid, version in totals.acked.items() if stored.get(eid, 0) < version)
    logged = RoomEvent.objects.filter(type="whiteboard.update", created_at__gte=since).count()
    return {
        "acked_updates": totals.acks_accepted,
        "logged_updates": logged,
        "elements_behind": lost,
        "all_stored": lost == 0 and logged >= totals.acks_accepted,
    }


def run_system(name: str, levels: list[int], rooms, seconds: float) -> list[dict]:
    if name == "baseline":
        port = free_port()
        servers = [
            Server(
                [sys.executable, "-m", "bench.baseline_relay", str(port)], 0, dict(os.environ), port
            )
        ]
    elif name == "mockroom-1proc":
        servers = [uvicorn_server(0)]
    else:
        servers = [uvicorn_server(0), uvicorn_server(1)]
    # The generator gets the other core; with two server processes there is none left, so it
    # floats and its CPU is reported to show what it took.
    os.sched_setaffinity(0, {1} if len(servers) == 1 else {0, 1})
    for server in servers:
        server.start()
    rows = []
    try:
        for count in levels:
            targets = []
            spread = random.Random(count)
            for session_id, cookie_i, cookie_c in rooms[:count]:
                for user, cookie in ((0, cookie_i), (1, cookie_c)):
                    if name == "mockroom-2proc":
                        server = spread.choice(servers)
                    else:
                        server = servers[user % len(servers)]
                    path = f"/ws/sessions/{session_id}/"
                    targets.append(
                        (
                            f"ws://127.0.0.1:{server.port}{path}",
                            {"Cookie": cookie},
                            session_id,
                            user,
                        )
                    )
            since = time.time()
            from datetime import UTC, datetime

            started = datetime.fromtimestamp(since, UTC)
            result, totals = run_level(
                servers,
                targets,
                warmup=WARMUP,
                seconds=seconds,
                mockroom=name != "baseline",
                run=uuid.uuid4().hex[:6],
            )
            result = {"system": name, "rooms": count, **result}
            if name != "baseline":
                result.update(stored_check(totals, started))
            rows.append(result)
            print(format_row(result), flush=True)
            if not holds(result) or (name != "baseline" and not result["all_stored"]):
                break
    finally:
        for server in servers:
            server.stop()
    return rows


def format_row(r: dict) -> str:
    stored = "" if "all_stored" not in r else f" stored={'yes' if r['all_stored'] else 'NO'}"
    return (
        f"{r['system']:<21} rooms={r['rooms']:>4} p50={r['p50_ms']:>7.2f} p95={r['p95_ms']:>7.2f}"
        f" p99={r['p99_ms']:>8.2f} max={r['max_ms']:>8.2f} ms"
        f"  delivered/s={r['delivered_per_s']:>8.0f}"
        f" reach={r['reach']:.4f} cpu/1k={r['server_cpu_s_per_1000']} server_util="
        f"{r['server_cpu_util']} gen_util={r['generator_cpu_util']}"
        f" machine={r['machine_cores_busy']}{stored}"
    )


def largest_held(rows: list[dict]) -> int:
    held = [r["rooms"] for r in rows if holds(r) and r.get("all_stored", True)]
    return max(held, default=0)


def run_rooms(*, seconds: float, quick: bool) -> dict:
    from . import setup as bench_setup

    most = max(max(levels) for levels in LEVELS.values())
    rooms = bench_setup.make_rooms(most if not quick else max(QUICK_LEVELS))
    rows = {}
    for name, levels in LEVELS.items():
        rows[name] = run_system(name, QUICK_LEVELS if quick else levels, rooms, seconds)
    held = {name: largest_held(r) for name, r in rows.items()}
    ratios = []
    base = {r["rooms"]: r for r in rows["baseline"]}
    for r in rows["mockroom-1proc"]:
        b = base.get(r["rooms"])
        if b and b["server_cpu_s_per_1000"] and r["server_cpu_s_per_1000"]:
            ratios.append(
                {
                    "rooms": r["rooms"],
                    "p99_ratio": round(r["p99_ms"] / b["p99_ms"], 2),
                    "cpu_per_1000_ratio": round(
                        r["server_cpu_s_per_1000"] / b["server_cpu_s_per_1000"], 2
                    ),
                    "delivered_ratio": round(r["delivered_per_s"] / b["delivered_per_s"], 3),
                }
            )
    print("\nlargest number of rooms at p99 <= 50 ms with reach 100%:")
    for name, count in held.items():
        print(f"  {name:<21} {count}")
    if held["mockroom-1proc"]:
        for name in ("mockroom-2proc", "mockroom-2proc-split"):
            print(f"  {name} / mockroom-1proc: {held[name] / held['mockroom-1proc']:.2f}x")
    print("\nMockroom (1 process) / baseline at the same load:")
    for ratio in ratios:
        print(
            f"  rooms={ratio['rooms']:>4} p99 x{ratio['p99_ratio']}  "
            f"CPU per 1000 delivered x{ratio['cpu_per_1000_ratio']}"
        )
    return {
        "levels": rows,
        "largest_rooms_held": held,
        "ratios_vs_baseline": ratios,
        "seconds_per_level": seconds,
        "warmup": WARMUP,
        "p99_target_ms": 50,
    }
