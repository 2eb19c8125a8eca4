"""หน้าแรกของฉัน: where login lands, laid out by role from ita_portal/landing.py."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from assessments.access import is_central
from ita_portal import landing


@login_required
def my_home(request):
    """The user's first page: their units' next steps, their approval inbox, or the readiness
    list; a BMA executive goes on to the BMA overview."""
    user = request.user
    if landing.lands_on_overview(user):
        return redirect("dashboards:overview")
    today = timezone.localdate()
    central = is_central(user)
    year = landing.results_year(today)
    context = {
        "today": today,
        "results_year": year,
        "work_year": year + 1,
        "due_days": landing.DUE_DAYS,
        "cycles": landing.staff_cycles(user, today),
        "inbox": landing.approval_inbox(user) if not central else [],
        "directed": landing.directed_units(user, today),
        "readiness": landing.readiness(year) if central else [],
    }
    return render(request, "portal/landing.html", context)


def _require_central(user) -> None:
    if not is_central(user):
        raise PermissionDenied("รายการความพร้อมเปิดให้เฉพาะทีม ITA ส่วนกลาง")


@login_required
def readiness(request, year: int):
    """The central team's readiness list of one results year."""
    _require_central(request.user)
    return render(
        request,
        "portal/readiness.html",
        {"year": year, "work_year": year + 1, "readiness": landing.readiness(year)},
    )


@login_required
def readiness_units(request, year: int, check: str):
    """The units failing one readiness check, each linked to its year page."""
    _require_central(request.user)
    unit_check = landing.unit_check(check)
    if unit_check is None:
        raise Http404("ไม่พบรายการตรวจความพร้อมนี้")
    units = list(unit_check.failing(landing.assessed_units(), year))
    return render(
        request,
        "portal/readiness_units.html",
        {"year": year, "work_year": year + 1, "check": unit_check, "units": units},
    )
