"""A bounded HTTP load client for 127.0.0.1, and gunicorn started and always stopped.

``run_load`` keeps a fixed number of connections busy until a hard deadline and reports requests
per second, p50/p99 latency and errors. ``wrk_load`` does the same with wrk when it is installed
(make bench prefers it: it leaves more of the two cores to gunicorn). ``Gunicorn`` is a context
manager: the server is stopped on leaving, whatever happened.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.measure import Deadline, median, percentile

LOCALHOST = "127.0.0.1"


@dataclass
class LoadResult:
    """What a load run measured (latencies in milliseconds)."""

    path: str
    seconds: float
    requests: int = 0
    errors: int = 0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    tool: str = "python"
    statuses: dict[int, int] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "path": self.path,
            "tool": self.tool,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(percentile(self.latencies_ms, 50), 1) if self.latencies_ms else None,
            "p99_ms": round(percentile(self.latencies_ms, 99), 1) if self.latencies_ms else None,
            "median_ms": round(median(self.latencies_ms), 1) if self.latencies_ms else None,
            "errors": self.errors,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return probe.getsockname()[1]


def _worker(port, path, headers, deadline: Deadline, result: LoadResult, lock, timeout):
    connection = http.client.HTTPConnection(LOCALHOST, port, timeout=timeout)
    latencies, statuses, errors = [], {}, 0
    try:
        while not deadline.passed():
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                errors += 1
                status = 0
            latencies.append((time.perf_counter() - start) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status not in (0, 200):  # 0: a failed connection, already counted
                errors += 1
    finally:
        connection.close()
        with lock:
            result.requests += len(latencies)
            result.errors += errors
            result.latencies_ms.extend(latencies)
            for status, count in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count


def run_load(
    port: int,
    path: str,
    *,
    seconds: float,
    connections: int,
    headers: dict | None = None,
    timeout: float = 15.0,
) -> LoadResult:
    """Keep ``connections`` requests to 127.0.0.1:``port`` in flight for ``seconds`` (hard stop)."""
    result = LoadResult(path=path, seconds=0.0)
    lock = threading.Lock()
    deadline = Deadline(seconds)
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=_worker,
            args=(port, path, headers or {}, deadline, result, lock, timeout),
            daemon=True,
        )
        for _ in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    result.seconds = time.perf_counter() - started
    return result


WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str, path: str, seconds: float) -> dict:
    """The figures of ``wrk --latency`` output in the shape of LoadResult.summary()."""
    latency = {int(p): float(v) * WRK_UNITS[u] for p, v, u in WRK_LATENCY.findall(output)}
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return {
        "path": path,
        "tool": "wrk",
        "seconds": seconds,
        "requests": requests,
        "rps": round(rps, 1),
        "p50_ms": round(latency.get(50, 0.0), 1),
        "p99_ms": round(latency.get(99, 0.0), 1),
        "errors": errors,
    }


def wrk_load(
    port: int, path: str, *, seconds: float, connections: int, headers: dict | None = None
) -> dict:
    """The same load with wrk (2 threads), killed if it outlives its duration by 30 s.

    A response slower than the run itself counts as an error (a timeout)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    command += ["--timeout", f"{int(seconds)}s"]  # wrk's 2 s default would count slow pages
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{LOCALHOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True)
    return parse_wrk(done.stdout, path, seconds)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


class Gunicorn:
    """gunicorn with ``workers`` sync workers on 127.0.0.1 (a free port), stopped on exit."""

    def __init__(self, *, env: dict, log_dir: Path, workers: int = 2, python: str = "python"):
        self.env = env
        self.workers = workers
        self.python = python
        self.port = free_port()
        self.log_path = log_dir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        command = [
            self.python, "-m", "gunicorn", "ita_portal.wsgi",
            "--workers", str(self.workers),
            "--bind", f"{LOCALHOST}:{self.port}",
            "--timeout", "120",
            "--graceful-timeout", "10",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        log.close()
        try:
            self._wait_ready(Deadline(60))
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self, deadline: Deadline) -> None:
        while not deadline.passed():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection(LOCALHOST, self.port, timeout=5)
                connection.request("GET", "/")
                connection.getresponse().read()
                connection.close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {deadline.seconds} s")

    def worker_pids(self) -> list[int]:
        """The workers: the master's children, from /proc."""
        if self.process is None:
            return []
        master = self.process.pid
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(pid) for pid in children.read_text().split()]
        pids = []  # kernels without the children file: scan every process's parent
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self) -> None:
        """SIGTERM the master (it stops its workers), then SIGKILL its group if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def rss_kib(pid: int) -> int | None:
    """A process's resident memory (VmRSS, KiB) from /proc, or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
