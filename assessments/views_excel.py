"""Score workbooks in and out: template, export, and the import's dry run and confirmation.

Unit staff work on their own unit's year (units/<code>/<year>/scores/…): a file that names another
unit is refused row by row. The central ITA team also has pages for every unit of a year
(scores/<year>/…). An upload is checked, stored (portal_core.excel.PendingImport) and shown as a
dry run; only the confirmation writes, all or nothing, from the stored file (the pages are
portal_core.import_views', this module only says what a score import is: SCORES).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse

from assessments.access import get_fiscal_year, get_unit_year_for_user, is_central
from assessments.models import Assessment, OrgUnit
from assessments.score_sheets import (
    score_export,
    score_export_csv,
    score_template,
    score_workbook,
)
from portal_core import import_views
from portal_core.excel import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, file_response
from portal_core.import_views import ImportKind, ImportTarget


def _central_units(request) -> list[OrgUnit]:
    """Every assessed unit, for the central ITA team only (403 for anyone else)."""
    if not is_central(request.user):
        raise PermissionDenied("เฉพาะทีม ITA ส่วนกลาง")
    return list(OrgUnit.objects.editable_by(request.user).exclude(kind=OrgUnit.Kind.DIVISION))


def _scope(request, scope: dict, *, write: bool):
    """(units, fiscal year, unit or None) of a stored scope, checked again for this user."""
    if scope["unit"]:
        unit, fiscal_year = get_unit_year_for_user(
            request, scope["unit"], scope["year"], write=write
        )
        return [unit], fiscal_year, unit
    return _central_units(request), get_fiscal_year(scope["year"]), None


def _import_url(scope: dict) -> str:
    if scope["unit"]:
        kwargs = {"code": scope["unit"], "year": scope["year"]}
        return reverse("assessments:scores-import", kwargs=kwargs)
    return reverse("assessments:scores-import-all", kwargs={"year": scope["year"]})


def _export(request, units: list[OrgUnit], fiscal_year, name: str) -> HttpResponse:
    if request.GET.get("format") == "csv":
        questions = request.GET.get("sheet") == "questions"
        content = score_export_csv(fiscal_year, units, questions=questions)
        sheet = "questions" if questions else "indicators"
        return file_response(content, f"{name}-{sheet}.csv", CSV_CONTENT_TYPE)
    return file_response(score_export(fiscal_year, units), f"{name}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def scores_template(request, code: str, year: int):
    """The empty score workbook of the unit's year, listing every item of its framework."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    content = score_template(fiscal_year, [unit])
    return file_response(content, f"ita-{year}-{unit.code}-template.xlsx", XLSX_CONTENT_TYPE)


@login_required
def scores_template_all(request, year: int):
    """The empty score workbook of a year for every assessed unit (central team)."""
    units = _central_units(request)
    content = score_template(get_fiscal_year(year), units)
    return file_response(content, f"ita-{year}-all-template.xlsx", XLSX_CONTENT_TYPE)


@login_required
def scores_export(request, code: str, year: int):
    """The unit's scores of the year (.xlsx; ?format=csv&sheet=questions for one CSV sheet)."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    return _export(request, [unit], fiscal_year, f"ita-{year}-{unit.code}-scores")


@login_required
def scores_export_all(request, year: int):
    """Every unit's scores of the year (central team)."""
    units = _central_units(request)
    return _export(request, units, get_fiscal_year(year), f"ita-{year}-all-scores")


def _target(request, scope: dict) -> ImportTarget:
    """The units and year a score upload may write, checked again for this user."""
    units, fiscal_year, unit = _scope(request, scope, write=True)
    scope = {"unit": unit.code if unit else None, "year": fiscal_year.year}

    def done_url() -> str:
        assessment = Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
        if unit is not None and assessment is not None:
            return reverse("assessments:score-entry", kwargs={"pk": assessment.pk})
        return _import_url(scope)

    return ImportTarget(
        scope=scope,
        unit=unit,
        fiscal_year=fiscal_year,
        spec=score_workbook(units=units, fiscal_year=fiscal_year),
        upload_url=_import_url(scope),
        done_url=done_url,
    )


SCORES = ImportKind(
    name="scores",
    url_name="assessments:scores-import",
    what="คะแนน",
    counted="รายการ",
    help_template="assessments/_score_import_help.html",
    target=_target,
)


@login_required
def scores_import(request, code: str, year: int):
    """Upload the unit's score workbook of the year; the next page shows the dry run."""
    return import_views.upload(request, SCORES, {"unit": code, "year": year})


@login_required
def scores_import_all(request, year: int):
    """Upload one workbook of a year for every unit (central team)."""
    return import_views.upload(request, SCORES, {"unit": None, "year": year})
