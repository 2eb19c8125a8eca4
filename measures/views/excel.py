"""A unit's measures plan in and out of Excel (seed 004's columns), and an assessment's weaknesses.

Both imports are portal_core.import_views' pages (upload → stored file and dry run → confirm,
all or nothing, or cancel): the plan scoped to one unit and fiscal year the user may edit, the
weaknesses to one assessment of a unit the user may edit (its analysis texts, by รหัสจุดอ่อน).
"""

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from assessments.access import get_assessment_for_user, get_unit_year_for_user
from measures.plan_sheets import (
    plan_export,
    plan_export_csv,
    plan_workbook,
    weakness_workbook,
    weaknesses_export,
    weaknesses_export_csv,
)
from portal_core import import_views
from portal_core.excel import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, file_response
from portal_core.import_views import ImportKind, ImportTarget


@login_required
def plan_export_view(request, code: str, year: int):
    """The unit's measures plan of the year (.xlsx, or ?format=csv); empty, it is the template."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    name = f"ita-{year}-{unit.code}-measures"
    if request.GET.get("format") == "csv":
        return file_response(plan_export_csv(unit, fiscal_year), f"{name}.csv", CSV_CONTENT_TYPE)
    return file_response(plan_export(unit, fiscal_year), f"{name}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def weaknesses_export_view(request, pk: int):
    """An assessment's weaknesses (.xlsx, or ?format=csv)."""
    assessment = get_assessment_for_user(request, pk)
    name = f"ita-{assessment.fiscal_year.year}-{assessment.unit.code}-weaknesses"
    if request.GET.get("format") == "csv":
        return file_response(weaknesses_export_csv(assessment), f"{name}.csv", CSV_CONTENT_TYPE)
    return file_response(weaknesses_export(assessment), f"{name}.xlsx", XLSX_CONTENT_TYPE)


def _plan_target(request, scope: dict) -> ImportTarget:
    """The unit's plan of the year, if this user may edit the unit."""
    unit, fiscal_year = get_unit_year_for_user(request, scope["unit"], scope["year"], write=True)
    return ImportTarget(
        scope={"unit": unit.code, "year": fiscal_year.year},
        unit=unit,
        fiscal_year=fiscal_year,
        spec=plan_workbook(unit=unit, fiscal_year=fiscal_year),
        upload_url=reverse("measures:plan-import", args=[unit.code, fiscal_year.year]),
        done_url=lambda: reverse("measures:measure-list", args=[unit.code, fiscal_year.year]),
    )


PLAN = ImportKind(
    name="plan",
    url_name="measures:plan-import",
    what="แผนมาตรการ",
    counted="มาตรการ",
    help_template="measures/_plan_import_help.html",
    target=_plan_target,
    work_year=True,
)


def _weaknesses_target(request, scope: dict) -> ImportTarget:
    """The assessment's weaknesses, if this user may edit its unit."""
    assessment = get_assessment_for_user(request, scope["assessment"], write=True)
    register = reverse("measures:weakness-list", kwargs={"pk": assessment.pk})
    return ImportTarget(
        scope={"assessment": assessment.pk},
        unit=assessment.unit,
        fiscal_year=assessment.fiscal_year,
        spec=weakness_workbook(assessment=assessment),
        upload_url=reverse("measures:weaknesses-import", kwargs={"pk": assessment.pk}),
        done_url=lambda: register,
        context={"assessment": assessment},
    )


WEAKNESSES = ImportKind(
    name="weaknesses",
    url_name="measures:weaknesses-import",
    what="ทะเบียนจุดอ่อน",
    counted="จุดอ่อน",
    help_template="measures/_weakness_import_help.html",
    target=_weaknesses_target,
)


@login_required
def plan_import(request, code: str, year: int):
    """Upload a measures plan of the unit's year; the next page shows the dry run."""
    return import_views.upload(request, PLAN, {"unit": code, "year": year})


@login_required
def weaknesses_import(request, pk: int):
    """Upload an assessment's weaknesses (the export, edited); the next page shows the dry run."""
    return import_views.upload(request, WEAKNESSES, {"assessment": pk})
