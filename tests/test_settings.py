"""The env-driven settings fail loudly on bad values and refuse an unsafe production start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ita_portal.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import ita_portal.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
    )


def test_the_portal_refuses_to_start_with_debug_off_and_no_secret_key():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_portal_starts_on_sqlite_by_default():
    result = _import_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = _import_settings(
        DEBUG="0", SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@127.0.0.1:5432/ita"
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_malformed_debug_value_stops_the_start():
    result = _import_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_a_malformed_database_url_stops_the_start():
    result = _import_settings(DEBUG="1", DATABASE_URL="nonsense://x")
    assert result.returncode != 0
    assert "DATABASE_URL is not a valid database URL" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("ITA_FLAG", raw)
    assert env_bool("ITA_FLAG") is expected


def test_env_int_refuses_text(monkeypatch):
    monkeypatch.setenv("ITA_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="ITA_NUMBER must be an integer"):
        env_int("ITA_NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("ITA_HOSTS", "a.example, b.example,,")
    assert env_list("ITA_HOSTS") == ["a.example", "b.example"]


def test_thai_language_and_bangkok_time_are_configured(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "th",
        "Asia/Bangkok",
        True,
    )


def test_the_production_environment_passes_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY="k3y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ" * 2,
        ALLOWED_HOSTS="ita.bangkok.go.th",
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_cookies_stay_usable_on_plain_http(settings):
    assert (settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE) == (False, False)
    assert (settings.SESSION_COOKIE_HTTPONLY, settings.X_FRAME_OPTIONS) == (True, "DENY")


def test_production_with_https_sends_hsts_secure_cookies_and_the_csp():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(DEBUG="0", HTTPS="1", SECRET_KEY="x" * 50, ALLOWED_HOSTS="ita.example")
    script = (
        "import ita_portal.settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " 'csp.middleware.CSPMiddleware' in s.MIDDLEWARE,"
        " s.CONTENT_SECURITY_POLICY['DIRECTIVES']['script-src'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True", "[\"'self'\"]"]
