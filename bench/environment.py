"""Where each benchmark run keeps its data: a separate database and var/ folder per (engine, scale).

Never the development database (var/db.sqlite3): SQLite runs use var/bench-<scale>/, PostgreSQL
runs the database ita_bench_<scale> on 127.0.0.1 (created and dropped here) with its files in
var/bench-pg-<scale>/. Settings are process-wide, so each run happens in a subprocess started
with :func:`child_env`.
"""

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
BENCH_SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"


@dataclass(frozen=True)
class Target:
    """One database at one scale."""

    engine: str  # "sqlite" or "postgres"
    scale: int
    variant: str = ""  # "soak": a database of its own for bench.soak

    @property
    def label(self) -> str:
        return f"{'SQLite' if self.engine == 'sqlite' else 'PostgreSQL'} {self.scale}×"

    @property
    def var_dir(self) -> Path:
        kind = "bench" if self.engine == "sqlite" else "bench-pg"
        variant = f"-{self.variant}" if self.variant else ""
        return ROOT / "var" / f"{kind}{variant}-{self.scale}"

    @property
    def database_name(self) -> str:
        variant = f"{self.variant}_" if self.variant else ""
        # BENCH_DB_PREFIX keeps runs of several checkouts on one server apart.
        return f"{os.environ.get('BENCH_DB_PREFIX', 'ita_bench')}_{variant}{self.scale}"

    @property
    def database_url(self) -> str:
        return f"{PG_SERVER}/{self.database_name}" if self.engine == "postgres" else ""


def child_env(target: Target, **extra: str) -> dict[str, str]:
    """The environment of a subprocess working on ``target``: production-like settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "ITA_VAR_DIR"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ita_portal.settings",
        DEBUG="0",
        SECRET_KEY=BENCH_SECRET,
        ITA_VAR_DIR=str(target.var_dir),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="0",
        BEHIND_TLS_PROXY="0",
        LOG_LEVEL="ERROR",
        PYTHONDONTWRITEBYTECODE="1",
    )
    if target.database_url:
        env["DATABASE_URL"] = target.database_url
    env.update(extra)
    return env


def python() -> str:
    """The interpreter running the benchmark (the project's .venv under `make bench`)."""
    return sys.executable


def _pg_admin():
    import psycopg2

    connection = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    connection.autocommit = True
    return connection


def reset(target: Target) -> None:
    """Start ``target`` empty: remove its var folder and (PostgreSQL) recreate its database."""
    if target.var_dir.exists():
        shutil.rmtree(target.var_dir)
    target.var_dir.mkdir(parents=True)
    if target.engine == "postgres":
        connection = _pg_admin()  # autocommit: CREATE/DROP DATABASE refuse a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{target.database_name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{target.database_name}"')
        finally:
            connection.close()


def drop(target: Target) -> None:
    """Drop the PostgreSQL database of ``target`` (its var folder stays, for reading)."""
    if target.engine == "postgres":
        connection = _pg_admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{target.database_name}" WITH (FORCE)')
        finally:
            connection.close()


def postgres_available() -> bool:
    """Whether the local PostgreSQL answers (the orchestrator skips it otherwise, and says so)."""
    try:
        _pg_admin().close()
    except Exception:
        return False
    return True
