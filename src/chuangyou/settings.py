"""Settings for 创优, read once from the environment.

Every knob is an environment variable with a typed reader (see `chuangyou.lib.env`); the README's
"配置 / Configuration" section lists them. Development needs none of them; production needs
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from chuangyou.lib.env import env_bool, env_int, env_list, env_secret, env_str, parse_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CHUANGYOU_DATA_DIR", "var")).resolve()

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_secret("SECRET_KEY", required=not DEBUG, fallback="dev-only-insecure-key-change-me")
# Keys the audit log's seals and checkpoints. Kept outside the database; empty derives it from SECRET_KEY.
AUDIT_SEAL_KEY = env_secret("AUDIT_SEAL_KEY", required=False, fallback="")
# Seconds between seals of one school's audit chain in one process: a burst of writes is sealed in a few
# blocks, each entry within about this long (audit.services._Pace). 0 seals after every commit.
AUDIT_SEAL_INTERVAL = float(env_str("AUDIT_SEAL_INTERVAL", "1"))
# Ballots are sealed while voting is open with a key derived from this (or SECRET_KEY when empty).
# Keep it outside the database and its backups; changing it while a vote is open blocks the close.
BALLOT_SEAL_SECRET = env_str("BALLOT_SEAL_SECRET", "")
# The argon2id cost (opslimit, memlimit) of a supervision group's passphrase that locks a vote's seal
# (evaluations.sealing): libsodium's MODERATE, about 0.7 s and 256 MiB, spent only at open and close.
# Each lock keeps the cost it was made with, so changing this never strands a vote.
BALLOT_PASSPHRASE_KDF = (3, 268_435_456)
# Encrypts each school's SMS and 企业微信 secrets at rest (notifications/crypto.py); empty derives it from
# SECRET_KEY. Changing it makes the stored secrets unreadable: the schools enter them again.
CHANNEL_SECRET_KEY = env_secret("CHANNEL_SECRET_KEY", required=False, fallback="")
# How SMS and 企业微信 messages leave: "file" writes them to var/messages/ (development), "providers"
# sends them through each school's own account, "memory" keeps them in a list (tests).
NOTIFY_DELIVERY = env_str("NOTIFY_DELIVERY", "file" if DEBUG else "providers")
# At most this many e-mails, SMS or 企业微信 messages per person per channel per day; the rest are
# folded into one digest the next morning at 07:00. In-app messages have no cap.
NOTIFY_DAILY_CAP = env_int("NOTIFY_DAILY_CAP", 5)
# Where Tencent Cloud SMS is reached: empty is the SDK's own (https://sms.tencentcloudapi.com); the tests
# point it at a local server.
TENCENT_SMS_ENDPOINT = env_str("TENCENT_SMS_ENDPOINT", "")
# E-mail goes through Django's mail backends: SMTP in production (EMAIL_HOST and the rest), files under
# var/mail in development.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", required=False, fallback="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "chuangyou@localhost")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address, used in QR codes and links that leave the site (printed slips, notices).
# The address in QR codes and printed links; empty uses the host each page was requested from
# (chuangyou.lib.site), so a phone on the school's LAN can open what a PC there printed.
SITE_URL = env_str("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "ninja",  # serves Swagger UI from its bundled static files instead of a CDN
    "django_tasks",
    "django_tasks_db",
    "chuangyou.limits",
    "chuangyou.accounts",
    "chuangyou.org",
    "chuangyou.audit",
    "chuangyou.notifications",
    "chuangyou.oversight",
    "chuangyou.campaigns",
    "chuangyou.roster",
    "chuangyou.activities",
    "chuangyou.practice",
    "chuangyou.volunteering",
    "chuangyou.books",
    "chuangyou.projects",
    "chuangyou.commitments",
    "chuangyou.records",
    "chuangyou.evaluations",
    "chuangyou.nominations",
    "chuangyou.honors",
    "chuangyou.reports",
    "chuangyou.exhibition",
    "chuangyou.public",
    "chuangyou.demo",
    "chuangyou.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "chuangyou.lib.site.RequestSiteMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chuangyou.lib.readable.ReadableInputMiddleware",
    "chuangyou.web.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "chuangyou.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chuangyou.web.ServiceErrorMiddleware",
    "chuangyou.web.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "chuangyou.urls"
WSGI_APPLICATION = "chuangyou.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chuangyou.accounts.context_processors.actor",
            ],
        },
    }
]

DATABASES: dict[str, dict[str, Any]]
_db = parse_database_url(env_str("DATABASE_URL", "sqlite:///var/chuangyou.sqlite3"), base_dir=Path.cwd())
if _db.engine.endswith("sqlite3"):
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout
                # instead of failing with "database is locked" when a reader upgrades.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;"
                ),
            },
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(_db.options or {}),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A file cache is shared by the web server and the task worker on one machine (import
    # progress, rate limits); several machines need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "chuangyou.accounts.validators.PersonalInfoValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Rate limits (chuangyou.limits; on the database, or on Redis when REDIS_URL is set). Sign-in counts
# failures only: one account from one address is slowed down (a few a minute, more an hour), never locked
# for its owner elsewhere; the account's ceiling over all addresses is high, so that a stranger cannot
# deny a teacher her login; one address's ceiling over all accounts is high, as a school is one address.
LOGIN_FAILURES_PER_MINUTE = env_int("LOGIN_FAILURES_PER_MINUTE", 5)  # one account, one address
LOGIN_FAILURES_PER_HOUR = env_int("LOGIN_FAILURES_PER_HOUR", 20)  # one account, one address
LOGIN_ACCOUNT_FAILURES_PER_HOUR = env_int("LOGIN_ACCOUNT_FAILURES_PER_HOUR", 200)  # one account, any address
LOGIN_ADDRESS_FAILURES_PER_HOUR = env_int("LOGIN_ADDRESS_FAILURES_PER_HOUR", 500)  # one address, any account
# Public doors, per address (every request counts): a family or a class behind one address shares these.
EVALUATION_CODE_REQUESTS_PER_MINUTE = env_int("EVALUATION_CODE_REQUESTS_PER_MINUTE", 60)  # code ballots
RECEIPT_CHECKS_PER_MINUTE = env_int("RECEIPT_CHECKS_PER_MINUTE", 30)
OBJECTIONS_PER_HOUR = env_int("OBJECTIONS_PER_HOUR", 5)
OBJECTION_LOOKUPS_PER_HOUR = env_int("OBJECTION_LOOKUPS_PER_HOUR", 20)
TAKEDOWNS_PER_HOUR = env_int("TAKEDOWNS_PER_HOUR", 5)
CERTIFICATE_LOOKUPS_PER_HOUR = env_int("CERTIFICATE_LOOKUPS_PER_HOUR", 30)

# How many reverse proxies (nginx) stand in front of the app; 0 trusts REMOTE_ADDR alone.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Sessions live in the database, read through the cache only when the cache is shared (Redis): with a
# file cache per machine, a sign-out on one server left the session alive in another's cache.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 2 * 60 * 60)  # two idle hours
SESSION_SAVE_EVERY_REQUEST = True  # so the two hours count from the last click, not the login
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_HTTPS = env_bool("SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp). Scripts only from this site's static files: no
# inline <script>, no on*= handlers, no eval (htmx runs with allowEval off), so an injected tag runs
# nothing. Styles allow inline style="" attributes, which the templates and ECharts use.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Files served only through views that check rights (a campaign's safety plan); never under MEDIA_URL.
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development, serve static files straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Largest roster workbook accepted (50,000 rows of .xlsx is about 3 MB).
ROSTER_UPLOAD_MAX_BYTES = env_int("ROSTER_UPLOAD_MAX_BYTES", 30 * 1024 * 1024)
# What one roster may cost to read: rows and cells past the header, and seconds of checking. A task that
# has not moved for ROSTER_STALE_MINUTES (a worker that died) is marked failed when its page is read.
ROSTER_MAX_ROWS = env_int("ROSTER_MAX_ROWS", 50_000)
ROSTER_MAX_CELLS = env_int("ROSTER_MAX_CELLS", 1_000_000)
ROSTER_CHECK_SECONDS = env_int("ROSTER_CHECK_SECONDS", 300)
ROSTER_STALE_MINUTES = env_int("ROSTER_STALE_MINUTES", 30)
# Every uploaded .xlsx (rosters, results, exam scores) is a zip: its parts are measured unpacked before
# openpyxl parses it, so a small file that unpacks to gigabytes (a zip bomb) is refused at once.
XLSX_MAX_UNPACKED_BYTES = env_int("XLSX_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
XLSX_MAX_SHARED_STRINGS_BYTES = env_int("XLSX_MAX_SHARED_STRINGS_BYTES", 20 * 1024 * 1024)
XLSX_MAX_COMPRESSION_RATIO = env_int("XLSX_MAX_COMPRESSION_RATIO", 100)

# Documents. LibreOffice prints the 总结 and 简报 to PDF (empty: `soffice` on PATH). The PDFs reportlab
# draws (certificates, posters, code slips) embed the fonts shipped in chuangyou/lib/data/fonts; a
# folder here holding files of the same names (gkai00mp.ttf, wqy-microhei.ttc) replaces them.
SOFFICE_PATH = env_str("SOFFICE_PATH", "")
PDF_FONT_DIR = env_str("PDF_FONT_DIR", "")

NINJA_PAGINATION_PER_PAGE = 50

# The campaign's own limits: a school may need other values, so each is a setting, not a constant.
CAMPAIGN_MAX_SPAN_DAYS = env_int("CAMPAIGN_MAX_SPAN_DAYS", 366)  # a plan's phases span at most this
PROJECTS_MIN_PANEL_SIZE = env_int("PROJECTS_MIN_PANEL_SIZE", 3)  # reviewers a 评审会 needs at least
PROJECTS_MAX_ATTACHMENTS = env_int("PROJECTS_MAX_ATTACHMENTS", 5)  # files on one project proposal
PROJECTS_MAX_TEAM_SIZE = env_int("PROJECTS_MAX_TEAM_SIZE", 6)  # the lead and the members together

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Names shown in the UI for what the platform calls itself.
PLATFORM_NAME = _("创优")
