"""Soak: ten minutes of bounded mixed traffic against gunicorn (2 workers) on 127.0.0.1.

    python -m bench.soak                 # what `make soak` runs (SQLite, 1× data, 600 s)
    python -m bench.soak --seconds 60 --engine postgres

Public pages, open data, dashboards (a central-team session), memo PDF downloads and, once a
minute, a score import through the real upload → preview (dry run) → confirm pages. Passes when
no response is an error and each worker's resident memory (VmRSS from /proc) at the end is within
10% of where it stood after the first minute. The figures replace the "Soak" section of
bench/results.md. The database is a fresh one (var/bench-soak-1/, or ita_bench_soak_1).
"""

import argparse
import datetime
import http.client
import json
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from bench.environment import ROOT, Target, child_env, drop, python, reset
from bench.load import LOCALHOST, Gunicorn, rss_kib
from bench.measure import Deadline, percentile
from bench.report import SOAK_HEADING

SEED = 2569
SETTLE_SECONDS = 60
RSS_TOLERANCE = 0.10
REQUEST_TIMEOUT = 120
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """One visitor on 127.0.0.1: a keep-alive connection and its cookies."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.connection = None

    def request(self, method: str, path: str, *, body: bytes = b"", headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    LOCALHOST, self.port, timeout=REQUEST_TIMEOUT
                )
            try:
                self.connection.request(method, path, body=body or None, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.close()  # gunicorn's sync workers close after each response
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.close()
        return response.status, dict(response.getheaders()), content

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, body=b"".join(parts), headers=headers)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Tally:
    """Responses by kind, errors with a sample of what went wrong, latencies (ms) by kind."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    counts: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    samples: list = field(default_factory=list)
    latencies: dict = field(default_factory=dict)

    def add(self, kind: str, ok: bool, ms: float, detail: str = "") -> None:
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.latencies.setdefault(kind, []).append(ms)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {detail}")


def _timed(tally: Tally, kind: str, call, expect=(200,)):
    start = time.perf_counter()
    try:
        status, headers, content = call()
    except (OSError, http.client.HTTPException) as exc:
        tally.add(kind, False, (time.perf_counter() - start) * 1000, repr(exc))
        return None
    ok = status in expect
    tally.add(kind, ok, (time.perf_counter() - start) * 1000, f"status {status}")
    return (status, headers, content) if ok else None


def mixed_traffic(port, cookie, plan, deadline: Deadline, tally: Tally, seed: int):
    """Public pages, open data, dashboards and PDFs, weighted, until the deadline."""
    rng = random.Random(seed)
    anonymous = Browser(port)
    central = Browser(port, cookie)
    kinds = list(plan["weights"])
    weights = [plan["weights"][k] for k in kinds]
    while not deadline.passed():
        kind = rng.choices(kinds, weights)[0]
        path = rng.choice(plan["paths"][kind])
        browser = central if kind == "dashboard" else anonymous
        _timed(tally, kind, partial(browser.get, path))
    anonymous.close()
    central.close()


def _csrf(page: bytes) -> dict:
    token = CSRF_FIELD.search(page)
    return {"csrfmiddlewaretoken": token.group(1).decode() if token else ""}


def import_once(browser: Browser, tally: Tally, base: str) -> None:
    """Export the unit's scores, upload them back, open the dry run and confirm it."""
    exported = _timed(tally, "import", partial(browser.get, f"{base}/export/"))
    form = _timed(tally, "import", partial(browser.get, f"{base}/import/"))
    if not (exported and form):
        return
    files = {"file": ("scores.xlsx", exported[2])}
    upload_post = partial(browser.post, f"{base}/import/", _csrf(form[2]), files)
    upload = _timed(tally, "import", upload_post, expect=(302,))
    if not upload:
        return
    preview_url = upload[1].get("Location", "")
    preview = _timed(tally, "import", partial(browser.get, preview_url))
    if preview:
        confirm_post = partial(browser.post, f"{preview_url}confirm/", _csrf(preview[2]))
        _timed(tally, "import", confirm_post, expect=(302,))


def imports(port, cookie, plan, deadline: Deadline, tally: Tally, every: float):
    """A score import through the pages every ``every`` seconds until the deadline."""
    browser = Browser(port, cookie)
    unit, year = plan["import"]
    base = f"/staff/units/{unit}/{year}/scores"
    while not deadline.passed():
        started = time.monotonic()
        import_once(browser, tally, base)
        while not deadline.passed() and time.monotonic() - started < every:
            time.sleep(0.5)
    browser.close()


def sample_memory(server: Gunicorn, deadline: Deadline, samples: list, started: float):
    """(seconds since start, {worker pid: VmRSS KiB}) every 5 s until the deadline."""
    while not deadline.passed():
        pids = server.worker_pids()
        samples.append((time.monotonic() - started, {pid: rss_kib(pid) for pid in pids}))
        time.sleep(min(5.0, max(0.1, deadline.left())))
    pids = server.worker_pids()
    samples.append((time.monotonic() - started, {pid: rss_kib(pid) for pid in pids}))


def _part(target: Target, part: str, *extra: str, limit: float = 1800) -> dict:
    command = [python(), "-m", "bench.run_part", "--part", part, "--scale", str(target.scale)]
    done = subprocess.run(
        command + list(extra),
        cwd=ROOT,
        env=child_env(target),
        capture_output=True,
        text=True,
        timeout=limit,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def memory_verdict(samples: list, settle: float) -> dict:
    """Each worker's RSS after ``settle`` seconds and at the end, and whether it stayed within
    RSS_TOLERANCE (a worker that was replaced fails)."""
    settled = next((s for t, s in samples if t >= settle), samples[0][1] if samples else {})
    final = samples[-1][1] if samples else {}
    workers = []
    for pid, start in settled.items():
        end = final.get(pid)
        change = None if (end is None or not start) else (end - start) / start
        workers.append(
            {
                "pid": pid,
                "settled_mib": round((start or 0) / 1024, 1),
                "end_mib": None if end is None else round(end / 1024, 1),
                "change": change,
                "ok": change is not None and abs(change) <= RSS_TOLERANCE,
            }
        )
    return {"workers": workers, "ok": bool(workers) and all(w["ok"] for w in workers)}


def soak_section(result: dict) -> str:
    """The Markdown of the soak section of results.md."""
    mark = {True: "✅", False: "❌"}
    tally = result["tally"]
    lines = [
        SOAK_HEADING,
        "",
        f"`make soak` (bench/soak.py), {result['date']}: {result['seconds']:.0f} s of mixed "
        f"traffic against gunicorn with 2 sync workers on 127.0.0.1, {result['engine']} at 1×, "
        f"{result['connections']} visitors plus one import every {result['import_every']:.0f} s "
        "(export, upload, dry-run preview, confirm). Targets: no error responses; each worker's "
        "memory at the end within 10% of where it stood after the first minute.",
        "",
        "| traffic | requests | errors (0) | p50 | p99 |",
        "|---|---|---|---|---|",
    ]
    for kind in sorted(tally["counts"]):
        latencies = tally["latencies"][kind]
        errors = tally["errors"].get(kind, 0)
        lines.append(
            f"| {kind} | {tally['counts'][kind]:,} | {errors} {mark[errors == 0]} | "
            f"{percentile(latencies, 50):.0f} ms | {percentile(latencies, 99):.0f} ms |"
        )
    total = sum(tally["counts"].values())
    total_errors = sum(tally["errors"].values())
    lines += [
        f"| all | {total:,} ({total / result['seconds']:.1f}/s) | {total_errors} "
        f"{mark[total_errors == 0]} | | |",
        "",
        "| worker | RSS after 1 min | RSS at the end | change (within ±10%) |",
        "|---|---|---|---|",
    ]
    for worker in result["memory"]["workers"]:
        change = "gone" if worker["change"] is None else f"{worker['change'] * 100:+.1f}%"
        lines.append(
            f"| pid {worker['pid']} | {worker['settled_mib']} MiB | {worker['end_mib']} MiB | "
            f"{change} {mark[worker['ok']]} |"
        )
    if tally["samples"]:
        lines += ["", "Errors seen: " + "; ".join(tally["samples"])]
    return "\n".join(lines) + "\n"


def write_section(section: str, path: Path) -> None:
    """Replace (or add) the soak section at the end of results.md."""
    old = path.read_text() if path.exists() else "# Benchmark results\n"
    if SOAK_HEADING in old:
        old = old[: old.index(SOAK_HEADING)]
    path.write_text(old.rstrip("\n") + "\n\n" + section)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="ITA Portal soak test")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--import-every", type=float, default=60)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args(argv)
    target = Target(args.engine, 1, variant="soak")
    reset(target)
    try:
        print("-- soak: setting up the data …", flush=True)
        _part(target, "setup")
        plan = _part(target, "soak-plan")
        cookie = {plan["cookie_name"]: plan["cookie"]}
        env = child_env(target)
        tally, samples = Tally(), []
        log_dir = target.var_dir / "logs"
        with Gunicorn(env=env, log_dir=log_dir, python=python()) as server:
            print(f"-- soak: {args.seconds:.0f} s against 127.0.0.1:{server.port} …", flush=True)
            deadline = Deadline(args.seconds)
            started = time.monotonic()
            threads = [
                threading.Thread(
                    target=mixed_traffic,
                    args=(server.port, cookie, plan, deadline, tally, SEED + n),
                    daemon=True,
                )
                for n in range(args.connections)
            ]
            threads.append(
                threading.Thread(
                    target=imports,
                    args=(server.port, cookie, plan, deadline, tally, args.import_every),
                    daemon=True,
                )
            )
            threads.append(
                threading.Thread(
                    target=sample_memory,
                    args=(server, deadline, samples, started),
                    daemon=True,
                )
            )
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(args.seconds + REQUEST_TIMEOUT + 30)
            elapsed = time.monotonic() - started
    finally:
        drop(target)
    settle = min(SETTLE_SECONDS, args.seconds / 2)
    result = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "engine": "SQLite" if args.engine == "sqlite" else "PostgreSQL",
        "seconds": elapsed,
        "connections": args.connections,
        "import_every": args.import_every,
        "tally": {
            "counts": tally.counts,
            "errors": tally.errors,
            "samples": tally.samples,
            "latencies": tally.latencies,
        },
        "memory": memory_verdict(samples, settle),
    }
    raw = target.var_dir / "soak.json"
    raw.write_text(json.dumps({**result, "rss_samples": samples}, default=str))
    write_section(soak_section(result), Path(args.out))
    errors = sum(tally.errors.values())
    print(
        f"soak: {sum(tally.counts.values())} requests, {errors} errors, memory "
        f"{'steady' if result['memory']['ok'] else 'NOT steady'}; figures in {args.out}"
    )
    return 0 if errors == 0 and result["memory"]["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
