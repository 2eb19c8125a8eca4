"""The far-cell workbook through both imports: `python -m bench.far_cell` prints the figures.

An 8 KB workbook whose only filled cell besides the header row is in Excel's last row
(1,048,576) goes through the plan import and the score import as the views run them: the dry run
of the preview, then the confirmation. Each import runs in a fresh process of its own, so its
peak memory is its own: the figure is the peak resident size during the import (VmHWM, reset
just before it) above the process's resident size once Django and the database are ready.
Target (issue 14.4): answered in under 2 s and under 100 MB above that baseline.

The database is a SQLite file in var/bench-farcell-1/ with the frameworks and units only
(load_portal_data --no-demo), made once per run.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.environment import ROOT, Target, child_env, python, reset

TARGET = Target("sqlite", 1, variant="farcell")
LAST_ROW = 1_048_576
TARGET_SECONDS = 2.0
TARGET_MB = 100.0


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def far_cell_workbook(kind: str) -> bytes:
    """The workbook of ``kind`` ("plan" or "score"): its headers and one cell in the last row."""
    import openpyxl

    from assessments.score_sheets import (
        ITEMS_HEADERS,
        ITEMS_SHEET,
        QUESTIONS_HEADERS,
        QUESTIONS_SHEET,
    )
    from measures.resources import PLAN_COLUMNS

    book = openpyxl.Workbook()
    sheet = book.active
    if kind == "plan":
        sheet.title = "มาตรการ"
        sheet.append(PLAN_COLUMNS[1:])
    else:
        sheet.title = ITEMS_SHEET
        sheet.append(ITEMS_HEADERS)
        sheet = book.create_sheet(QUESTIONS_SHEET)
        sheet.append(QUESTIONS_HEADERS)
    sheet[f"A{LAST_ROW}"] = "1"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def measure(kind: str) -> dict:
    """Run one import (dry run, then confirmation) in this process; its figures."""
    import django

    django.setup()
    from assessments.models import FiscalYear, OrgUnit
    from assessments.score_sheets import import_score_workbook
    from measures.plan_sheets import import_plan_workbook

    data = far_cell_workbook(kind)
    unit = OrgUnit.objects.get(code="dusit")
    if kind == "plan":
        fiscal_year = FiscalYear.objects.get(year=2566)

        def run(dry_run):
            return import_plan_workbook(
                data, unit=unit, fiscal_year=fiscal_year, user=None, dry_run=dry_run
            )
    else:
        fiscal_year = FiscalYear.objects.get(year=2564)

        def run(dry_run):
            return import_score_workbook(
                data, units=[unit], fiscal_year=fiscal_year, user=None, dry_run=dry_run
            )

    baseline = _status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from VmRSS
    seconds = []
    messages = []
    for dry_run in (True, False):
        started = time.perf_counter()
        report = run(dry_run)
        seconds.append(time.perf_counter() - started)
        messages.append(report.errors[0].message if report.errors else "")
    peak = _status_kb("VmHWM")
    return {
        "kind": kind,
        "bytes": len(data),
        "dry_run_s": round(seconds[0], 2),
        "confirm_s": round(seconds[1], 2),
        "peak_above_baseline_mb": round((peak - baseline) / 1024, 1),
        "message": messages[0][:90],
    }


def prepare() -> None:
    reset(TARGET)
    env = child_env(TARGET)
    for command in (["migrate", "--noinput"], ["load_portal_data", "--no-demo"]):
        subprocess.run(
            [python(), "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", choices=("plan", "score"), help="(internal) one import")
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    args = parser.parse_args(argv)
    if args.measure:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
        sys.stdout.write(json.dumps(measure(args.measure), ensure_ascii=False) + "\n")
        return 0
    if not (args.reuse and TARGET.var_dir.exists()):
        prepare()
    print("| import | file | dry run | confirmation | peak above baseline | answer |")
    print("|---|---|---|---|---|---|")
    for kind in ("plan", "score"):
        done = subprocess.run(
            [python(), "-m", "bench.far_cell", "--measure", kind],
            cwd=ROOT,
            env=child_env(TARGET),
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
        figures = json.loads(done.stdout.splitlines()[-1])
        fast = max(figures["dry_run_s"], figures["confirm_s"]) < TARGET_SECONDS
        small = figures["peak_above_baseline_mb"] < TARGET_MB
        print(
            f"| {kind} | {figures['bytes'] / 1024:.1f} KB | {figures['dry_run_s']:.2f} s | "
            f"{figures['confirm_s']:.2f} s {'✅' if fast else '❌'} | "
            f"{figures['peak_above_baseline_mb']:.1f} MB {'✅' if small else '❌'} | "
            f"{figures['message'] or '(no error)'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
