"""Staff navigation: the user's units → a unit's fiscal years → one unit-year's work."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments.access import (
    can_edit_unit,
    get_unit_for_user,
    get_unit_year_for_user,
    is_central,
    navigable_units,
)
from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.scoring import check_overall
from measures.models import Limitation, Measure, Weakness

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
    """A unit's fiscal years, with what has been recorded in each."""
    unit = get_unit_for_user(request, code)
    if unit.kind == OrgUnit.Kind.DIVISION:
        return redirect("staff:unit", code=unit.parent.code)
    assessments = {
        a.fiscal_year_id: a
        for a in Assessment.objects.filter(unit=unit).select_related("fiscal_year")
    }
    measure_counts = dict(
        Measure.objects.filter(unit=unit)
        .values_list("fiscal_year_id")
        .annotate(n=Count("pk"))
        .values_list("fiscal_year_id", "n")
    )
    current = FiscalYear.year_of(timezone.localdate())
    years = [
        {
            "fiscal_year": fy,
            "assessment": assessments.get(fy.pk),
            "measures": measure_counts.get(fy.pk, 0),
            "current": fy.year == current,
        }
        for fy in FiscalYear.objects.order_by("-year")
    ]
    return render(request, "portal/staff_unit.html", {"unit": unit, "years": years})


@login_required
def unit_year(request, code: str, year: int):
    """One unit in one fiscal year: its assessment, weaknesses, measures, constraints, memos.

    The assessment shown is the one *of* this year (its results); the measures are the work done
    *in* this year, which answers the weaknesses of the year before.
    """
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    assessment = (
        Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year)
        .select_related("fiscal_year__framework")
        .prefetch_related("indicator_scores", "tool_scores")
        .first()
    )
    previous = (
        Assessment.objects.filter(unit=unit, fiscal_year__year=year - 1)
        .select_related("fiscal_year")
        .first()
    )
    weakness_counts = dict(
        Weakness.objects.filter(assessment=assessment)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    today = timezone.localdate()
    measures = Measure.objects.filter(unit=unit, fiscal_year=fiscal_year)
    status_counts = dict(
        measures.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    context = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "assessment": assessment,
        "check": check_overall(assessment) if assessment else None,
        "previous": previous,
        "weaknesses_proposed": weakness_counts.get(Weakness.Status.PROPOSED, 0),
        "weaknesses_confirmed": weakness_counts.get(Weakness.Status.CONFIRMED, 0),
        "measure_statuses": [
            (label, status_counts.get(value, 0)) for value, label in Measure.Status.choices
        ],
        "measure_total": sum(status_counts.values()),
        "measure_overdue": measures.overdue(today).count(),
        "measure_drafts": measures.filter(draft=True).count(),
        "limitations": Limitation.objects.filter(unit=unit, fiscal_year=fiscal_year).count(),
        "can_edit": can_edit_unit(request.user, unit),
    }
    return render(request, "portal/staff_unit_year.html", context)
