"""Test settings: base settings plus fast hashing. The environment still decides the database,
the channel layer and Celery, so `make test` runs on SQLite and CI runs on PostgreSQL + Redis."""

import os
import tempfile

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use")

from .base import *  # noqa: E402,F403
from .base import DATABASES, REST_FRAMEWORK, STATIC_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run many requests as few users: rates a test would never reach (tests of the limits set
# their own). Login lockouts stay on (AXES_FAILURE_LIMIT as in production); each test starts with
# an empty attempts table, and force_login bypasses axes.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "100000/minute"
    ),
}

# WhiteNoise warns when the collected-static folder is missing; tests never collect.
STATIC_ROOT.mkdir(exist_ok=True)

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not SQLite's shared in-memory database: the room writes from its own thread, and
    # shared-cache tables lock instead of waiting.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"mockroom-test-{os.getpid()}.sqlite3")
    }
