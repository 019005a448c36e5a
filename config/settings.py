"""Settings, read from the environment in this one place.

Local defaults need no server: an SQLite file under var/ and a filesystem broker under var/broker/.
Production (DJANGO_ENV=production) has no defaults for what must be secret or deliberate.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LEDGER_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# A typo (`prod`) must not quietly mean DEBUG with the development key: only these are known.
ENVIRONMENTS = ("development", "production")
ENV = os.environ.get("DJANGO_ENV", "development")
if ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"DJANGO_ENV={ENV!r} is not known; use one of: {', '.join(ENVIRONMENTS)} "
        "(unset means development)."
    )
PRODUCTION = ENV == "production"


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


if PRODUCTION:
    if not os.environ.get("DJANGO_SECRET_KEY"):
        raise ImproperlyConfigured("DJANGO_ENV=production needs DJANGO_SECRET_KEY.")
    if not _env_list("DJANGO_ALLOWED_HOSTS"):
        raise ImproperlyConfigured("DJANGO_ENV=production needs DJANGO_ALLOWED_HOSTS.")
    SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
    ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS")
    DEBUG = False
    CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-local-development-key")
    ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]
    DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"

# --- Production hardening: HTTPS, cookies, proxy ----------------------------------------------
# Production speaks HTTPS only; each setting may be relaxed by its variable (e.g. TLS ends at a
# proxy that already redirects). Behind a proxy (LEDGER_BEHIND_PROXY=1) the proxy must set
# X-Forwarded-Proto and strip any such header a client sends, or a client could claim HTTPS.


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1 or 0.")


LEDGER_BEHIND_PROXY = _env_flag("LEDGER_BEHIND_PROXY", False)
if LEDGER_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = _env_flag("LEDGER_USE_X_FORWARDED_HOST", False)
SECURE_SSL_REDIRECT = _env_flag("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
# /healthz answers load balancers that probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365 if PRODUCTION else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = _env_flag("DJANGO_SECURE_HSTS_PRELOAD", PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_flag("DJANGO_SECURE_COOKIES", PRODUCTION)
# --- end production hardening ---------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "ledger",
    "actors",
    "incidents",
    "ingestion",
]

MIDDLEWARE = [
    # Outermost: compress what the API answers (never HTML: BREACH, see common.api.compression),
    # after ApiJsonErrorsMiddleware has turned any HTML error under /api/ into JSON.
    "common.api.compression.ApiGZipMiddleware",
    "common.api.errors.ApiJsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

# --- Login rate limiting (django-axes) ------------------------------------------------------
# Failed logins are counted in the database per username and client address; past the limit
# that pair gets 429 until the cool-off ends (`manage.py axes_reset` lifts it at once). The
# admin login is the only password login: the API takes tokens and sessions, not passwords.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _env_flag("LEDGER_LOGIN_LIMIT", True)
AXES_FAILURE_LIMIT = int(os.environ.get("LEDGER_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LEDGER_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
# --- end login rate limiting ----------------------------------------------------------------

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DEFAULT_SQLITE = VAR_DIR / "ledger.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so appends serialise instead of failing on upgrade;
    # WAL lets readers (a tailing reader, the API) go on while one writer commits.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that tests with several threads share one database.
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    # The covering indexes' INCLUDE columns (incidents.models) spare PostgreSQL reading rows;
    # SQLite builds the same indexes on their keys alone, which is all it needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off (prepare_threshold None, for the sake of
    # transaction-mode poolers), and psycopg then ignores even `execute(..., prepare=True)`.
    # The ledger's append and the projectors' writes go through server-binding cursors and
    # repeat a few statements thousands of times: psycopg's own default, preparing a statement
    # on its fifth run, spares the server parsing and planning each again (about a quarter of
    # its work per append). Django's cursors bind on the client and are never prepared, so
    # nothing else changes. Behind a pooler in transaction mode, set it back to None.
    _db["OPTIONS"] = {"prepare_threshold": 5}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# --- Shared cache: API throttle counts across processes ---------------------------------------
# DRF throttles count in the default cache; a per-process cache would give each web process its
# own count. REDIS_URL names the cache's Redis, else a Redis broker's is shared (the key prefix
# keeps cache keys apart from the broker's; a separate REDIS_URL db is better in production, as
# clearing the cache empties its whole db). Without Redis: this process's memory (development).
_CACHE_REDIS_URL = os.environ.get("REDIS_URL", "")
if not _CACHE_REDIS_URL and os.environ.get("CELERY_BROKER_URL", "").startswith(
    ("redis://", "rediss://")
):
    _CACHE_REDIS_URL = os.environ["CELERY_BROKER_URL"]
if _CACHE_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_REDIS_URL,
            "KEY_PREFIX": os.environ.get("LEDGER_CACHE_PREFIX", "ledger"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# --- end shared cache -----------------------------------------------------------------------

# --- Celery ---------------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # A task unacknowledged for an hour is redelivered; ingestion must finish well within it.
    _visibility = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": _visibility}
    if (
        _visibility < 60
    ):  # a short timeout (tests) is pointless unless abandoned work is swept often
        CELERY_BROKER_TRANSPORT_OPTIONS |= {
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
# Every task stops: the soft limit raises inside it (an ingestion records it as the run's
# failure), the hard one kills its process. Ingestion's own limits are LEDGER_TASK_*.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "360"))
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER") == "1"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Ingestion ------------------------------------------------------------------------------
LEDGER_MAX_EDITION_BYTES = int(os.environ.get("LEDGER_MAX_EDITION_BYTES", 20 * 1024 * 1024))
# Uploads: a form body without files stays small; files past 2.5 MB go to a temporary file, not
# memory, and the upload form refuses one over LEDGER_MAX_EDITION_BYTES. (The web server in
# front should cap the request body too, e.g. nginx client_max_body_size.)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# File and folder sources read only under these folders (comma-separated, symlinks resolved).
# Locally: the samples and var/inbox; in production none unless the operator names them.
LEDGER_SOURCE_ROOTS = _env_list("LEDGER_SOURCE_ROOTS") or (
    [] if PRODUCTION else [str(BASE_DIR / "samples"), str(VAR_DIR / "inbox")]
)
# A URL fetch (every redirect included) ends within this many seconds, however slow the server.
LEDGER_FETCH_DEADLINE = float(os.environ.get("LEDGER_FETCH_DEADLINE", "60"))
LEDGER_FETCH_ALLOW_HTTP = os.environ.get("LEDGER_FETCH_ALLOW_HTTP") == "1"
LEDGER_FETCH_ALLOW_LOOPBACK = os.environ.get("LEDGER_FETCH_ALLOW_LOOPBACK") == "1"
LEDGER_FETCH_ALLOW_PRIVATE = os.environ.get("LEDGER_FETCH_ALLOW_PRIVATE") == "1"
# What one edition may cost (issue 14): over these it fails with the reason on its run.
LEDGER_MAX_PDF_PAGES = int(os.environ.get("LEDGER_MAX_PDF_PAGES", "500"))
LEDGER_MAX_HTML_DEPTH = int(os.environ.get("LEDGER_MAX_HTML_DEPTH", "100"))
LEDGER_MAX_HTML_ELEMENTS = int(os.environ.get("LEDGER_MAX_HTML_ELEMENTS", "100000"))
LEDGER_MAX_ENTRIES = int(os.environ.get("LEDGER_MAX_ENTRIES", "2000"))
# Possible duplicates: one flag per group of alike entries, at most this many flags an edition
# and members a flag; the rest is a warning on the run.
LEDGER_MAX_DUPLICATE_FLAGS = int(os.environ.get("LEDGER_MAX_DUPLICATE_FLAGS", "50"))
LEDGER_MAX_DUPLICATE_MEMBERS = int(os.environ.get("LEDGER_MAX_DUPLICATE_MEMBERS", "20"))
# An ingestion task: stopped (and recorded as failed) after the soft limit, killed after the
# hard one; a task whose worker died this many times is failed for good, not redelivered.
LEDGER_TASK_SOFT_TIME_LIMIT = int(os.environ.get("LEDGER_TASK_SOFT_TIME_LIMIT", "600"))
LEDGER_TASK_TIME_LIMIT = int(os.environ.get("LEDGER_TASK_TIME_LIMIT", "660"))
LEDGER_TASK_MAX_DELIVERIES = int(os.environ.get("LEDGER_TASK_MAX_DELIVERIES", "2"))

# --- API ------------------------------------------------------------------------------------
# Reads need a user unless this is on (a public mirror); writes always need an editor/operator.
LEDGER_API_ANONYMOUS_READ = os.environ.get("LEDGER_API_ANONYMOUS_READ", "0").lower() in (
    "1",
    "true",
    "yes",
)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.roles.LedgerAccess"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "common.api.negotiation.LedgerContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.LedgerCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    # Counted per client in the default cache (Redis when configured, so across processes);
    # scopes name the views that set `throttle_scope`.
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("LEDGER_API_RATE_ANON", "120/min"),
        "user": os.environ.get("LEDGER_API_RATE_USER", "1200/min"),
        "incidents": os.environ.get("LEDGER_API_RATE_INCIDENTS", "600/min"),
        "changes": os.environ.get("LEDGER_API_RATE_CHANGES", "600/min"),
        "exports": os.environ.get("LEDGER_API_RATE_EXPORTS", "30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Incident Ledger API",
    "DESCRIPTION": (
        "Curated, versioned incidents, actors and claims from country reports. Authenticate with "
        "`Authorization: Token <key>` (keys from `manage.py drf_create_token USER`) or a session. "
        "Lists page with `next` links; `as_of` / `as_of_position` answer as the ledger stood then; "
        "`/changes/` is the feed to stay in sync."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Two models have a `status`; name the edition's so the schema's enums do not collide.
    "ENUM_NAME_OVERRIDES": {"EditionStatusEnum": "ingestion.models.Edition.Status"},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Documented 401/403/429 everywhere, named enums and orderings (config.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.postprocess",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # `fields=` may leave any field of an incident out, computed (read-only) ones included.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Logging: one JSON object a line in production, readable lines locally -------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": "config.logging.structured_formatter",
            "json": PRODUCTION or os.environ.get("LOG_JSON") == "1",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django installs its own console handler on "django"; route it through ours once.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
