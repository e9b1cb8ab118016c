"""The benchmark's own database and accounts: created afresh on each run."""

import os

import psycopg

BENCH_SECRET = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mockroom")
    return base.rsplit("/", 1)[0] + "/mockroom_bench"


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/3"


def server_env() -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=BENCH_SECRET,
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url(),
        LOG_LEVEL="WARNING",
    )
    return env


def configure() -> None:
    """Recreate the bench database, migrate it, load content, and set Django up on it."""
    admin_url = database_url().rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS mockroom_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE mockroom_bench")
    os.environ.update({k: v for k, v in server_env().items() if k != "REDIS_URL"})
    # The bench process itself needs no Redis: tasks run inline, and it never joins a room.
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)


def make_rooms(count: int) -> list[tuple[str, str, str]]:
    """`count` sessions, each with an interviewer and a candidate; returns
    (session id, interviewer cookie, candidate cookie)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    from casestudies.models import CaseStudy
    from testkit.interviews import interview_between

    case = CaseStudy.objects.order_by("slug").first()

    def cookie(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    rooms = []
    start = User.objects.count()
    for i in range(start, start + count):
        interviewer = User.objects.create_user(f"bench-i{i}", password=None)
        candidate = User.objects.create_user(f"bench-c{i}", password=None)
        session = interview_between(interviewer, candidate, case)
        rooms.append((str(session.pk), cookie(interviewer), cookie(candidate)))
    return rooms
