"""Publishing a unit-year's results on the public site and withdrawing them, from the staff
unit-year page: a confirmation page, then one POST to assessments.publishing (which also retires
the cached public pages). Only the unit's director and the central team may (directs_unit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments.access import directs_unit, get_unit_year_for_user
from assessments.models import Assessment
from assessments.publishing import publish_assessment, unpublish_assessment

MOVES = {
    "publish": (publish_assessment, "เผยแพร่ผลการประเมิน", "ต่อสาธารณะแล้ว"),
    "unpublish": (unpublish_assessment, "ยกเลิกการเผยแพร่ผลการประเมิน", "แล้ว"),
}


def _assessment_to_publish(request, code: str, year: int) -> Assessment:
    """The unit-year's assessment if the user directs the unit (404 out of sight, else 403)."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    if not directs_unit(request.user, unit):
        raise PermissionDenied("เฉพาะผู้อำนวยการของหน่วยงานและทีม ITA ส่วนกลางที่เผยแพร่ผลการประเมินได้")
    assessment = (
        Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year)
        .select_related("unit", "fiscal_year")
        .first()
    )
    if assessment is None:
        raise Http404("ไม่พบผลการประเมิน")
    return assessment


def _publication_page(request, code: str, year: int, *, move: str):
    assessment = _assessment_to_publish(request, code, year)
    change, label, done = MOVES[move]
    if request.method == "POST":
        try:
            change(assessment, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{label}ปี {year} {done}")
        return redirect("staff:unit-year", code=code, year=year)
    return render(
        request,
        "portal/publication_confirm.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "fiscal_year": assessment.fiscal_year,
            "move": move,
            "label": label,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_publish(request, code: str, year: int):
    """Ask, then put the unit-year's results on the public pages and in open data."""
    return _publication_page(request, code, year, move="publish")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_unpublish(request, code: str, year: int):
    """Ask, then take the unit-year's results off the public pages and open data."""
    return _publication_page(request, code, year, move="unpublish")
