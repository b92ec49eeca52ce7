"""DutyLaw settings: one module, every value from the environment.

See ``.env.example`` for the full list of variables.
"""

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pghistory
from celery.schedules import crontab

from dutylaw.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-only-for-debug" if DEBUG else None)
_LOCAL_KEY = BASE_DIR / ".run" / "secret_key"
if SECRET_KEY is None and _LOCAL_KEY.exists():
    # The key `make run` generated for this checkout, for local management commands.
    SECRET_KEY = _LOCAL_KEY.read_text(encoding="utf-8").strip()
if SECRET_KEY is None:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind TLS (the production default) cookies are secure and HTTP is redirected.
# The local demo runs over plain HTTP and sets HTTPS=false.
HTTPS = env_bool("HTTPS", not DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "pgtrigger",
    "pghistory",
    "django_htmx",
    "dutylaw",
    "lawyers",
    "cases",
    "triage",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dutylaw.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "dutylaw.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "dutylaw.urls"
WSGI_APPLICATION = "dutylaw.wsgi.application"
AUTH_USER_MODEL = "lawyers.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dutylaw.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dutylaw"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# The cache (the charge catalogue, API tokens), shared by every process: by
# default the next Redis database after the broker's.
_redis = urlsplit(REDIS_URL)
_broker_db = int(_redis.path.strip("/") or 0)
CACHE_URL = env_str("CACHE_URL", urlunsplit(_redis._replace(path=f"/{_broker_db + 1}")))
CACHES = {
    "default": {
        # Redis that fails soft: a down cache is a miss (dutylaw/cache.py).
        "BACKEND": "dutylaw.cache.SoftRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "dutylaw",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Simplified Chinese by default, complete English.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".run" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security. Production (HTTPS=true, DEBUG=false) passes `check --deploy`.
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "dutylaw@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["cases.api.auth.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["dutylaw.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dutylaw.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DutyLaw intake API",
    "DESCRIPTION": "Procuratorates notify cases and receive assignments back.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Guardian: one-off grants only; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# pghistory: event tables are append-only (triggers refuse UPDATE and DELETE).
PGHISTORY_APPEND_ONLY = True
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# Celery: JSON only, Redis broker, tasks acknowledged after they finish.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# A task held by a worker that died comes back to the queue after ten minutes
# (Redis's default is an hour), longer than any task runs; what guarantees the
# work is done is the outbox relay, not the broker. Short socket timeouts: a
# request publishing after commit never waits long for a Redis that is down
# (the outbox keeps the work).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 600,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    # Publishing tries to connect twice, at once, instead of waiting seconds.
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "dutylaw.tasks.worker_heartbeat", "schedule": 60.0},
    "scan-deadlines": {"task": "triage.tasks.scan_deadlines", "schedule": 60.0},
    "relay-outbox": {"task": "triage.tasks.relay_outbox", "schedule": 60.0},
    "deliver-callbacks": {"task": "triage.tasks.deliver_callbacks", "schedule": 60.0},
    # Hourly, so a beat that was down catches up; reminders are sent once.
    "shift-reminders": {
        "task": "lawyers.tasks.send_shift_reminders",
        "schedule": crontab(minute=5),
    },
    "purge-expired-sessions": {
        "task": "dutylaw.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
}
# Beat's own schedule state lives with the other runtime files, not the repo.
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / ".run" / "celerybeat-schedule")

# When deadline reminders go out, in percent of the time allowed.
DEADLINE_REMINDER_POINTS = tuple(
    sorted(int(p) for p in env_list("DEADLINE_REMINDER_POINTS", ["50", "80"]))
)
if any(not 0 < p < 100 for p in DEADLINE_REMINDER_POINTS):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DEADLINE_REMINDER_POINTS must be percentages between 1 and 99")

# A heartbeat older than this marks the worker or beat as down on /healthz/.
HEARTBEAT_MAX_AGE_SECONDS = env_int("HEARTBEAT_MAX_AGE_SECONDS", 180)

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
