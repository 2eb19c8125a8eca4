"""The env-driven settings fail loudly on bad values and refuse an unsafe production start."""

import http.client
import os
import socket
import subprocess
import sys
import time
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


PRODUCTION = {
    "DEBUG": "0",
    "BEHIND_TLS_PROXY": "1",
    "TRUSTED_PROXY_COUNT": "1",
    "SECRET_KEY": "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ" * 2,
    "ALLOWED_HOSTS": "ita.bangkok.go.th",
    "DJANGO_SETTINGS_MODULE": "ita_portal.settings",
}


def _deploy_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **PRODUCTION, **env},
        capture_output=True,
        text=True,
    )


def test_the_production_environment_passes_the_deploy_check():
    result = _deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_warns_behind_a_proxy_without_a_proxy_count():
    result = _deploy_check(TRUSTED_PROXY_COUNT="0")
    assert result.returncode != 0
    assert "ita_portal.W001" in result.stderr and "TRUSTED_PROXY_COUNT" in result.stderr


def test_a_negative_proxy_count_stops_the_start():
    result = _import_settings(DEBUG="1", TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr


def test_the_old_https_variable_stops_the_start_and_names_its_successor():
    """Under runserver HTTPS=1 reached every request as "this came over https": nothing
    redirected and HSTS went out over plain http. It must not be silently obeyed or ignored."""
    result = _import_settings(DEBUG="1", HTTPS="1")
    assert result.returncode != 0
    assert "set BEHIND_TLS_PROXY=1 instead" in result.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get_until_up(port: int, path: str) -> http.client.HTTPResponse:
    deadline = time.monotonic() + 30
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path)
            return connection.getresponse()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_behind_tls_proxy_under_runserver_redirects_plain_http_and_sends_no_hsts(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "HTTPS"}}
    env.update(PRODUCTION, ALLOWED_HOSTS="127.0.0.1", ITA_VAR_DIR=str(tmp_path))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        response = _get_until_up(port, "/login/")
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert response.status == 301
    assert response.getheader("Location") == f"https://127.0.0.1:{port}/login/"
    assert response.getheader("Strict-Transport-Security") is None


def test_without_https_cookies_stay_usable_on_plain_http(settings):
    assert (settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE) == (False, False)
    assert (settings.SESSION_COOKIE_HTTPONLY, settings.X_FRAME_OPTIONS) == (True, "DENY")


@pytest.mark.django_db
def test_the_session_and_csrf_cookies_are_http_only(client, staff_dusit):
    """What README.md promises: no script can read either cookie."""
    login_page = client.get("/login/")
    logged_in = client.post("/login/", {"username": "dusit-staff", "password": "ita-demo-2569"})

    assert login_page.cookies["csrftoken"]["httponly"] is True
    assert logged_in.cookies["sessionid"]["httponly"] is True


def test_production_behind_the_proxy_sends_hsts_secure_cookies_and_the_csp():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(PRODUCTION)
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
