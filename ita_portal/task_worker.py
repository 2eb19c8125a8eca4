"""The task worker: django-tasks-db's worker with a heartbeat, so that a task lost with its
worker (a crash, a killed process, a server gone) is queued again or reported as failed.

django-tasks-db claims a ready task with SELECT … FOR UPDATE SKIP LOCKED (an exclusive
transaction on SQLite) and marks it running, so any number of workers on any number of servers
share the one queue table and each task is claimed once. It never looks at a running task again,
so a worker that dies mid-task would leave it "running" for ever. Here every worker writes a
WorkerHeartbeat every TASKS_HEARTBEAT_SECONDS from a thread of its own, and each beat (and each
start) looks for running tasks whose worker has been silent for TASKS_WORKER_TIMEOUT: such a
task goes back to the queue while it has had fewer than TASKS_MAX_ATTEMPTS runs, and is marked
failed with a Thai reason after that. A task that raises is marked failed by django-tasks-db
itself, with its traceback; the admin lists both.
"""

import datetime
import logging
import socket
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Now
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ita_portal.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """The worker running a task stopped before the task finished."""


def beat(worker_id: str) -> None:
    """Record that the worker is alive now, by the database's clock (the one clock every server
    shares, so a server whose clock is off cannot make another's tasks look lost)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": Now(), "host": socket.gethostname()[:255]}
    )


def recover_lost_tasks() -> tuple[int, int]:
    """Queue again (or fail, after TASKS_MAX_ATTEMPTS runs) every running task whose worker has
    been silent for TASKS_WORKER_TIMEOUT; returns how many were requeued and failed. Rows another
    worker is recovering at the same moment are skipped (SKIP LOCKED)."""
    cutoff = Now() - datetime.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    requeued = failed = 0
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True)
        )
        for task in running:
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            runs = len(task.worker_ids)
            if runs < settings.TASKS_MAX_ATTEMPTS:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued += 1
                logger.warning("Task %s lost with its worker; queued again (run %d)", task.id, runs)
            else:
                task.set_failed(
                    WorkerLost(f"ผู้ประมวลผลหยุดทำงานระหว่างงานนี้ครบ {runs} ครั้ง จึงไม่ลองใหม่อีก")
                )
                failed += 1
                logger.error("Task %s lost with its worker %d times; marked failed", task.id, runs)
    return requeued, failed


class Heartbeat(threading.Thread):
    """Beats for the worker and recovers lost tasks until stopped (its own DB connection)."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    beat(self.worker_id)
                    recover_lost_tasks()
                except Exception:
                    # A database hiccup must not end the beat: the next one tries again.
                    logger.exception("Heartbeat of worker %s failed", self.worker_id)
                self.stopped.wait(settings.TASKS_HEARTBEAT_SECONDS)
        finally:
            connection.close()


class PortalWorker(Worker):
    """django-tasks-db's worker loop with a heartbeat beside it (see the module docstring)."""

    def run(self) -> None:
        beat(self.worker_id)
        recover_lost_tasks()
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=settings.TASKS_HEARTBEAT_SECONDS + 5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
