"""ScleroPath's Django settings: one flat module, grouped by concern.

Values that differ between machines come from the environment through the small typed helpers
below, which fail loudly on a malformed value. Nothing secret has a silent production default:
outside development a missing SECRET_KEY stops the app from starting.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("SCLEROPATH_VAR_DIR", Path.cwd() / "var"))


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- core ---------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
# pytest sets PYTEST_VERSION while it runs: the test suite always runs in development mode. So does
# mypy, whose Django plugin reads these settings to type-check but serves nothing.
DEVELOPMENT = (
    DEBUG or env_bool("SCLEROPATH_DEV", False) or "PYTEST_VERSION" in os.environ or "mypy" in sys.modules
)
# Outside development SECRET_KEY must come from the environment: it signs sessions, CSRF tokens and
# patients' links, so the app refuses to start rather than run with an empty or guessable key.
SECRET_KEY = env_str("SECRET_KEY") or ("dev-only-insecure-key-never-use-in-production" if DEVELOPMENT else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Outside development ScleroPath does not start without one: set SECRET_KEY "
        "to a long random value (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or SCLEROPATH_DEV=1 on a development machine."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
ROOT_URLCONF = "scleropath.urls"
WSGI_APPLICATION = "scleropath.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "auditlog",
    "django_htmx",
    "template_partials",
    "csp",
    # django-ninja as an app: the API docs page loads Swagger UI from its static files, not a CDN.
    "ninja",
    "scleropath.core",
    "scleropath.accounts",
    "scleropath.patients",
    "scleropath.assessments",
    "scleropath.treatment",
    "scleropath.followup",
    "scleropath.photos",
    "scleropath.messaging",
    "scleropath.diary",
    "scleropath.booking",
    "scleropath.checkins",
    "scleropath.api",
    "scleropath.analytics",
    "scleropath.fhir",
    "scleropath.synthetic",
    "scleropath.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their caching; everything else is never stored.
    "scleropath.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "scleropath.accounts.middleware.ClinicMfaMiddleware",
    # Last, so that its transaction holds the view alone (see the database section).
    "scleropath.core.middleware.AtomicWritesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

# --- database -----------------------------------------------------------------------------------

# Every SQLite database gets these, however it is named (the default file, a sqlite:// DATABASE_URL,
# the test database): writers wait for the lock instead of failing with "database is locked",
# transactions take the write lock when they begin, so two requests never deadlock upgrading a read
# lock, and WAL lets readers carry on while one connection writes.
SQLITE_OPTIONS = {
    "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
}


def database_config(url: str | None, var_dir: Path) -> dict[str, Any]:
    """The default database's settings: SQLite in ``var_dir`` when ``url`` is empty, else the URL's."""
    if url:
        db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    else:
        var_dir.mkdir(parents=True, exist_ok=True)
        db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(var_dir / "scleropath.sqlite3")}
    if db["ENGINE"] == "django.db.backends.postgresql":
        # The analytics' correlated sub-queries look expensive enough to PostgreSQL's planner that it
        # JIT-compiles them, which costs more than running them (docs/performance.md): JIT is off
        # for our connections unless the URL's own options say otherwise.
        db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        options = db.setdefault("OPTIONS", {})
        for key, value in SQLITE_OPTIONS.items():
            options.setdefault(key, value)
        name = str(db["NAME"])
        if name and name != ":memory:" and not name.startswith("file:"):
            # A file beside the database, not the shared in-memory one, so the browser tests' live
            # server thread and the test thread take turns on the write lock instead of failing
            # with "table is locked".
            path = Path(name)
            test_name = "test.sqlite3" if url is None else f"test_{path.name}"
            db.setdefault("TEST", {}).setdefault("NAME", str(path.with_name(test_name)))
    # Requests that may write run in one transaction, reads in autocommit, by AtomicWritesMiddleware
    # rather than ATOMIC_REQUESTS: a read in a transaction would hold SQLite's write lock.
    db["ATOMIC_REQUESTS"] = False
    return db


# SQLite by default so a fresh checkout runs with no services; PostgreSQL through DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {"default": database_config(DATABASE_URL, VAR_DIR)}

# --- accounts, sign-in and two-factor -----------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
# No sign-up (accounts are made by a clinic's manager or the administrator), same-site redirects
# only, and 429 past the failed sign-in limit: scleropath/accounts/adapter.py.
ACCOUNT_ADAPTER = "scleropath.accounts.adapter.AccountAdapter"
# Failed sign-ins are limited per user and per address, on every sign-in page (the admin's sends
# visitors to this one); past the limit the answer is 429, even to the right password.
ACCOUNT_RATE_LIMITS = {"login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key")}
# How many proxies in front add themselves to X-Forwarded-For. Behind one, every request comes from
# the proxy's address: without this the per-address limits would count all visitors as one.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ScleroPath"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- security -----------------------------------------------------------------------------------

# Outside development: HTTPS only. Browsers are told to keep to HTTPS for a year, subdomains
# included (HSTS), and plain HTTP is redirected unless a proxy in front already does it
# (SECURE_SSL_REDIRECT=false). Behind a proxy that ends TLS, SECURE_PROXY_SSL_HEADER names the
# header it sets (HTTP_X_FORWARDED_PROTO), or every request looks like plain HTTP and loops.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEVELOPMENT else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
if proxy_header := env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (proxy_header, "https")
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Strict CSP: every script, style, font and image comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- caches (rate limits) -----------------------------------------------------------------------
# The failed sign-in limit and the patient-link rate limit count here, so every worker must see the
# same counts: the database by default (its table is made by migrate), Redis when REDIS_URL is set.

REDIS_URL = env_str("REDIS_URL")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "scleropath_cache",
            # Past MAX_ENTRIES the cache drops a third of its rows, counts included: keep it far above
            # what many keys from one attacker could fill in one limit's window.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- audit --------------------------------------------------------------------------------------

AUDITLOG_INCLUDE_ALL_MODELS = False  # every clinical model registers itself explicitly
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- static files, language, time ---------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Static files are served from the package's own folders in development and by WhiteNoise.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEVELOPMENT
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- the clinical engine ------------------------------------------------------------------------

# A protocol directory other than the bundled UK default, and a clinic's own protocol file.
SCLEROPATH_PROTOCOL_DIR = env_str("SCLEROPATH_PROTOCOL_DIR")
SCLEROPATH_CLINIC_PROTOCOL = env_str("SCLEROPATH_CLINIC_PROTOCOL")

# --- patient links and uploads -------------------------------------------------------------------

# The address patients' links start with (the clinic's public address in production).
SCLEROPATH_BASE_URL = env_str("SCLEROPATH_BASE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"
# How many patient-link requests one address may make per window (requests, seconds).
PATIENT_LINK_RATE = (env_int("PATIENT_LINK_RATE_REQUESTS", 60), env_int("PATIENT_LINK_RATE_SECONDS", 600))
# Online booking's public pages: page views per address, booking requests per address and per email
# address (requests, seconds). A booking request holds a slot and sends an email, so it is scarcer.
ONLINE_BOOKING_PAGE_RATE = (
    env_int("ONLINE_BOOKING_PAGE_RATE_REQUESTS", 120),
    env_int("ONLINE_BOOKING_PAGE_RATE_SECONDS", 600),
)
ONLINE_BOOKING_REQUEST_RATE = (
    env_int("ONLINE_BOOKING_REQUEST_RATE_REQUESTS", 10),
    env_int("ONLINE_BOOKING_REQUEST_RATE_SECONDS", 3600),
)
ONLINE_BOOKING_EMAIL_RATE = (
    env_int("ONLINE_BOOKING_EMAIL_RATE_REQUESTS", 3),
    env_int("ONLINE_BOOKING_EMAIL_RATE_SECONDS", 86400),
)
# How many days ahead the FHIR export offers the diary's free slots (Slot resources).
FHIR_SCHEDULE_DAYS = env_int("FHIR_SCHEDULE_DAYS", 14)
# How many calendar-feed requests one address may make per window (requests, seconds).
CALENDAR_FEED_RATE = (env_int("CALENDAR_FEED_RATE_REQUESTS", 60), env_int("CALENDAR_FEED_RATE_SECONDS", 600))
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- clinical photographs -----------------------------------------------------------------------

# Photos are kept through the "photos" storage: files on disk under MEDIA_ROOT (never served at
# MEDIA_URL; only the photo view sends them), or an S3-compatible bucket when PHOTO_STORAGE=s3,
# configured by the AWS_* variables.
PHOTO_STORAGE = env_str("PHOTO_STORAGE", "filesystem")
if PHOTO_STORAGE == "s3":
    _photo_storage: dict[str, Any] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "access_key": env_str("AWS_ACCESS_KEY_ID"),
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _photo_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("PHOTO_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME")
elif PHOTO_STORAGE == "filesystem":
    _photo_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT / "photos", "base_url": None},
    }
else:
    raise ImproperlyConfigured(f"PHOTO_STORAGE must be 'filesystem' or 's3', not {PHOTO_STORAGE!r}")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": _photo_storage,
}
# The largest upload accepted, and the most pixels a photo may have (checked before decoding it).
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 20 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000)

# --- email --------------------------------------------------------------------------------------

# The console backend prints messages (a dry run); set EMAIL_BACKEND to the SMTP backend to send.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "scleropath@localhost")

# --- text messages and phone numbers ---------------------------------------------------------------

# Where text messages go: the console backend prints them (a dry run, the default); the Twilio
# backend sends them and then needs all three TWILIO_* variables (a system check says so at start).
SMS_BACKEND = env_str("SMS_BACKEND", "scleropath.messaging.sms.ConsoleBackend") or ""
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "") or ""
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "") or ""
TWILIO_FROM = env_str("TWILIO_FROM", "") or ""
# Where the file backend writes each text message, one file each.
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(VAR_DIR / "sms")) or VAR_DIR / "sms")
# The country a phone number typed without its country code belongs to (ISO 3166 code).
PHONE_REGION = env_str("PHONE_REGION", "GB") or "GB"
