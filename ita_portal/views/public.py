"""The public disclosure site (no login): every unit's published results, memos and measures.

Only published assessments and published memos ever appear; an unpublished year is a 404. Each
view is a pure function of the database, so its response is cached for anonymous visitors until
the next publication change (ita_portal.cache).
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from assessments import results
from assessments.models import Assessment, FiscalYear, OrgUnit
from ita_portal import charts, dashboards
from ita_portal.cache import public_page
from measures import queries
from measures.models import Memo

PUBLIC_KINDS = dashboards.DASHBOARD_KINDS


def _public_unit(code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.filter(kind__in=PUBLIC_KINDS), code=code)


@public_page
def home(request):
    """The landing page: every unit and its latest published result, searchable by name."""
    query = request.GET.get("q", "").strip()
    latest = (
        Assessment.objects.published().filter(unit=OuterRef("pk")).order_by("-fiscal_year__year")
    )
    units = (
        OrgUnit.objects.filter(kind__in=PUBLIC_KINDS)
        .annotate(
            latest_year=Subquery(latest.values("fiscal_year__year")[:1]),
            latest_score=Subquery(latest.values("official_score")[:1]),
            latest_level=Subquery(latest.values("official_level")[:1]),
            latest_pass_mark=Subquery(latest.values("fiscal_year__framework__pass_mark")[:1]),
            published_years=Count("assessments", filter=Q(assessments__published_at__isnull=False)),
        )
        .order_by("order", "name")
    )
    if query:
        units = units.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    units = list(units)
    context = {
        "query": query,
        "bma": [u for u in units if u.kind == OrgUnit.Kind.BMA],
        "districts": [u for u in units if u.kind == OrgUnit.Kind.DISTRICT],
        "agencies": [u for u in units if u.kind == OrgUnit.Kind.AGENCY],
    }
    return render(request, "portal/home.html", context)


@public_page
def unit_page(request, code: str):
    """A unit's published results, one line per fiscal year, with the trend and its memos."""
    unit = _public_unit(code)
    published = Assessment.objects.published()
    rows = results.result_rows(published.filter(unit=unit), previous_from=published)
    scored = [(row.year, row.overall) for row in rows if row.overall is not None]
    memos = (
        Memo.objects.published()
        .filter(unit=unit)
        .select_related("unit", "fiscal_year")
        .order_by("-fiscal_year__year", "created_at", "pk")
    )
    context = {
        "unit": unit,
        "rows": rows,
        "memos": list(memos),
        "trend_svg": charts.trend_chart_svg({unit.display_name: scored}) if scored else "",
    }
    return render(request, "portal/public_unit.html", context)


@public_page
def unit_year_page(request, code: str, year: int):
    """A unit's public disclosure for one fiscal year: result, chart, memos and measures."""
    unit = _public_unit(code)
    fiscal_year = get_object_or_404(
        FiscalYear.objects.select_related("framework", "district_framework"), year=year
    )
    result = results.unit_year(unit, fiscal_year, published_only=True)
    if result.current is None:
        raise Http404("ไม่พบผลการประเมินที่เผยแพร่")
    memos = queries.memos_of(unit, fiscal_year, memos=Memo.objects.published())
    target = result.target.score
    context = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "framework": result.framework,
        "result": result,
        "target": target,
        "target_note": result.target.note,
        "follow_up": fiscal_year.follow_up,
        "memos": list(memos),
        "measures": queries.public_measures(unit, fiscal_year),
        "indicator_svg": charts.indicator_chart_svg(result.chart_rows(), target=target),
    }
    return render(request, "portal/public_unit_year.html", context)
