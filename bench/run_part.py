"""One part of the benchmark against one database, in a process of its own; prints JSON.

    python -m bench.run_part --part setup --scale 1
    python -m bench.run_part --part pages --scale 1 --reps 7

The orchestrator (python -m bench) starts this with the environment of bench.environment, so
the settings (database, var folder) are those of the run. The last line of stdout is the JSON
result; anything else goes to stderr.
"""

import argparse
import json
import os
import sys
import time

import django


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    django.setup()


PART_NAMES = ("setup", "pages", "pdf", "pack", "import", "http", "soak-plan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=PART_NAMES, required=True)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per figure")
    parser.add_argument("--seconds", type=float, default=30, help="HTTP load per page")
    parser.add_argument("--connections", type=int, default=8, help="HTTP load connections")
    parser.add_argument("--tool", choices=("python", "wrk"), default="python")
    parser.add_argument("--peer-rows", type=int, default=0, help="cap the peer import's rows")
    args = parser.parse_args(argv)
    _setup_django()
    from bench import parts

    started = time.perf_counter()
    result = parts.run(args)
    result["part_seconds"] = round(time.perf_counter() - started, 2)
    sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
