"""Dashboards for directors, executives and the central team.

The BMA overview is for the central team and BMA executives (others get 403); a unit's dashboard
is for its members and those above it (others get 404); the measures tracker shows every user the
units they may see.
"""

from collections.abc import Callable

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from assessments import results
from assessments.models import FiscalYear, OrgUnit
from ita_portal import charts, dashboards
from measures import queries
from measures.disclosure import bma_readiness
from measures.models import Measure
from measures.models.measure import ALL_DIVISIONS
from portal_core import excel

KIND_CHOICES = [
    ("", "ทุกประเภท"),
    (OrgUnit.Kind.DISTRICT, "สำนักงานเขต"),
    (OrgUnit.Kind.AGENCY, "ส่วนราชการ/หน่วยงานอื่น"),
]
TOOL_CHOICES = [("", "ทุกเครื่องมือ")] + [(code, code) for code in results.TOOL_CODES]
INDICATOR_CHOICES = [("", "ทุกตัวชี้วัด")] + [(str(n), f"ตัวชี้วัดที่ {n}") for n in results.INDICATOR_NUMBERS]


class OverviewFilters(forms.Form):
    """The overview's filters and sort order, all optional; bad values fall back to defaults."""

    year = forms.TypedChoiceField(label="ปีงบประมาณ", coerce=int, required=False)
    kind = forms.ChoiceField(label="ประเภทหน่วยงาน", choices=KIND_CHOICES, required=False)
    tool = forms.ChoiceField(label="เครื่องมือ", choices=TOOL_CHOICES, required=False)
    indicator = forms.TypedChoiceField(
        label="ตัวชี้วัด", choices=INDICATOR_CHOICES, coerce=int, required=False, empty_value=None
    )
    sort = forms.ChoiceField(
        label="เรียงตาม", choices=[(k, k) for k in results.SORT_KEYS], required=False
    )
    dir = forms.ChoiceField(
        label="ลำดับ", choices=[("desc", "มากไปน้อย"), ("asc", "น้อยไปมาก")], required=False
    )
    page = forms.IntegerField(label="หน้า", min_value=1, required=False)

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [(y, f"พ.ศ. {y}") for y in years]

    def values(self, default_year: Callable[[], int | None]) -> dict:
        """The cleaned filters, with defaults for anything missing or invalid (the default year
        is looked up only when no valid year was asked for)."""
        self.is_valid()  # a field that fails validation drops out of cleaned_data
        cleaned = self.cleaned_data
        year = cleaned.get("year") or default_year()
        # The year select must show the year whose data is on screen, also when it was defaulted.
        self.data = self.data.copy()
        self.data["year"] = year
        return {
            "year": year,
            "kind": cleaned.get("kind") or None,
            "tool": cleaned.get("tool") or None,
            "indicator": cleaned.get("indicator"),
            "sort": cleaned.get("sort") or "rank",
            "descending": cleaned.get("dir") != "asc",
            "page": cleaned.get("page") or 1,
        }


def _require_all_units(user) -> None:
    if not dashboards.can_see_all_units(user):
        raise PermissionDenied("เฉพาะทีม ITA ส่วนกลางและผู้บริหารกรุงเทพมหานคร")


@login_required
def index(request):
    """Send each user to the dashboard that fits: the overview, their unit, or a list of units."""
    if dashboards.can_see_all_units(request.user):
        return redirect("dashboards:overview")
    units = list(dashboards.dashboard_units(request.user))
    year = dashboards.default_year()
    if len(units) == 1 and year is not None:
        return redirect("dashboards:unit", code=units[0].code, year=year)
    return render(request, "portal/dashboard_index.html", {"units": units, "year": year})


@login_required
def overview(request):
    """Every assessed unit × the ten indicators for one fiscal year, ranked, with the BMA trend."""
    _require_all_units(request.user)
    fiscal_years = {
        fy.year: fy
        for fy in FiscalYear.objects.select_related("framework", "district_framework").order_by(
            "-year"
        )
    }
    form = OverviewFilters(request.GET, years=list(fiscal_years))
    chosen = form.values(dashboards.default_year)
    fiscal_year = fiscal_years.get(chosen["year"])
    if fiscal_year is None:
        raise Http404("ไม่มีปีงบประมาณนี้")
    data = results.bma_overview(
        fiscal_year,
        kind=chosen["kind"],
        tool=chosen["tool"],
        sort=chosen["sort"],
        descending=chosen["descending"],
    )
    target = fiscal_year.framework.pass_mark
    columns = dashboards.overview_columns(
        data.indicators, tool=chosen["tool"], indicator=chosen["indicator"]
    )
    trend_svg = charts.trend_chart_svg(
        {
            "กรุงเทพมหานคร": [(p.year, p.bma) for p in data.trend],
            "ค่าเฉลี่ยสำนักงานเขต": [(p.year, p.district_average) for p in data.trend],
        },
        target=target,
    )
    # Pages of OVERVIEW_PAGE_SIZE units: every BMA unit fits on the first; ranks stay overall.
    page = Paginator(data.rows, dashboards.OVERVIEW_PAGE_SIZE, orphans=10).get_page(chosen["page"])
    next_dir = {
        key: "asc" if key == chosen["sort"] and chosen["descending"] else "desc"
        for key in results.SORT_KEYS
    }
    context = {
        "form": form,
        "chosen": chosen,
        "next_dir": next_dir,
        "sortable_columns": [(column, next_dir[column.key]) for column in columns],
        "data": data,
        "target": target,
        "page": page,
        "rows": [(row, dashboards.row_values(row, columns)) for row in page],
        "bma_values": dashboards.row_values(data.bma, columns) if data.bma else [],
        "trend_svg": trend_svg,
    }
    return render(request, "portal/overview.html", context)


@login_required
def unit_dashboard(request, code: str, year: int):
    """One unit in one fiscal year: where it stands, what is late and where its memos are."""
    unit = get_object_or_404(dashboards.dashboard_units(request.user), code=code)
    fiscal_year = get_object_or_404(
        FiscalYear.objects.select_related("framework", "district_framework"), year=year
    )
    data = dashboards.unit_dashboard(unit, fiscal_year, timezone.localdate())
    target = data.result.target.score
    context = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "framework": data.result.framework,
        "data": data,
        "target": target,
        "target_note": data.result.target.note,
        "indicator_svg": charts.indicator_chart_svg(data.result.chart_rows(), target=target)
        if data.result.current
        else "",
        "trend_svg": charts.trend_chart_svg({unit.display_name: data.trend}, target=target)
        if data.trend
        else "",
    }
    return render(request, "portal/unit_dashboard.html", context)


class TrackerFilters(forms.Form):
    """The tracker's filters; a bad value falls back to its default."""

    year = forms.TypedChoiceField(label="ปีงบประมาณ", coerce=int, required=False, empty_value=None)
    unit = forms.ChoiceField(label="หน่วยงาน", required=False)
    division = forms.ChoiceField(label="ฝ่ายที่รับผิดชอบ", required=False)
    status = forms.ChoiceField(
        label="สถานะ",
        required=False,
        choices=[("open", "ยังไม่แล้วเสร็จ"), *Measure.Status.choices, ("all", "ทุกสถานะ")],
    )
    due = forms.ChoiceField(
        label="กำหนดเสร็จ",
        required=False,
        choices=[
            ("attention", f"เกินกำหนดหรือครบกำหนดภายใน {queries.DUE_SOON_DAYS} วัน"),
            ("overdue", "เฉพาะที่เกินกำหนด"),
            ("all", "ทุกกำหนดเวลา"),
        ],
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["year"].choices = [("", "ทุกปี")] + [
            (year, f"พ.ศ. {year}")
            for year in FiscalYear.objects.order_by("-year").values_list("year", flat=True)
        ]
        units = dashboards.dashboard_units(user).order_by("order", "name")
        self.fields["unit"].choices = [("", "ทุกหน่วยงาน")] + [
            (unit.code, unit.display_name) for unit in units.only("code", "name", "short_name")
        ]
        names = (
            OrgUnit.objects.visible_to(user)
            .filter(kind=OrgUnit.Kind.DIVISION)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        self.fields["division"].choices = [
            ("", "ทุกฝ่าย (ไม่กรอง)"),
            (ALL_DIVISIONS, "มาตรการที่ทุกฝ่ายรับผิดชอบร่วมกัน"),
        ] + [(name, name) for name in names]

    def query(self) -> queries.TrackerQuery:
        """The cleaned filters as a tracker query."""
        self.is_valid()  # a field that fails validation drops out of cleaned_data
        cleaned = self.cleaned_data
        return queries.TrackerQuery(
            year=cleaned.get("year"),
            unit=cleaned.get("unit") or None,
            division=cleaned.get("division") or None,
            status=cleaned.get("status") or "open",
            due=cleaned.get("due") or "attention",
        )


def _tracker(request):
    form = TrackerFilters(request.GET, user=request.user)
    today = timezone.localdate()
    return form, today, queries.tracked_measures(request.user, today, form.query())


@login_required
def measures_tracker(request):
    """The measures of the user's units that need attention (or as filtered), one row each,
    grouped by fiscal year; the central team and BMA executives see every unit."""
    form, today, years = _tracker(request)
    context = {
        "form": form,
        "years": years,
        "today": today,
        "due_soon_days": queries.DUE_SOON_DAYS,
        "total": sum(len(group.items) for group in years),
        "overdue": sum(group.overdue for group in years),
        "due_soon": sum(group.due_soon for group in years),
        "all_units": dashboards.can_see_all_units(request.user),
        "query_string": request.GET.urlencode(),
    }
    return render(request, "portal/measures_tracker.html", context)


@login_required
def measures_tracker_export(request):
    """The tracker's rows, as filtered, as an Excel workbook."""
    _form, today, years = _tracker(request)
    content = excel.workbook_bytes([dashboards.tracker_sheet(years)])
    return excel.file_response(
        content, f"measures-tracker-{today.isoformat()}.xlsx", excel.XLSX_CONTENT_TYPE
    )


@login_required
def disclosure_current(request):
    """The BMA's OIT readiness page of the current fiscal year."""
    _require_all_units(request.user)
    return redirect("dashboards:disclosure", year=FiscalYear.year_of(timezone.localdate()))


@login_required
def disclosure_overview(request, year: int):
    """Every assessed unit's OIT disclosure readiness for the year, lowest first."""
    _require_all_units(request.user)
    fiscal_year = get_object_or_404(
        FiscalYear.objects.select_related("framework", "district_framework"), year=year
    )
    units = list(OrgUnit.objects.agencies().only("code", "name", "short_name", "kind"))
    rows = bma_readiness(fiscal_year, units)
    return render(
        request,
        "portal/disclosure_overview.html",
        {
            "fiscal_year": fiscal_year,
            "rows": rows,
            "years": list(FiscalYear.objects.order_by("-year").values_list("year", flat=True)),
            "ready": sum(1 for r in rows if r.today.total and r.today.disclosed == r.today.total),
        },
    )
