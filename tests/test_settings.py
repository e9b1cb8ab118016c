"""Settings come from the environment; production refuses to start unsafely."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if not k.startswith("DJANGO") and k not in {"DATABASE_URL", "REDIS_URL"}
}


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.DATABASES['default']['ENGINE'], "
    "s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER]))"
)


def test_secret_key_is_required_when_debug_is_off():
    result = run_python(
        "import django; django.setup()",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_DEBUG="0",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("servers", "setup"),
    [
        ({}, ["django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer", True]),
        (
            {
                "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
            },
            [
                "django.db.backends.postgresql",
                "channels_redis.pubsub.RedisPubSubChannelLayer",
                False,
            ],
        ),
    ],
    ids=["embedded default needs no servers", "database and redis urls switch to scale-out"],
)
def test_the_servers_given_choose_the_setup(servers, setup):
    result = run_python(
        SHOW, DJANGO_SETTINGS_MODULE="config.settings.base", DJANGO_DEBUG="1", **servers
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == setup


def test_production_settings_pass_the_deploy_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **CLEAN_ENV,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "k3y-" + "x9Qz!" * 12,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_external_assets(client, django_user_model):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/sessions/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    external = [
        u
        for u in re.findall(r"""(?:src|href)=["']([^"']+)""", html)
        if u.startswith(("http:", "https:", "//"))
    ]
    assert external == []
