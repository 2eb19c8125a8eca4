"""Staff navigation: the user's units → a unit's fiscal years → one unit-year's work."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments.access import (
    can_edit_unit,
    directs_unit,
    get_unit_for_user,
    get_unit_year_for_user,
    is_central,
    navigable_units,
)
from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.scoring import check_overall
from measures.access import visible_to
from measures.models import Limitation, Measure, Memo, ProgressUpdate, Weakness
from measures.queries import year_work

NAVIGABLE_KINDS = [
    (OrgUnit.Kind.BMA, OrgUnit.Kind.BMA.label),
    (OrgUnit.Kind.DISTRICT, OrgUnit.Kind.DISTRICT.label),
    (OrgUnit.Kind.AGENCY, OrgUnit.Kind.AGENCY.label),
]


@login_required
def staff_home(request):
    """Where staff land after login: their unit if they have one, else a searchable list."""
    units = navigable_units(request.user)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if not query and not kind:
        only = list(units[:2])
        if len(only) == 1:
            return redirect("staff:unit", code=only[0].code)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(short_name__icontains=query) | Q(code__icontains=query)
        )
    if kind in dict(NAVIGABLE_KINDS):
        units = units.filter(kind=kind)
    return render(
        request,
        "portal/staff_home.html",
        {
            "units": list(units.select_related("parent")),
            "query": query,
            "kind": kind,
            "kinds": NAVIGABLE_KINDS,
            "central_years": (
                list(FiscalYear.objects.order_by("-year").values_list("year", flat=True))
                if is_central(request.user)
                else []
            ),
        },
    )


@login_required
def unit_detail(request, code: str):
    """A unit's years of results, each with the measures of the next year that answer it.

    A row is a results year N: its score and level, and the measures of fiscal year N+1 (the
    work that answers it), not the measures done in year N itself.
    """
    unit = get_unit_for_user(request, code)
    if unit.kind == OrgUnit.Kind.DIVISION:
        return redirect("staff:unit", code=unit.parent.code)
    assessments = {
        a.fiscal_year_id: a
        for a in Assessment.objects.filter(unit=unit).select_related("fiscal_year")
    }
    measure_counts = dict(
        Measure.objects.counted()
        .filter(unit=unit)
        .values_list("fiscal_year__year")
        .annotate(n=Count("pk"))
        .values_list("fiscal_year__year", "n")
    )
    fiscal_years = list(
        FiscalYear.objects.select_related("framework", "district_framework").order_by("-year")
    )
    known = {fy.year for fy in fiscal_years}
    current = FiscalYear.year_of(timezone.localdate())
    years = []
    for fy in fiscal_years:
        answering = FiscalYear.answering_year(fy.year)
        years.append(
            {
                "fiscal_year": fy,
                "assessment": assessments.get(fy.pk),
                "answering_year": answering,
                "answering_open": answering in known,
                "measures": measure_counts.get(answering, 0),
                "current": answering == current,
            }
        )
    return render(
        request, "portal/staff_unit.html", {"unit": unit, "years": years, "current": current}
    )


@login_required
def unit_year(request, code: str, year: int):
    """One unit's results of year N and the work of year N+1 that answers them.

    The assessment and its weaknesses are those *of* year N; the measures, their progress, the
    constraints and the memos are those of fiscal year N+1, in which the unit answers them.
    """
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    assessment = (
        Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year)
        .select_related("fiscal_year__framework", "fiscal_year__district_framework")
        .prefetch_related("indicator_scores", "tool_scores")
        .first()
    )
    weakness_counts = dict(
        Weakness.objects.filter(assessment=assessment)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    answering = (
        FiscalYear.objects.filter(year=FiscalYear.answering_year(year))
        .select_related("framework", "district_framework")
        .first()
    )
    context = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "assessment": assessment,
        "check": check_overall(assessment) if assessment else None,
        "answered_year": FiscalYear.answered_year(year),
        "answered_open": FiscalYear.objects.filter(year=FiscalYear.answered_year(year)).exists(),
        "answering_year": FiscalYear.answering_year(year),
        "answering": answering,
        "weaknesses_proposed": weakness_counts.get(Weakness.Status.PROPOSED, 0),
        "weaknesses_confirmed": weakness_counts.get(Weakness.Status.CONFIRMED, 0),
        "can_edit": can_edit_unit(request.user, unit),
        "can_publish": directs_unit(request.user, unit),
    }
    if answering is not None:
        context.update(_work_of(request, unit, answering))
    return render(request, "portal/staff_unit_year.html", context)


RECENT_PROGRESS = 5


def _work_of(request, unit: OrgUnit, fiscal_year: FiscalYear) -> dict:
    """The measures, progress, constraints and memos of the unit in one (work) fiscal year."""
    work = year_work(unit, fiscal_year, timezone.localdate())
    measures = Measure.objects.live().filter(unit=unit, fiscal_year=fiscal_year)
    progress = ProgressUpdate.objects.filter(measure__in=measures)
    return {
        "measure_statuses": work.by_status,
        "measure_total": work.counted.total,
        "measure_overdue": work.counted.overdue,
        "measure_drafts": work.drafts,
        "measures_reported": work.reported,
        "recent_progress": list(
            progress.select_related("measure").order_by("-date", "-pk")[:RECENT_PROGRESS]
        ),
        "limitations": Limitation.objects.filter(unit=unit, fiscal_year=fiscal_year).count(),
        "memos": list(
            visible_to(Memo.objects.filter(unit=unit, fiscal_year=fiscal_year), request.user)
            .select_related("fiscal_year")
            .order_by("created_at", "pk")
        ),
    }
