"""Run the whole benchmark and write bench/results.md: `python -m bench` (what `make bench` runs).

For each database (SQLite, then PostgreSQL when it answers on 127.0.0.1) and each scale (1×,
10×) it makes a fresh database, generates the data and runs every part in a subprocess of its
own (bench.run_part), each under a hard time limit. PostgreSQL databases are dropped at the end.

    python -m bench                  # the full run (about 20 minutes on 2 cores)
    python -m bench --smoke          # CI: SQLite, 1×, few repetitions, 3 s of HTTP; no targets
    python -m bench --engines postgres --scales 1,100 --out var/bench-100x.md
                                     # 100× (5,000 units) against 1× on PostgreSQL
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import report
from bench.environment import ROOT, Target, child_env, drop, postgres_available, python, reset
from bench.load import wrk_available
from bench.measure import merge_page_runs

PART_LIMITS = {"setup": 1800, "pages": 900, "pdf": 1200, "pack": 1800, "import": 1800}


class PartFailed(RuntimeError):
    pass


def ensure_wrk() -> bool:
    """wrk from Debian for the HTTP load: installed here when missing and running as root."""
    if wrk_available():
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        if subprocess.run(command, env=env, capture_output=True, timeout=600).returncode != 0:
            return False
    return wrk_available()


def run_part(target: Target, part: str, options: list[str], *, limit: float, env_extra=None):
    """Run one part in its own process; its JSON result (PartFailed on a crash or timeout)."""
    command = [python(), "-m", "bench.run_part", "--part", part, "--scale", str(target.scale)]
    env = child_env(target, **(env_extra or {}))
    started = time.monotonic()
    print(f"-- {target.label}: {part} …", flush=True)
    try:
        done = subprocess.run(
            command + options,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=limit,
        )
    except subprocess.TimeoutExpired as exc:
        raise PartFailed(f"{target.label} {part}: no answer within {limit:.0f} s") from exc
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-4000:])
        raise PartFailed(f"{target.label} {part}: exit status {done.returncode}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise PartFailed(f"{target.label} {part}: no JSON result")
    print(f"   done in {time.monotonic() - started:.0f} s", flush=True)
    return json.loads(lines[-1])


def parse_args(argv):
    parser = argparse.ArgumentParser(description="ITA Portal benchmarks")
    parser.add_argument("--smoke", action="store_true", help="CI: small, quick, no targets")
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument(
        "--page-processes", type=int, default=5, help="processes the pages part runs in"
    )
    parser.add_argument("--pdf-reps", type=int, default=5)
    parser.add_argument("--import-reps", type=int, default=5)
    parser.add_argument("--peer-rows", type=int, default=1500)
    parser.add_argument("--http-seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument(
        "--skip", type=lambda v: set(v.split(",")), default=set(), help="parts to leave out"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="write results.md again from the last run's figures (var/bench-results.json)",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other engines' runs of the last full run (var/bench-results.json)",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.engines, args.scales = "sqlite", "1"
        args.reps, args.pdf_reps, args.import_reps, args.page_processes = 2, 1, 1, 1
        args.peer_rows, args.http_seconds, args.connections = 100, 3, 4
        if args.out == str(ROOT / "bench" / "results.md"):
            args.out = str(ROOT / "var" / "bench-smoke.md")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.report_only:
        raw = ROOT / "var" / ("bench-smoke.json" if args.smoke else "bench-results.json")
        report.write(json.loads(raw.read_text()), Path(args.out))
        print(f"figures: {args.out} (from {raw})")
        return 0
    engines = [e for e in args.engines.split(",") if e]
    notes = []
    if "postgres" in engines and not postgres_available():
        engines.remove("postgres")
        notes.append("PostgreSQL did not answer on 127.0.0.1:5432: its runs were skipped.")
    scales = sorted(int(s) for s in args.scales.split(","))
    tool = "wrk" if (not args.smoke and ensure_wrk()) else "python"
    smoke_env = {"BENCH_SMOKE": "1"} if args.smoke else {}
    results = {
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "smoke": args.smoke,
        "settings": {
            "reps": args.reps,
            "page_processes": args.page_processes,
            "pdf_reps": args.pdf_reps,
            "import_reps": args.import_reps,
            "peer_rows": args.peer_rows,
            "http_seconds": args.http_seconds,
            "connections": args.connections,
            "http_tool": tool,
        },
        "runs": {},
        "notes": notes,
        "failures": [],
    }
    for engine in engines:
        for scale in scales:
            target = Target(engine, scale)
            run = results["runs"].setdefault(
                f"{engine}-{scale}", {"engine": engine, "scale": scale}
            )
            try:
                reset(target)
                run["setup"] = run_part(target, "setup", [], limit=PART_LIMITS["setup"])
                plan = [("pages", ["--reps", str(args.reps)], PART_LIMITS["pages"])]
                if scale == scales[0]:
                    plan += [
                        ("pdf", ["--reps", str(args.pdf_reps)], PART_LIMITS["pdf"]),
                        ("pack", [], PART_LIMITS["pack"]),
                        (
                            "import",
                            ["--reps", str(args.import_reps), "--peer-rows", str(args.peer_rows)],
                            PART_LIMITS["import"],
                        ),
                    ]
                http_options = [
                    "--seconds", str(args.http_seconds),
                    "--connections", str(args.connections),
                    "--tool", tool,
                ]  # fmt: skip
                plan.append(("http", http_options, 2 * args.http_seconds + 180))
                for part, options, limit in plan:
                    if part in args.skip:
                        continue
                    try:
                        processes = args.page_processes if part == "pages" else 1
                        outcomes = [
                            run_part(target, part, options, limit=limit, env_extra=smoke_env)
                            for _ in range(processes)
                        ]
                        run[part] = merge_page_runs(outcomes) if part == "pages" else outcomes[0]
                    except PartFailed as exc:
                        results["failures"].append(str(exc))
                        print(f"!! {exc}", file=sys.stderr)
            except PartFailed as exc:
                results["failures"].append(str(exc))
                print(f"!! {exc}", file=sys.stderr)
            finally:
                if not args.keep:
                    drop(target)
    results["finished"] = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    raw = ROOT / "var" / ("bench-smoke.json" if args.smoke else "bench-results.json")
    if args.merge and raw.exists():
        earlier = json.loads(raw.read_text())
        for key, run in earlier["runs"].items():
            if run["engine"] not in engines:
                results["runs"][key] = run
        results["started"] = min(results["started"], earlier["started"])
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    report.write(results, out)
    print(f"figures: {out} (raw: {raw})")
    if results["failures"]:
        print("FAILED: " + "; ".join(results["failures"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
