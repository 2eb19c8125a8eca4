"""ITA Portal settings: one module, driven by environment variables.

SQLite by default; PostgreSQL when DATABASE_URL is set. With DEBUG off the portal refuses to start
without SECRET_KEY. See README.md for every variable.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ita_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ITA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "assessments",
    "measures",
    "ita_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can answer early (WhiteNoise, CommonMiddleware's 400 for a bad
    # Host header), so every response carries the policy.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"
WSGI_APPLICATION = "ita_portal.wsgi.application"

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

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed logins lock one user name at one client address for a while (django-axes).
# The pair, never the name or the address alone: so no client can lock anyone else out, not by
# trying their name from elsewhere, nor by failing from an address (an office's NAT, the proxy)
# that other people share.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address comes from X-Forwarded-For only behind this many trusted proxies
# (ita_portal.client_ip); 0 reads REMOTE_ADDR alone.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more; got {TRUSTED_PROXY_COUNT}")
AXES_CLIENT_IP_CALLABLE = "ita_portal.client_ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:my"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
# Thai for what the admin's packages leave in English (django-import-export has no Thai; Django's
# and django-axes' Thai miss strings): locale/th/LC_MESSAGES/django.po, committed compiled.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    # Uploads under MEDIA_ROOT with safe names that keep Thai letters (portal_core.uploads).
    "default": {"BACKEND": "portal_core.uploads.SafeNameStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Public pages and open data are cached in the database (one table shared by every worker and
# app server; `manage.py createcachetable` makes it) until the next publication change
# (ita_portal.cache), and at most CACHE_SECONDS, which bounds how long an edit of published
# scores or measures takes to show.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ita_cache",
        "TIMEOUT": env_int("CACHE_SECONDS", 600),
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 3},
    }
}

# Served behind a TLS-terminating proxy that sets X-Forwarded-Proto: redirect to https, HSTS,
# secure cookies. The variable was once called HTTPS, but runserver (wsgiref) copies the process
# environment into every request and reads HTTPS=1 there as "this request came over https", so
# plain http was never redirected and HSTS went out over it. A true HTTPS stops the start instead
# of being ignored, so no deployment silently loses its https settings.
if env_bool("HTTPS", False):
    raise ImproperlyConfigured(
        "HTTPS is no longer read (under runserver it marks every plain-http request secure); "
        "set BEHIND_TLS_PROXY=1 instead and unset HTTPS"
    )
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = BEHIND_TLS_PROXY
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if BEHIND_TLS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = BEHIND_TLS_PROXY
SECURE_HSTS_PRELOAD = BEHIND_TLS_PROXY
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", BEHIND_TLS_PROXY)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# No script of the portal reads the CSRF token (there is none: forms carry it as a hidden field),
# so the cookie can be HttpOnly too.
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "ita_portal.views.errors.csrf_failure"

# Content-Security-Policy (django-csp): no inline script and no inline style anywhere; the charts
# are inline SVG drawn with presentation attributes (ita_portal/charts.py), not style attributes.
# The one exception is allowed by its hash alone: django-simple-history's admin history page
# writes style="border-top: 0" on its paginator (simple_history/object_history_list.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Uploads: evidence 10 MB, Excel imports 10 MB, the emblem 2 MB (checked per field). A request body
# without files may not exceed 2.5 MB; files above 2.5 MB go to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_PERMISSIONS = 0o640

# OIT link check (measures.link_check): seconds per connection or read, parallel requests,
# redirects followed, the checklist button's time budget (the rest waits for the next press or
# the check_disclosure_links command); private and loopback addresses are never requested unless
# allowed (tests).
DISCLOSURE_CHECK_TIMEOUT = env_int("DISCLOSURE_CHECK_TIMEOUT", 10)
DISCLOSURE_CHECK_WORKERS = env_int("DISCLOSURE_CHECK_WORKERS", 4)
DISCLOSURE_CHECK_MAX_REDIRECTS = 5
DISCLOSURE_CHECK_BUTTON_SECONDS = env_int("DISCLOSURE_CHECK_BUTTON_SECONDS", 30)
DISCLOSURE_CHECK_ALLOW_PRIVATE = env_bool("DISCLOSURE_CHECK_ALLOW_PRIVATE", False)

# Background work (ita_portal.tasks: reminder e-mails, the bulk memo pack) goes through Django's
# task API (the django-tasks backport of Django 6's django.tasks). Its queue is a table of the
# portal's own database (django-tasks-db), which `manage.py run_worker` processes on any number
# of servers; workers claim rows with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL. In
# development (DEBUG) tasks run at once inside the request unless TASKS_IMMEDIATE=0.
TASKS_IMMEDIATE = env_bool("TASKS_IMMEDIATE", DEBUG)
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TASKS_IMMEDIATE
        else "django_tasks_db.DatabaseBackend"
    }
}
# A worker writes a heartbeat every TASKS_HEARTBEAT_SECONDS; a running task whose worker has
# been silent for TASKS_WORKER_TIMEOUT seconds was lost with it (a crash, a killed server) and is
# queued again, at most TASKS_MAX_ATTEMPTS runs in all, then marked failed.
TASKS_HEARTBEAT_SECONDS = env_int("TASKS_HEARTBEAT_SECONDS", 10)
TASKS_WORKER_TIMEOUT = env_int("TASKS_WORKER_TIMEOUT", 60)
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 3)
if TASKS_WORKER_TIMEOUT <= TASKS_HEARTBEAT_SECONDS or TASKS_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured(
        "TASKS_WORKER_TIMEOUT must exceed TASKS_HEARTBEAT_SECONDS, "
        "and TASKS_MAX_ATTEMPTS must be 1 or more"
    )

# E-mail (the weekly reminders): SMTP when EMAIL_HOST is set, else printed to the console in
# development; links in e-mails start with PORTAL_URL.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ITA Portal <ita-portal@localhost>")
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
