"""Peer-practice matching benchmark: 10,000 synthetic people with weekly availability, each
asking for a partner in one of their slots of the coming week.

1. One matcher pairs the whole pool: pairings per second, and the share of requests matched
   within their slot (per level too, to see that nobody's level is left behind).
2. The same pool afresh, two matcher processes at once on PostgreSQL: the check that nobody
   is in two pairings (from the pairings themselves, not from the seats' unique index,
   which would hide a double claim by refusing it), and their combined rate.

Own databases (mockroom_bench_matching_one and _two), created afresh for each part.
"""

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import psycopg

from . import setup

# One database per part, so the parts may run side by side.
DB_NAMES = {"one": "mockroom_bench_matching_one", "two": "mockroom_bench_matching_two"}
USERS = 10_000
ZONES = (
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Sao_Paulo",
)
LANGUAGES = (["en"],) * 8 + (["en", "de"], ["en", "es"], ["es"], ["en", "hi"])
LEVELS = ("mid", "senior", "staff")
ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def database_url(part: str) -> str:
    return setup.database_url().rsplit("/", 1)[0] + "/" + DB_NAMES[part]


def _env(part: str) -> dict:
    env = setup.server_env()
    env.pop("REDIS_URL", None)  # the matcher needs no broker: it is called directly
    env["DATABASE_URL"] = database_url(part)
    return env


def _fresh_database(part: str) -> None:
    """Recreate the part's database and point Django's connection at it."""
    from django.db import connections

    connections.close_all()
    admin_url = database_url(part).rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAMES[part]} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAMES[part]}")
    connections["default"].settings_dict["NAME"] = DB_NAMES[part]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)


def _populate(users: int, *, seed: int) -> int:
    """`users` people with profiles, 2-4 evening or weekend slots a week in their own zone,
    and one request each for one of their slots next week. Returns the number of requests."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.utils import timezone

    from casestudies.guide import DOMAINS
    from practice.availability import Slot, slot_window, zone_check
    from practice.models import AvailabilitySlot, PracticeProfile, PracticeRequest

    rng = random.Random(seed)
    User.objects.bulk_create(
        [User(username=f"m{i:05d}", email=f"m{i:05d}@example.com") for i in range(users)],
        batch_size=2000,
    )
    people = list(User.objects.filter(username__startswith="m").order_by("pk"))
    profiles = []
    for user in people:
        profiles.append(
            PracticeProfile(
                user=user,
                level=rng.choices(LEVELS, weights=(4, 4, 2))[0],
                domains=rng.sample(DOMAINS, rng.randint(1, 3)),
                time_zone=rng.choice(ZONES),
                languages=rng.choice(LANGUAGES),
            )
        )
    PracticeProfile.objects.bulk_create(profiles, batch_size=2000)
    profiles = {p.user_id: p for p in PracticeProfile.objects.all()}
    slots, chosen = [], {}
    for user in people:
        mine = []
        for weekday in rng.sample(range(7), rng.randint(2, 4)):
            if weekday >= 5:
                start = rng.choice(range(8 * 60, 16 * 60 + 1, 30))
            else:
                start = rng.choice(range(17 * 60, 21 * 60 + 1, 30))
            length = rng.choice((120, 150, 180))
            mine.append(Slot(weekday, start, min(start + length, 24 * 60)))
        for slot in mine:
            slots.append(
                AvailabilitySlot(
                    profile=profiles[user.pk],
                    weekday=slot.weekday,
                    start_minute=slot.start_minute,
                    end_minute=slot.end_minute,
                )
            )
        chosen[user.pk] = rng.choice(mine)
    AvailabilitySlot.objects.bulk_create(slots, batch_size=5000)
    today = timezone.localdate()
    monday = today + timedelta(days=7 - today.weekday())
    requests = []
    for user in people:
        slot = chosen[user.pk]
        zone = zone_check(profiles[user.pk].time_zone)
        start, end = slot_window(slot, on=monday + timedelta(days=slot.weekday), zone=zone)
        requests.append(PracticeRequest(user=user, kind="slot", window_start=start, window_end=end))
    PracticeRequest.objects.bulk_create(requests, batch_size=5000)
    # Ages in a random order over the day before, as people would have asked: the matcher
    # serves the oldest first, so the order must not follow the user ids.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE practice_practicerequest AS r"
            " SET created_at = %s + o.n * interval '1 second'"
            " FROM (SELECT id, row_number() OVER (ORDER BY md5(id::text || %s)) AS n"
            " FROM practice_practicerequest) AS o WHERE r.id = o.id",
            [timezone.now() - timedelta(days=1), str(seed)],
        )
        # Fresh statistics, as autovacuum would have gathered for a pool built over days.
        cursor.execute("ANALYZE")
    return len(requests)


def _two_pairings_check() -> dict:
    from practice.models import Pairing, PairingInterview

    pairings = list(Pairing.objects.values_list("user_a_id", "user_b_id"))
    seated = Counter(uid for pair in pairings for uid in pair)
    interviewing = Counter(PairingInterview.objects.values_list("interviewer_id", flat=True))
    return {
        "pairings": len(pairings),
        "users_in_two_pairings": sum(1 for n in seated.values() if n > 1),
        "users_interviewing_more_than_once": sum(1 for n in interviewing.values() if n > 1),
    }


def _shares(total: int) -> dict:
    from practice.models import PracticeProfile, PracticeRequest

    matched = set(
        PracticeRequest.objects.filter(status="matched").values_list("user_id", flat=True)
    )
    by_level = Counter()
    matched_by_level = Counter()
    for user_id, level in PracticeProfile.objects.values_list("user_id", "level"):
        by_level[level] += 1
        matched_by_level[level] += user_id in matched
    return {
        "requests": total,
        "matched": len(matched),
        "share_matched_within_slot": round(len(matched) / total, 4),
        "share_by_level": {
            level: round(matched_by_level[level] / by_level[level], 4) for level in LEVELS
        },
    }


def _one_worker(users: int) -> dict:
    from practice.matching import match_requests

    _fresh_database("one")
    total = _populate(users, seed=12)
    started = time.perf_counter()
    run = match_requests()
    seconds = time.perf_counter() - started
    return {
        "users": users,
        "seconds": round(seconds, 2),
        "pairings": run.pairings,
        "pairings_per_second": round(run.pairings / seconds, 1),
        **_shares(total),
        **_two_pairings_check(),
    }


def _two_workers(users: int) -> dict:
    _fresh_database("two")
    total = _populate(users, seed=12)
    from django.db import connections

    connections.close_all()
    command = [sys.executable, "-m", "bench.run_matching", "--worker"]
    started = time.perf_counter()
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=_env("two"), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=3600)[0] for w in workers]
    seconds = time.perf_counter() - started
    assert all(w.returncode == 0 for w in workers), outputs
    per_worker = [dict(field.split("=") for field in out.split()) for out in outputs]
    check = _two_pairings_check()
    return {
        "users": users,
        "workers": 2,
        "seconds": round(seconds, 2),
        "pairings_per_worker": [int(w["pairings"]) for w in per_worker],
        "lost_races": sum(int(w["lost_races"]) for w in per_worker),
        "pairings_per_second": round(check["pairings"] / seconds, 1),
        **_shares(total),
        **check,
        "no_user_in_two_pairings": check["users_in_two_pairings"] == 0,
    }


def run_matching(
    users: int = USERS, concurrent_users: int | None = None, parts=("one", "two")
) -> dict:
    """The parts asked for, on the benchmark's own database (Django is set up on it here).
    Each part's figures are written as soon as it ends (bench/results/matching-<part>-*.json),
    so a long run that is stopped keeps what it measured."""
    os.environ.update(_env("one"))
    import django

    django.setup()
    results = {}
    if "one" in parts:
        results["one_worker"] = _one_worker(users)
        _write_part("one-worker", results["one_worker"])
    if "two" in parts:
        results["two_workers"] = _two_workers(concurrent_users or users)
        _write_part("two-workers", results["two_workers"])
    return results


def _write_part(name: str, result: dict) -> None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    text = json.dumps({**result, "load_average": os.getloadavg()}, indent=2)
    for path in (
        RESULTS / f"matching-{name}-{stamp}.json",
        RESULTS / f"matching-{name}-latest.json",
    ):
        path.write_text(text)
    print(f"matching, {name}: {text}", flush=True)


def _worker_main() -> None:
    import django

    django.setup()
    from practice.matching import match_requests

    run = match_requests()
    print(f"pairings={run.pairings} lost_races={run.lost_races} unmatched={run.unmatched}")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        _worker_main()
