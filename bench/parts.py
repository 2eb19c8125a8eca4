"""The parts of the benchmark, run inside a configured Django process (see bench.run_part).

Each returns a JSON-ready dict of figures; every figure is the median of ``args.reps`` timed
runs after a warm-up run.
"""

import gc
import io
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings

from bench.measure import median, median_timing, timed

CENTRAL = "central"
DASHBOARD_UNIT = "dusit"
DASHBOARD_YEAR = 2564
IMPORT_YEAR = 2566
# targets on an indicator, a question and the overall: every step of the simulation runs
SIMULATION = "simulate/?ind-2=90&q-O1=100&goal=95"
DUMMY_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def _quiet() -> io.StringIO:
    return io.StringIO()


# --- setup ------------------------------------------------------------------------------------


def setup(args) -> dict:
    """Migrate, make the cache table, collect static files, load the reference data, generate the
    data at ``args.scale`` and load the demo data (logins, the five seed memos) over it."""
    from bench.datagen import generate

    steps = {}
    for name, command, options in (
        ("migrate", "migrate", {"interactive": False}),
        ("createcachetable", "createcachetable", {}),
        ("collectstatic", "collectstatic", {"interactive": False}),
        ("reference_data", "load_portal_data", {"no_demo": True}),
    ):
        timing, _ = timed(lambda c=command, o=options: call_command(c, stdout=_quiet(), **o))
        steps[name] = round(timing.seconds, 2)
    timing, counts = timed(lambda: generate(args.scale))
    steps["generate"] = round(timing.seconds, 2)
    timing, _ = timed(lambda: call_command("load_portal_data", stdout=_quiet()))
    steps["demo_data"] = round(timing.seconds, 2)
    return {"scale": args.scale, "counts": counts, "steps": steps}


# --- a: pages ---------------------------------------------------------------------------------


def _central_client() -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=CENTRAL))
    return client


def _get_ok(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def _time_get(client: Client, url: str, reps: int) -> dict:
    response = _get_ok(client, url)  # warm-up: templates, imports, caches
    timings = []
    for _ in range(reps):
        gc.collect()
        timings.append(timed(lambda: _get_ok(client, url), connection=connection)[0])
    figures = median_timing(timings)
    figures["url"] = url
    figures["bytes"] = len(response.content)
    return figures


def pages(args) -> dict:
    """The BMA overview, a unit dashboard, its what-if simulator, the measures elsewhere for one
    of its weaknesses, the OIT readiness pages (the BMA's and a unit's checklist) and the public
    unit-year page through the test client."""
    from bench.datagen import DISCLOSURE_YEAR
    from ita_portal.dashboards import default_year
    from measures.models import Weakness

    central = _central_client()
    year = default_year()
    weakness = Weakness.objects.filter(
        assessment__unit__code=DASHBOARD_UNIT, assessment__fiscal_year__year=DASHBOARD_YEAR
    ).earliest("pk")
    unit_url = f"/dashboards/units/{DASHBOARD_UNIT}/{DASHBOARD_YEAR}/"
    results = {
        "overview": _time_get(central, f"/dashboards/overview/?year={year}", args.reps),
        "unit_dashboard": _time_get(central, unit_url, args.reps),
        "simulator": _time_get(central, f"{unit_url}{SIMULATION}", args.reps),
        "measures_elsewhere": _time_get(
            central, f"/staff/weaknesses/{weakness.pk}/elsewhere/", args.reps
        ),
    }
    results["disclosure_bma"] = _time_get(
        central, f"/dashboards/disclosure/{DISCLOSURE_YEAR}/", args.reps
    )
    results["disclosure_checklist"] = _time_get(
        central, f"/staff/units/{DASHBOARD_UNIT}/{DISCLOSURE_YEAR}/disclosure/", args.reps
    )
    public_url = f"/{DASHBOARD_UNIT}/{DASHBOARD_YEAR}/"
    with override_settings(CACHES=DUMMY_CACHE):  # the page itself, cache bypassed
        results["public_unit_year"] = _time_get(Client(), public_url, args.reps)
    results["public_unit_year_cached"] = _time_get(Client(), public_url, args.reps)
    charts = _chart_seconds(year, args.reps)
    for name, seconds in charts.items():
        results[name]["chart_seconds"] = seconds
    results["public_unit_year_cached"]["chart_seconds"] = 0.0
    return {"scale": args.scale, "overview_year": year, "pages": results}


def _chart_seconds(overview_year: int, reps: int) -> dict:
    """The time the pages spend drawing their charts (matplotlib), from the same numbers."""
    from assessments.models import FiscalYear, OrgUnit
    from assessments.results import bma_trend, scored_years, unit_scores, unit_year
    from ita_portal import charts

    unit = OrgUnit.objects.get(code=DASHBOARD_UNIT)
    fiscal_year = FiscalYear.objects.select_related("framework").get(year=DASHBOARD_YEAR)
    target = fiscal_year.framework.pass_mark
    rows = unit_year(unit, fiscal_year).chart_rows()
    trend = scored_years(unit_scores(unit))
    bma = bma_trend()
    bma_series = {
        "กรุงเทพมหานคร": [(p.year, p.bma) for p in bma],
        "ค่าเฉลี่ยสำนักงานเขต": [(p.year, p.district_average) for p in bma],
    }

    def best(draw) -> float:
        """A first drawing: the charts a process keeps are forgotten before each run."""
        timings = []
        for _ in range(reps + 1):
            charts.forget_drawn_charts()
            timings.append(timed(draw)[0].seconds)
        return median(timings[1:])

    indicator = best(lambda: charts.indicator_chart_svg(rows, target=target))
    return {
        "overview": best(lambda: charts.trend_chart_svg(bma_series, target=target)),
        "unit_dashboard": indicator
        + best(lambda: charts.trend_chart_svg({unit.display_name: trend}, target=target)),
        "public_unit_year": indicator,
    }


# --- b: memo PDFs -----------------------------------------------------------------------------


def _seed_memos() -> list:
    from assessments.reference_data import FIXTURES_DIR, read_yaml
    from measures.models import Memo

    memos = []
    for item in read_yaml(FIXTURES_DIR / "demo" / "memos.yaml"):
        memos.append(
            Memo.objects.get(
                unit__code=item["unit"], fiscal_year__year=item["fiscal_year"], kind=item["kind"]
            )
        )
    return memos


def _page_count(html: str) -> int:
    from weasyprint import HTML

    from ita_portal.pdf import BASE_URL, _fetcher_class

    return len(HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()()).render().pages)


def pdf(args) -> dict:
    """Each seed memo's PDF through its view, against WeasyPrint alone on the same final HTML."""
    client = Client()  # the seed memos are published: public downloads
    with override_settings(CACHES=DUMMY_CACHE):  # every download rendered, not the cached bytes
        memos = [_memo_figures(client, memo, args.reps) for memo in _seed_memos()]
    cached = [_time_get(client, f"/memos/{memo.pk}.pdf", args.reps) for memo in _seed_memos()]
    return {"memos": memos, "cached_seconds": median([c["seconds"] for c in cached])}


def _memo_figures(client: Client, memo, reps: int) -> dict:
    from django.template.loader import render_to_string

    from ita_portal.memo_document import memo_document_context
    from ita_portal.pdf import render_html_to_pdf
    from ita_portal.views.memos import MEMOS

    url = f"/memos/{memo.pk}.pdf"
    html = render_to_string(
        "memos/memo_document.html", memo_document_context(MEMOS.get(pk=memo.pk))
    )
    response = _get_ok(client, url)  # warm-up of both
    render_html_to_pdf(html)
    views, floors = [], []
    for _ in range(reps):  # interleaved, so that a busy moment of the machine hits both alike
        gc.collect()
        views.append(timed(lambda: _get_ok(client, url), connection=connection)[0])
        gc.collect()
        floors.append(timed(lambda: render_html_to_pdf(html))[0])
    view = median_timing(views)
    view["bytes"] = len(response.content)
    floor = median([t.seconds for t in floors])
    pages = _page_count(html)
    return {
        "memo": memo.pk,
        "label": f"{memo.unit.short_name or memo.unit.name} {memo.fiscal_year.year} "
        f"{memo.get_kind_display()}",
        "pages": pages,
        "view_seconds": view["seconds"],
        "view_queries": view["queries"],
        "floor_seconds": floor,
        "ratio": view["seconds"] / floor,
        "pages_per_second": pages / view["seconds"],
        "bytes": view["bytes"],
    }


# --- c: score import --------------------------------------------------------------------------


def _districts():
    """The 50 real district offices (bench.datagen numbers its clones from order 1000)."""
    from assessments.models import OrgUnit

    return list(OrgUnit.objects.districts().filter(order__lt=1000).order_by("order"))


def _clear_scores(fiscal_year, units) -> None:
    """Delete the year's scores of these units, so that an import writes every row anew."""
    from assessments.models import (
        Assessment,
        IndicatorScore,
        QuestionScore,
        SubIndicatorScore,
        ToolScore,
    )

    assessments = Assessment.objects.filter(fiscal_year=fiscal_year, unit__in=units)
    with transaction.atomic():
        for model in (QuestionScore, IndicatorScore, SubIndicatorScore, ToolScore):
            model.objects.filter(assessment__in=assessments).delete()


def _floor_read(data: bytes) -> int:
    """Read every cell of every sheet with openpyxl in read-only mode (the floor)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = 0
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            rows += 1
    book.close()
    return rows


def _ours(data: bytes, *, units, fiscal_year, user) -> tuple[int, list[float]]:
    """The portal's path, as the views run it: a dry run (preview), then the confirmation.

    Returns the rows and the seconds of each of the two steps.
    """
    from assessments.score_sheets import import_score_workbook

    rows, steps = 0, []
    for dry_run in (True, False):
        started = time.perf_counter()
        report = import_score_workbook(
            data, units=units, fiscal_year=fiscal_year, user=user, dry_run=dry_run
        )
        steps.append(time.perf_counter() - started)
        if not report.ok:
            raise RuntimeError(f"import failed: {report.errors[:3]}")
        rows = len(report.rows)
    return rows, steps


def _import_figures(files, *, units, user, reps: int, warm_up: bool = True) -> dict:
    """Median time of the portal's import and of the floor over ``files`` [(fiscal year, bytes)]."""
    ours, dry_runs, confirms, floor, rows = [], [], [], [], 0

    def run_ours():
        nonlocal rows
        rows, dry_run, confirm = 0, 0.0, 0.0
        for fiscal_year, data in files:
            file_rows, (dry, kept) = _ours(data, units=units, fiscal_year=fiscal_year, user=user)
            rows, dry_run, confirm = rows + file_rows, dry_run + dry, confirm + kept
        return dry_run, confirm

    if warm_up:
        for fiscal_year, _ in files:
            _clear_scores(fiscal_year, units)
        run_ours()  # it writes the rows back
    for _ in range(reps):
        for fiscal_year, _ in files:
            _clear_scores(fiscal_year, units)
        gc.collect()
        timing, (dry_run, confirm) = timed(run_ours)
        ours.append(timing.seconds)
        dry_runs.append(dry_run)
        confirms.append(confirm)
        gc.collect()
        floor.append(timed(lambda: [_floor_read(d) for _, d in files])[0].seconds)
    ours_s, floor_s = median(ours), median(floor)
    return {
        "files": len(files),
        "rows": rows,
        "seconds": ours_s,
        "dry_run_seconds": median(dry_runs),
        "confirm_seconds": median(confirms),
        "rows_per_second": rows / ours_s,
        "floor_seconds": floor_s,
        "floor_rows_per_second": rows / floor_s,
        "ratio_to_floor": ours_s / floor_s,
        "bytes": sum(len(d) for _, d in files),
    }


def _peer_dataset(data: bytes, limit: int):
    """The question sheet as a tablib Dataset with plain column names (the peer's input)."""
    import tablib
    from openpyxl import load_workbook

    from assessments.score_sheets import QUESTIONS_SHEET

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = book[QUESTIONS_SHEET].iter_rows(values_only=True)
    headers = next(rows)
    index = {name: headers.index(name) for name in headers}
    from assessments.resources import (
        LOWEST_SHARE_COLUMN,
        QUESTION_COLUMN,
        REMARK_COLUMN,
        SCORE_COLUMN,
        UNIT_COLUMN,
        YEAR_COLUMN,
    )

    columns = (
        ("unit", UNIT_COLUMN),
        ("year", YEAR_COLUMN),
        ("question", QUESTION_COLUMN),
        ("score", SCORE_COLUMN),
        ("lowest_option_share", LOWEST_SHARE_COLUMN),
        ("remark", REMARK_COLUMN),
    )
    dataset = tablib.Dataset(headers=[name for name, _ in columns])
    for number, row in enumerate(rows):
        if limit and number >= limit:
            break
        values = [row[index[column]] for _, column in columns]
        values[-1] = values[-1] or ""  # an empty remark cell is an empty text, as in the portal
        dataset.append(values)
    book.close()
    return dataset


def _peer(data: bytes, *, limit: int) -> tuple[float, int]:
    """django-import-export with its defaults on a plain ModelResource: dry run, then import."""
    from bench.peer import PeerQuestionScoreResource

    def run():
        count = 0
        for dry_run in (True, False):
            dataset = _peer_dataset(data, limit)
            result = PeerQuestionScoreResource().import_data(dataset, dry_run=dry_run)
            if result.has_errors() or result.has_validation_errors():
                raise RuntimeError(f"peer import failed: {result.base_errors[:1]}")
            count = len(dataset)
        return count

    timing, rows = timed(run)
    return timing.seconds, rows


def score_import(args) -> dict:
    """The 50-district score workbook: one year, then all seven, then the peer on one year."""
    from django.contrib.auth import get_user_model

    from assessments.models import FiscalYear
    from assessments.score_sheets import score_export
    from bench.datagen import YEARS

    user = get_user_model().objects.get(username=CENTRAL)
    units = _districts()
    years = {fy.year: fy for fy in FiscalYear.objects.filter(year__in=YEARS)}
    files = {year: score_export(fy, units) for year, fy in years.items()}
    one_year = [(years[IMPORT_YEAR], files[IMPORT_YEAR])]
    result = {
        "units": len(units),
        "one_year": _import_figures(one_year, units=units, user=user, reps=args.reps),
    }
    if not os.environ.get("BENCH_SMOKE"):
        all_years = [(years[y], files[y]) for y in sorted(files)]
        result["all_years"] = _import_figures(
            all_years, units=units, user=user, reps=max(1, min(args.reps, 3)), warm_up=False
        )
    peer_runs = []
    for _ in range(max(1, min(args.reps, 3))):
        _clear_scores(years[IMPORT_YEAR], units)
        peer_runs.append(_peer(files[IMPORT_YEAR], limit=args.peer_rows))
    peer_seconds = median([s for s, _ in peer_runs])
    peer_rows = peer_runs[0][1]
    # the same question rows through the portal, for a like-for-like ratio
    _clear_scores(years[IMPORT_YEAR], units)
    result["peer"] = {
        "rows": peer_rows,
        "runs": len(peer_runs),
        "seconds": peer_seconds,
        "rows_per_second": peer_rows / peer_seconds,
        "limited": bool(args.peer_rows),
    }
    _ours(files[IMPORT_YEAR], units=units, fiscal_year=years[IMPORT_YEAR], user=user)
    result["speedup_over_peer"] = (
        result["one_year"]["rows_per_second"] / result["peer"]["rows_per_second"]
    )
    return result


# --- d: HTTP ----------------------------------------------------------------------------------


def _session_cookie() -> str:
    return _central_client().cookies[settings.SESSION_COOKIE_NAME].value


def http(args) -> dict:
    """gunicorn with 2 workers against the public unit page and the BMA overview."""
    import sys

    from bench.load import Gunicorn, run_load, wrk_load
    from ita_portal.dashboards import default_year

    cookie = _session_cookie()
    year = default_year()
    targets = [
        ("public_unit_year", f"/{DASHBOARD_UNIT}/{DASHBOARD_YEAR}/", {}),
        (
            "overview",
            f"/dashboards/overview/?year={year}",
            {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"},
        ),
    ]
    results = {}
    log_dir = Path(settings.VAR_DIR if hasattr(settings, "VAR_DIR") else "var") / "logs"
    with Gunicorn(env=dict(os.environ), log_dir=log_dir, python=sys.executable) as server:
        for name, path, headers in targets:
            run_load(server.port, path, seconds=2, connections=2, headers=headers)  # warm-up
            if args.tool == "wrk":
                results[name] = wrk_load(
                    server.port,
                    path,
                    seconds=args.seconds,
                    connections=args.connections,
                    headers=headers,
                )
            else:
                results[name] = run_load(
                    server.port,
                    path,
                    seconds=args.seconds,
                    connections=args.connections,
                    headers=headers,
                ).summary()
    return {"scale": args.scale, "workers": 2, "connections": args.connections, "http": results}


def soak_plan(args) -> dict:
    """What bench.soak asks for: a central-team session and the paths of each kind of traffic."""
    from assessments.models import Assessment
    from bench.datagen import YEARS
    from measures.models import Memo

    published = list(
        Assessment.objects.published()
        .filter(unit__kind="district")
        .values_list("unit__code", "fiscal_year__year")
        .order_by("unit__order", "fiscal_year__year")
    )
    codes = sorted({code for code, _ in published})
    memos = [m.pk for m in _seed_memos()] + list(
        Memo.objects.filter(status=Memo.Status.PUBLISHED)
        .order_by("pk")
        .values_list("pk", flat=True)[:5]
    )
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "cookie": _session_cookie(),
        "weights": {"public": 55, "opendata": 10, "dashboard": 25, "pdf": 10},
        "paths": {
            "public": ["/"]
            + [f"/{code}/" for code in codes]
            + [f"/{code}/{year}/" for code, year in published],
            "opendata": ["/opendata/"]
            + [f"/opendata/{year}.{fmt}" for year in YEARS for fmt in ("csv", "json")]
            + [f"/opendata/units/{code}.csv" for code in codes[:10]],
            "dashboard": [f"/dashboards/overview/?year={year}" for year in YEARS]
            + [f"/dashboards/units/{code}/{year}/" for code, year in published[::17]]
            + ["/dashboards/measures/"],
            "pdf": [f"/memos/{pk}.pdf" for pk in memos],
        },
        "import": [DASHBOARD_UNIT, IMPORT_YEAR],
    }


# --- f: the bulk memo pack -------------------------------------------------------------------

PACK_YEAR = 2566  # bench.datagen gives every unit one results memo a year
SMOKE_PACK = ("measures_plan", 2567)  # the smoke run packs the one seed memo of that kind


def memo_pack(args) -> dict:
    """The bulk pack of every unit's results memo of PACK_YEAR (the task's body, as the worker
    runs it), against WeasyPrint alone rendering each memo's final HTML: time per memo."""
    from django.template.loader import render_to_string

    from assessments.models import FiscalYear
    from ita_portal.memo_document import memo_document_context
    from ita_portal.memo_pack import build_pack, pack_memos
    from ita_portal.models import MemoPack
    from ita_portal.pdf import render_html_to_pdf

    kind, year = SMOKE_PACK if os.environ.get("BENCH_SMOKE") else ("results", PACK_YEAR)
    pack = MemoPack.objects.create(kind=kind, fiscal_year=FiscalYear.objects.get(year=year))
    memos = list(pack_memos(pack))
    render_html_to_pdf(
        render_to_string("memos/memo_document.html", memo_document_context(memos[0]))
    )  # warm-up: fonts, CSS and WeasyPrint's import
    gc.collect()
    timing, built = timed(lambda: build_pack(pack), connection=connection)
    floors = []
    for memo in memos:
        html = render_to_string("memos/memo_document.html", memo_document_context(memo))
        gc.collect()
        floors.append(timed(lambda h=html: render_html_to_pdf(h))[0].seconds)
    floor = sum(floors)
    return {
        "kind": kind,
        "year": year,
        "units": built.units_total,
        "memos": built.memos_done,
        "errors": len(built.errors),
        "zip_bytes": built.file.size,
        "seconds": timing.seconds,
        "queries": timing.queries,
        "sql_seconds": timing.sql_seconds,
        "floor_seconds": floor,
        "per_memo": timing.seconds / len(memos),
        "floor_per_memo": floor / len(memos),
        "ratio": timing.seconds / floor,
    }


PARTS = {
    "setup": setup,
    "pack": memo_pack,
    "pages": pages,
    "pdf": pdf,
    "import": score_import,
    "http": http,
    "soak-plan": soak_plan,
}


def run(args) -> dict:
    """Run the part ``args.part`` (bounded by its loops; the orchestrator also times it out)."""
    return PARTS[args.part](args)
