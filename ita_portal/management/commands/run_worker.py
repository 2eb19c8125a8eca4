"""`manage.py run_worker`: process the portal's task queue (README "Background tasks").

The options are django-tasks-db's `db_worker` (--queue-name, --interval, --batch, --max-tasks,
--worker-id, …); the worker is ita_portal.task_worker.PortalWorker, which adds the heartbeat that
lets a task lost with a crashed worker be retried or reported. Run one or more on every server.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from ita_portal.task_worker import PortalWorker


class Command(DbWorkerCommand):
    help = "ประมวลผลงานเบื้องหลังของพอร์ทัล (คิวในฐานข้อมูล) พร้อมสัญญาณชีพของผู้ประมวลผล"

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, **options):
        self.configure_logging(verbosity)
        worker = PortalWorker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            batch=batch,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
