"""The task queue in the portal's database (django-tasks-db) and its worker (run_worker).

On PostgreSQL, real worker processes share one queue: two workers run forty tasks, each exactly
once; a worker killed mid-task (SIGKILL) leaves its task running, and the next worker, once the
dead one's heartbeat is stale, runs it again, or after TASKS_MAX_ATTEMPTS runs marks it failed; a
task that raises is marked failed with its traceback. The recovery rules themselves are checked
on both engines.
"""

import datetime
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ita_portal.models import MemoPack, WorkerHeartbeat
from ita_portal.task_worker import recover_lost_tasks
from tests.portal import queue_tasks

ROOT = Path(__file__).resolve().parents[2]
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
on_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="worker processes share the test database only on PostgreSQL (SQLite's is in memory)",
)


@pytest.fixture
def database_queue(db, settings):
    settings.TASKS = DATABASE_QUEUE


def running_task(*, workers: list[str], minutes_ago: int) -> DBTaskResult:
    """A task some worker claimed ``minutes_ago`` and has not finished."""
    result = queue_tasks.raise_error.enqueue()
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=started, worker_ids=workers
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_whose_worker_went_silent_is_queued_again(database_queue, settings):
    settings.TASKS_WORKER_TIMEOUT, settings.TASKS_MAX_ATTEMPTS = 60, 3
    lost = running_task(workers=["gone"], minutes_ago=5)

    assert recover_lost_tasks() == (1, 0)

    lost.refresh_from_db()
    assert (lost.status, lost.started_at) == (TaskResultStatus.READY, None)


def test_a_task_lost_on_its_last_attempt_is_reported_failed_in_thai(database_queue, settings):
    settings.TASKS_WORKER_TIMEOUT, settings.TASKS_MAX_ATTEMPTS = 60, 2
    lost = running_task(workers=["first", "second"], minutes_ago=5)

    assert recover_lost_tasks() == (0, 1)

    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.FAILED
    assert lost.exception_class_path == "ita_portal.task_worker.WorkerLost"
    assert "ผู้ประมวลผลหยุดทำงานระหว่างงานนี้ครบ 2 ครั้ง" in lost.traceback


def test_a_task_whose_worker_still_beats_is_left_running(database_queue, settings):
    settings.TASKS_WORKER_TIMEOUT = 60
    WorkerHeartbeat.objects.create(worker_id="busy", beat_at=timezone.now())
    long_task = running_task(workers=["busy"], minutes_ago=30)
    just_claimed = running_task(workers=["new"], minutes_ago=0)

    assert recover_lost_tasks() == (0, 0)

    assert {
        t.status for t in DBTaskResult.objects.filter(pk__in=[long_task.pk, just_claimed.pk])
    } == {TaskResultStatus.RUNNING}


def worker(worker_id: str, **env) -> subprocess.Popen:
    """A `manage.py run_worker --batch` process on the test database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0",
            "--worker-id",
            worker_id,
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "ita_portal.settings_test",
            "TASKS_IMMEDIATE": "0",
            "TASKS_HEARTBEAT_SECONDS": "1",
            "TASKS_WORKER_TIMEOUT": "2",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def finish(process: subprocess.Popen) -> int:
    """Wait for the worker; its exit code (-9 when it was killed)."""
    process.communicate(timeout=120)
    return process.returncode


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_share_the_queue_and_run_each_task_exactly_once(database_queue, tmp_path):
    runs = tmp_path / "runs.txt"
    ids = [queue_tasks.record_run.enqueue(str(runs), n, 0.1).id for n in range(40)]

    workers = [worker("worker-a"), worker("worker-b")]
    assert [finish(w) for w in workers] == [0, 0]

    assert Counter(runs.read_text().split()) == {str(n): 1 for n in range(40)}
    done = DBTaskResult.objects.filter(pk__in=ids)
    assert {t.status for t in done} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(t.worker_ids) == 1 for t in done)
    assert {t.worker_ids[0] for t in done} == {"worker-a", "worker-b"}


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_that_crashed_its_worker_is_retried_by_the_next_worker(database_queue, tmp_path):
    result = queue_tasks.crash_once.enqueue(str(tmp_path / "marker"))

    assert finish(worker("crashing")) == -9
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(seconds=3))
    DBTaskResult.objects.filter(pk=result.id).update(
        started_at=timezone.now() - datetime.timedelta(seconds=3)
    )
    assert finish(worker("rescuer")) == 0

    task = DBTaskResult.objects.get(pk=result.id)
    assert (task.status, task.return_value) == (TaskResultStatus.SUCCESSFUL, "done")
    assert task.worker_ids == ["crashing", "rescuer"]


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_that_keeps_crashing_is_reported_failed(database_queue):
    result = queue_tasks.always_crash.enqueue()

    assert finish(worker("crashing", TASKS_MAX_ATTEMPTS="1")) == -9
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - datetime.timedelta(seconds=3))
    DBTaskResult.objects.filter(pk=result.id).update(
        started_at=timezone.now() - datetime.timedelta(seconds=3)
    )
    assert finish(worker("next", TASKS_MAX_ATTEMPTS="1")) == 0

    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.FAILED
    assert "ผู้ประมวลผลหยุดทำงาน" in task.traceback


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_task_that_raises_is_reported_failed_with_its_traceback(database_queue):
    result = queue_tasks.raise_error.enqueue()

    assert finish(worker("worker")) == 0

    task = DBTaskResult.objects.get(pk=result.id)
    assert (task.status, task.exception_class_path) == (
        TaskResultStatus.FAILED,
        "builtins.ValueError",
    )
    assert "ข้อมูลไม่ครบ" in task.traceback


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_bulk_pack_ordered_on_the_page_is_built_by_a_worker(database_queue, client, tmp_path):
    call_command("load_portal_data", stdout=open(os.devnull, "w"))  # emptied by earlier tests
    client.force_login(get_user_model().objects.get(username="central"))

    client.post(reverse("staff:memo-packs"), {"kind": "measures_plan", "fiscal_year": 2567})
    pack = MemoPack.objects.get()
    assert pack.status == MemoPack.Status.QUEUED  # waiting for a worker

    assert finish(worker("packer", MEDIA_ROOT=str(tmp_path))) == 0

    pack.refresh_from_db()
    assert (pack.status, pack.units_done, pack.memos_done, pack.errors) == ("done", 1, 1, [])
    assert (tmp_path / pack.file.name).stat().st_size > 10_000
    assert DBTaskResult.objects.get(pk=pack.task_id).status == TaskResultStatus.SUCCESSFUL
