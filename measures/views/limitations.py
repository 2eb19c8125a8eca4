"""Constraints (ข้อจำกัด) of a unit in a fiscal year, as in seed 002 section 4."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.access import can_edit_unit, get_unit_year_for_user
from assessments.submissions import create_once
from measures.access import get_for_user
from measures.forms import LimitationForm
from measures.models import Limitation

LIMITATIONS = Limitation.objects.select_related("unit", "fiscal_year")


@login_required
def limitation_list(request, code: str, year: int):
    """The unit's constraints of the fiscal year."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    return render(
        request,
        "measures/limitation_list.html",
        {
            "unit": unit,
            "fiscal_year": fiscal_year,
            "limitations": list(Limitation.objects.filter(unit=unit, fiscal_year=fiscal_year)),
            "can_edit": can_edit_unit(request.user, unit),
        },
    )


@login_required
def limitation_create(request, code: str, year: int):
    """Add a constraint."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    next_order = Limitation.objects.filter(unit=unit, fiscal_year=fiscal_year).count() + 1
    form = LimitationForm(
        request.POST or None,
        instance=Limitation(unit=unit, fiscal_year=fiscal_year),
        initial={"order": next_order},
    )
    if request.method == "POST":
        created = create_once(
            request,
            lambda: form.save() if form.is_valid() else None,
            url_of=lambda limitation: reverse(
                "measures:limitation-list", kwargs={"code": unit.code, "year": fiscal_year.year}
            ),
            done="เพิ่มข้อจำกัดแล้ว",
        )
        if created is not None:
            return created
    return render(
        request,
        "measures/limitation_form.html",
        {"form": form, "unit": unit, "fiscal_year": fiscal_year, "limitation": None},
    )


@login_required
def limitation_edit(request, pk: int):
    """Edit a constraint."""
    limitation = get_for_user(request, LIMITATIONS, pk, write=True)
    form = LimitationForm(request.POST or None, instance=limitation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "บันทึกการแก้ไขข้อจำกัดแล้ว")
        return redirect(
            "measures:limitation-list", code=limitation.unit.code, year=limitation.fiscal_year.year
        )
    return render(
        request,
        "measures/limitation_form.html",
        {
            "form": form,
            "unit": limitation.unit,
            "fiscal_year": limitation.fiscal_year,
            "limitation": limitation,
        },
    )


@login_required
@require_POST
def limitation_delete(request, pk: int):
    """Delete a constraint."""
    limitation = get_for_user(request, LIMITATIONS, pk, write=True)
    unit_code, year = limitation.unit.code, limitation.fiscal_year.year
    limitation.delete()
    messages.success(request, "ลบข้อจำกัดแล้ว")
    return redirect("measures:limitation-list", code=unit_code, year=year)
