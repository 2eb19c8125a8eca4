"""Tasks the queue tests enqueue and real worker processes run (importable by the workers)."""

import os
import signal
import time
from pathlib import Path

from django_tasks import task


@task()
def record_run(path: str, number: int, seconds: float) -> int:
    """Append the number to the file (one line per run), after a short piece of work."""
    time.sleep(seconds)
    with open(path, "a") as runs:
        runs.write(f"{number}\n")
    return number


@task()
def crash_once(marker: str) -> str:
    """Kill the worker process the first time (a crash mid-task); succeed when run again."""
    if not Path(marker).exists():
        Path(marker).write_text("crashed")
        os.kill(os.getpid(), signal.SIGKILL)
    return "done"


@task()
def always_crash() -> None:
    """Kill the worker process every time it runs."""
    os.kill(os.getpid(), signal.SIGKILL)


@task()
def raise_error() -> None:
    """Fail the ordinary way."""
    raise ValueError("ข้อมูลไม่ครบ")
