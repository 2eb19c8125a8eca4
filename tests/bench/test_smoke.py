"""The benchmark's helpers: figures, parsing and the results file (no timing is asserted here)."""

from bench import report, soak
from bench.environment import Target, child_env
from bench.load import parse_wrk
from bench.measure import QueryLog, Timing, median_timing, merge_page_runs, percentile

WRK_OUTPUT = """Running 30s test @ http://127.0.0.1:40123/dusit/2564/
  2 threads and 8 connections
  Latency Distribution
     50%   12.50ms
     75%   15.00ms
     90%   20.00ms
     99%    1.20s
  9000 requests in 30.00s, 900.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    300.00
"""


def test_percentile_takes_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def test_median_timing_reports_medians_and_the_usual_query_count():
    timings = [Timing(0.3, 11, 0.01), Timing(0.1, 11, 0.03), Timing(0.2, 12, 0.02)]

    figures = median_timing(timings)

    assert figures["seconds"] == 0.2
    assert figures["sql_seconds"] == 0.02
    assert (figures["queries"], figures["queries_min"], figures["queries_max"]) == (11, 11, 12)


def test_pages_run_in_several_processes_keep_the_fastest_process_figures():
    def part(overview: float, sql: float, public: float) -> dict:
        return {
            "scale": 1,
            "pages": {
                "overview": {"seconds": overview, "sql_seconds": sql, "queries": 10},
                "public": {"seconds": public, "sql_seconds": 0.001, "queries": 7},
            },
        }

    merged = merge_page_runs(
        [part(0.15, 0.010, 0.03), part(0.10, 0.008, 0.05), part(0.11, 0.009, 0.02)]
    )

    overview, public = merged["pages"]["overview"], merged["pages"]["public"]
    assert (overview["seconds"], overview["sql_seconds"]) == (0.10, 0.008)
    assert overview["process_seconds"] == [0.10, 0.11, 0.15]
    assert public["seconds"] == 0.02
    assert (merged["scale"], merged["processes"]) == (1, 3)


def test_the_query_log_counts_statements_even_when_they_fail():
    log = QueryLog(keep_sql=True)

    def failing(sql, params, many, context):
        raise ValueError("broken")

    try:
        log(failing, "SELECT 1", (), False, {})
    except ValueError:
        pass

    assert (log.count, log.statements) == (1, ["SELECT 1"])


def test_wrk_output_is_read_in_milliseconds_with_every_error_counted():
    figures = parse_wrk(WRK_OUTPUT, "/dusit/2564/", 30)

    assert figures["rps"] == 300.0
    assert figures["requests"] == 9000
    assert (figures["p50_ms"], figures["p99_ms"]) == (12.5, 1200.0)
    assert figures["errors"] == 6


def test_bench_databases_are_never_the_development_database():
    sqlite, postgres = Target("sqlite", 10), Target("postgres", 1, variant="soak")

    assert sqlite.var_dir.name == "bench-10"
    assert postgres.database_name == "ita_bench_soak_1"
    assert "DATABASE_URL" not in child_env(sqlite)
    assert child_env(postgres)["DATABASE_URL"].endswith("/ita_bench_soak_1")
    assert child_env(sqlite)["ITA_VAR_DIR"].endswith("var/bench-10")


def test_memory_is_steady_only_within_ten_percent_of_the_first_minute():
    samples = [(5, {1: 50_000, 2: 60_000}), (61, {1: 100_000, 2: 100_000})]
    steady = samples + [(600, {1: 109_000, 2: 95_000})]
    grown = samples + [(600, {1: 111_000, 2: 100_000})]
    replaced = samples + [(600, {2: 100_000, 3: 90_000})]

    assert soak.memory_verdict(steady, 60)["ok"] is True
    assert soak.memory_verdict(grown, 60)["ok"] is False
    assert soak.memory_verdict(replaced, 60)["ok"] is False


def _page(seconds, sql, queries):
    return {"seconds": seconds, "sql_seconds": sql, "queries": queries, "chart_seconds": 0.0}


def _results() -> dict:
    pages = {
        "overview": _page(0.2, 0.15, 11),
        "unit_dashboard": _page(0.2, 0.01, 13),
        "simulator": _page(0.05, 0.03, 12),
        "public_unit_year": _page(0.02, 0.015, 7),
        "public_unit_year_cached": _page(0.002, 0.001, 2),
        "disclosure_bma": _page(0.1, 0.08, 16),
        "disclosure_checklist": _page(0.05, 0.04, 19),
    }
    ten_x = {
        **pages,
        "overview": _page(0.8, 0.6, 11),
        "disclosure_checklist": _page(0.05, 0.04, 20),
    }
    return {
        "started": "2026-01-01T00:00:00+07:00",
        "finished": "2026-01-01T00:30:00+07:00",
        "smoke": False,
        "settings": {
            "reps": 7,
            "pdf_reps": 5,
            "import_reps": 5,
            "http_seconds": 30,
            "connections": 8,
            "http_tool": "wrk",
        },
        "runs": {
            "sqlite-1": {"engine": "sqlite", "scale": 1, "pages": {"pages": pages}},
            "sqlite-10": {"engine": "sqlite", "scale": 10, "pages": {"pages": ten_x}},
        },
        "notes": [],
        "failures": [],
    }


def test_the_results_list_every_missed_target_with_its_figures():
    text = report.render(_results())

    assert "| BMA overview (/dashboards/overview/) | 10× | 800.0 ms |" in text
    assert "- ❌ SQLite 1× unit dashboard (/dashboards/units/dusit/2564/): 13 queries" in text
    assert "- ❌ SQLite BMA overview (/dashboards/overview/): 10× costs 4.0× the 1×" in text
    assert "public unit page (/dusit/2564/), rendered: server" not in text
    assert "| what-if simulator (…/dusit/2564/simulate/, 3 targets) | 1× | 50.0 ms |" in text
    assert "measures elsewhere" not in text  # not in these figures: left out, not an error


def test_the_oit_pages_are_held_to_their_own_query_limit_and_to_the_same_count():
    text = report.render(_results())

    assert "OIT readiness, every unit (/dashboards/disclosure/2570/): 16 queries" not in text
    assert "- ❌ SQLite 10× OIT checklist (/staff/units/dusit/2570/disclosure/): 20 queries" in text


def test_writing_the_results_again_keeps_the_soak_section(tmp_path):
    path = tmp_path / "results.md"
    soak.write_section("## Soak\n\nsoaked\n", path)

    report.write(_results(), path)

    text = path.read_text()
    assert text.startswith("# Benchmark results\n")
    assert text.endswith("## Soak\n\nsoaked\n")
