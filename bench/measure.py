"""Small measuring tools shared by the benchmark parts: medians, SQL timing, percentiles.

Nothing here imports Django models, so the orchestrator and the load client can use it too.
"""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def median(values: list[float]) -> float:
    """The median of a non-empty list (the figure every benchmark reports)."""
    if not values:
        raise ValueError("no values to take the median of")
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    """The ``pct`` percentile (0–100) by the nearest-rank method; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class QueryLog:
    """SQL statements run while installed as a ``connection.execute_wrapper``: count and time."""

    count: int = 0
    seconds: float = 0.0
    statements: list[str] = field(default_factory=list)
    keep_sql: bool = False

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1
            if self.keep_sql:
                self.statements.append(sql)


@dataclass(frozen=True)
class Timing:
    """One timed call: wall time, SQL statements and SQL time."""

    seconds: float
    queries: int
    sql_seconds: float


def timed(call: Callable[[], object], *, connection=None) -> tuple[Timing, object]:
    """Run ``call`` once, timing it and (with a connection) the SQL it runs."""
    log = QueryLog()
    start = time.perf_counter()
    if connection is None:
        result = call()
    else:
        with connection.execute_wrapper(log):
            result = call()
    return Timing(time.perf_counter() - start, log.count, log.seconds), result


def median_timing(timings: list[Timing]) -> dict:
    """Medians of repeated timings, as JSON-ready numbers (queries: the most frequent count)."""
    counts = [t.queries for t in timings]
    return {
        "seconds": median([t.seconds for t in timings]),
        "sql_seconds": median([t.sql_seconds for t in timings]),
        "queries": max(set(counts), key=counts.count),
        "queries_min": min(counts),
        "queries_max": max(counts),
        "runs": len(timings),
    }


def fastest_process(runs: list[dict]) -> dict:
    """One page's figures from several processes: those of the process with the lowest server
    time (each already the median of its repeated views), with every process's time beside them.

    On this machine a process can run up to 50% slower than the next for its whole life (the
    same code, data and core; a plain Python loop timed in the same process is slower by as
    much), so a single process per scale would make the 10× / 1× ratio a draw. As with timeit,
    the lowest is the figure least disturbed by the machine.
    """
    ordered = sorted(runs, key=lambda figures: figures["seconds"])
    chosen = dict(ordered[0])
    chosen["process_seconds"] = [figures["seconds"] for figures in ordered]
    return chosen


def merge_page_runs(parts: list[dict]) -> dict:
    """The pages part run in several processes, as one result (see :func:`fastest_process`)."""
    merged = dict(parts[0])
    merged["pages"] = {
        key: fastest_process([part["pages"][key] for part in parts]) for key in parts[0]["pages"]
    }
    merged["processes"] = len(parts)
    return merged


class Deadline:
    """A hard time limit for a loop: ``while not deadline.passed(): ...``."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() >= self.end

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())
