"""Settings for every environment, read from the environment (12-factor).

Embedded default: no DATABASE_URL -> SQLite file; no REDIS_URL -> in-process channel layer and
Celery tasks run inline. With both set, the same code runs multi-process on PostgreSQL + Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

# Never '*': Channels' origin check for websockets is built from this list.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "csp",
    "casestudies",
    "rubrics",
    "interviews",
    "practice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so the app's index.html and every file it serves carry the policy too.
    "config.csp.CSPMiddleware",
    "config.middleware.RejectUnsafeCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lockout found during authenticate() into a 429 (the admin's login form).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # conn_max_age=0: under ASGI each database_sync_to_async call may land on another thread, so
    # persistent connections would pile up (Django's ASGI deployment notes).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # SQLite serializes writers; wait instead of failing when the room and a request
            # write at the same moment.
            # WAL lets the room's readers and its writer thread work side by side.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login lockouts (django-axes): the standalone backend only refuses locked-out attempts, Django's
# ModelBackend checks the password. A lockout holds for one username from one client address
# (never the username alone, or anyone could lock a victim out from anywhere); the address is
# config.client_ip's, which believes X-Forwarded-For only from TRUSTED_PROXIES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Reverse proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated
# ("10.0.0.0/8,127.0.0.1"). Empty: the connection's own address is the client's.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
# Not consulted while AXES_CLIENT_IP_CALLABLE is set; kept to REMOTE_ADDR so that removing the
# callable can never make axes believe a forwarded header.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_COOLOFF_MESSAGE = (
    "Too many failed log-ins for this account from your address. Try again later."
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The browser app, built by `npm run build` (see config/spa.py). WhiteNoise serves its files from
# the site root; Vite puts content-hashed names under /assets/, so those may be cached for good.
FRONTEND_DIST = Path(os.environ.get("FRONTEND_DIST", BASE_DIR / "frontend" / "dist"))
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/assets/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The browser app reads the token from this cookie and echoes it in X-CSRFToken.
CSRF_COOKIE_HTTPONLY = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.StrictJSONParser"],
    "EXCEPTION_HANDLER": "config.exceptions.api_exception_handler",
    # Rates per scope (config/throttling.py). Throttles key anonymous requests by
    # config.client_ip; NUM_PROXIES=0 makes DRF's own get_ident read REMOTE_ADDR too, never
    # X-Forwarded-For, should a stock throttle class ever be used.
    "NUM_PROXIES": 0,
    "DEFAULT_THROTTLE_RATES": {
        "auth": os.environ.get("AUTH_THROTTLE_RATE", "30/minute"),
        "session_create": os.environ.get("SESSION_CREATE_THROTTLE_RATE", "30/hour"),
        "invite_create": os.environ.get("INVITE_CREATE_THROTTLE_RATE", "60/hour"),
        "upload": os.environ.get("UPLOAD_THROTTLE_RATE", "60/hour"),
        "practice_request": os.environ.get("PRACTICE_REQUEST_THROTTLE_RATE", "60/hour"),
    },
}

# Caps on what one user holds at once (interviews/sessions/services.py): sessions they created
# that have not ended, and unused, unexpired invites they handed out on such sessions.
MAX_OPEN_SESSIONS_PER_USER = int(os.environ.get("MAX_OPEN_SESSIONS_PER_USER", "20"))
MAX_PENDING_INVITES_PER_USER = int(os.environ.get("MAX_PENDING_INVITES_PER_USER", "40"))
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

# API bodies (config/parsers.py); the room's limits are in interviews/limits.py.
API_MAX_JSON_BYTES = 1024 * 1024
API_MAX_JSON_DEPTH = 16

SPECTACULAR_SETTINGS = {
    "TITLE": "Mockroom API",
    "DESCRIPTION": "Peer mock interviews for machine-learning system design.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "interviews.models.Role",
        "StepEnum": "interviews.models.STEP_CHOICES",
        "HostRoleEnum": ["interviewer", "candidate"],
        "SessionStatusEnum": "interviews.models.InterviewSession.Status",
        "ReportStatusEnum": "interviews.models.Report.Status",
        # One scale of levels: a session's target level and a practice profile's level.
        "LevelEnum": "rubrics.scoring.TARGET_LEVEL_CHOICES",
        "OverrideKindEnum": "interviews.models.ReportOverride.Kind",
        "OverrideDecisionEnum": "interviews.models.ReportOverride.Decision",
        "DomainEnum": "casestudies.guide.DOMAINS",
        "PairingStatusEnum": "practice.models.Pairing.Status",
        "PracticeRequestStatusEnum": "practice.models.PracticeRequest.Status",
        "PracticeRequestKindEnum": "practice.models.PracticeRequest.Kind",
    },
}

# Content-Security-Policy on every response (config/csp.py adds the page's own ws:/wss: origin).
# Nothing but the app's own origin; no inline or evaluated script. Exceptions, each needed:
# - style-src 'unsafe-inline': Excalidraw and Swagger UI set style attributes and <style> tags;
# Not allowed, knowingly: eval. Excalidraw's SVG export subsets fonts with an Emscripten module
# whose glue calls `new Function`; under this policy Excalidraw logs "Skipped glyph subsetting"
# and goes on without subsetting.
# - img-src data: blob:: report boards are SVG data: URLs, exports and pasted images are blobs;
# - worker-src blob:, media-src blob:: Excalidraw's workers and recorded audio.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # The pub/sub layer: one PUBLISH per group message. Rooms use one channel per process
    # (interviews/realtime/hub.py), so nothing queues per socket in Redis.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Celery: no REDIS_URL -> tasks run inline in the caller (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Inline, a task's failure stays in the task (its on_failure records it, retries run at once)
# instead of surfacing in the request or room message that queued it.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Redelivery of unacknowledged tasks (a worker that died mid-task): reports take seconds, so an
# hour is ample and no task of ours uses an ETA or retry countdown longer than this. A shorter
# timeout recovers faster; the sweep for abandoned tasks then runs as often.
CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 3)),
    "unacked_restore_throttle": 1 if CELERY_VISIBILITY_TIMEOUT < 60 else 10,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# `celery -A config beat`: peer practice's minute job (matching for slots, expiry, reminders).
CELERY_BEAT_SCHEDULE = {
    "practice-housekeeping": {"task": "practice.tasks.practice_housekeeping", "schedule": 60.0},
}

# E-mail (practice reminders): printed to the console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Mockroom <noreply@localhost>")

# Presence: a server process that dies (no close frames, no goodbye) has its room sockets seen
# offline by everyone else within this many seconds. Each process refreshes its sockets and
# checks its rooms' presence every quarter of it (interviews/room/selectors.py).
ROOM_PRESENCE_TIMEOUT_SECONDS = float(os.environ.get("ROOM_PRESENCE_TIMEOUT_SECONDS", "60"))

# The room's audio/video call (WebRTC, interviews/media/ice.py). ICE servers are handed to
# participants in the room's `state` message. Empty by default: on loopback and LANs host
# candidates connect with neither. TURN uses coturn's `use-auth-secret` scheme: each participant
# gets a username `<expiry>:<user id>` and a password derived from CALL_TURN_SECRET, valid for
# CALL_TURN_TTL_SECONDS (a socket that reconnects gets fresh ones), never a static password.
CALL_STUN_URLS = env_list("CALL_STUN_URLS")
CALL_TURN_URLS = env_list("CALL_TURN_URLS")
CALL_TURN_SECRET = os.environ.get("CALL_TURN_SECRET", "")
CALL_TURN_TTL_SECONDS = int(os.environ.get("CALL_TURN_TTL_SECONDS", str(6 * 3600)))
if CALL_TURN_URLS and not CALL_TURN_SECRET:
    raise ImproperlyConfigured("CALL_TURN_URLS needs CALL_TURN_SECRET (coturn's auth secret).")

# Where invite links point (the browser app's origin, e.g. https://mockroom.example.com). Unset:
# the origin the request came to (its Host checked against ALLOWED_HOSTS), so `PORT=8812 make
# dev` hands out links to port 8812.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Recordings (docs/recording.md). Audio files go to the `recordings` entry of STORAGES when one
# is configured, else to the default storage under MEDIA_ROOT; nothing serves MEDIA_ROOT.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# How long audio files are kept after upload; transcripts stay (interviews/recordings/tasks.py).
RECORDING_AUDIO_RETENTION_DAYS = float(os.environ.get("RECORDING_AUDIO_RETENTION_DAYS", "30"))
# Uploads still accepted this long after the end (a tab that reloads sends what it kept).
RECORDING_UPLOAD_GRACE_SECONDS = float(os.environ.get("RECORDING_UPLOAD_GRACE_SECONDS", "120"))
# The report waits at most this long after the end for chunks still being transcribed.
RECORDING_REPORT_WAIT_SECONDS = float(os.environ.get("RECORDING_REPORT_WAIT_SECONDS", "60"))
# Another CTranslate2 Whisper model directory (base.en, small.en); empty: the bundled tiny.en.
MOCKROOM_WHISPER_MODEL_DIR = os.environ.get("MOCKROOM_WHISPER_MODEL_DIR", "")
# CPU threads per transcription (one chunk at a time per worker process).
MOCKROOM_WHISPER_THREADS = int(os.environ.get("MOCKROOM_WHISPER_THREADS", "1"))
CELERY_BEAT_SCHEDULE = {
    "purge-expired-audio": {
        "task": "interviews.recordings.tasks.purge_expired_audio",
        "schedule": 3600.0,
    },
}
