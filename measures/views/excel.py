"""A unit's measures plan in and out of Excel (seed 004's columns), and weaknesses out.

The plan import follows the score import: upload → stored file and dry run → confirm (all or
nothing) or cancel, scoped to one unit and fiscal year the user may edit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.access import get_assessment_for_user, get_unit_year_for_user
from measures.plan_sheets import (
    import_plan_workbook,
    plan_export,
    plan_export_csv,
    weaknesses_export,
    weaknesses_export_csv,
)
from portal_core.excel import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    ExcelUploadForm,
    PendingImport,
    file_response,
)

KIND = "plan"


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


@login_required
def plan_import(request, code: str, year: int):
    """Upload a measures plan of the unit's year; the next page shows the dry run."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = PendingImport.store(
            request,
            data=form.cleaned_data["content"],
            filename=form.cleaned_data["file"].name,
            kind=KIND,
            scope={"unit": unit.code, "year": year},
        )
        messages.info(request, "ตรวจสอบไฟล์แล้ว กรุณาตรวจผลก่อนยืนยันการนำเข้า")
        return redirect("measures:plan-import-preview", token=pending.token)
    return render(
        request,
        "measures/excel_plan_import.html",
        {"form": form, "unit": unit, "fiscal_year": fiscal_year},
    )


def _pending(request, token: str):
    pending = PendingImport.load(request, token, kind=KIND)
    unit, fiscal_year = get_unit_year_for_user(
        request, pending.scope["unit"], pending.scope["year"], write=True
    )
    return pending, unit, fiscal_year


@login_required
def plan_import_preview(request, token: str):
    """The dry run of a stored plan: every row's outcome and every error, then confirm."""
    pending, unit, fiscal_year = _pending(request, token)
    report = import_plan_workbook(
        pending.read(), unit=unit, fiscal_year=fiscal_year, user=request.user, dry_run=True
    )
    return render(
        request,
        "assessments/excel_preview.html",
        {
            "title": "ตรวจสอบการนำเข้าแผนมาตรการ",
            "pending": pending,
            "report": report,
            "unit": unit,
            "fiscal_year": fiscal_year,
            "confirm_url": reverse("measures:plan-import-confirm", kwargs={"token": token}),
            "cancel_url": reverse("measures:plan-import-cancel", kwargs={"token": token}),
            "back_url": reverse("measures:plan-import", args=[unit.code, fiscal_year.year]),
        },
    )


@login_required
@require_POST
def plan_import_confirm(request, token: str):
    """Import the stored plan, all or nothing; then open the unit's measures of the year."""
    pending, unit, fiscal_year = _pending(request, token)
    report = import_plan_workbook(
        pending.read(), unit=unit, fiscal_year=fiscal_year, user=request.user, dry_run=False
    )
    if not report.ok:
        messages.error(request, "นำเข้าไม่สำเร็จ ไม่มีข้อมูลใดถูกบันทึก กรุณาแก้ไขตามรายการด้านล่าง")
        return redirect("measures:plan-import-preview", token=token)
    pending.discard(request)
    counts = report.counts
    messages.success(
        request,
        f"นำเข้าแผนมาตรการแล้ว: เพิ่มใหม่ {counts['เพิ่มใหม่']} แก้ไข {counts['แก้ไข']} "
        f"ไม่เปลี่ยนแปลง {counts['ไม่เปลี่ยนแปลง']} มาตรการ",
    )
    return redirect("measures:measure-list", code=unit.code, year=fiscal_year.year)


@login_required
@require_POST
def plan_import_cancel(request, token: str):
    """Drop a stored plan without importing it."""
    pending, unit, fiscal_year = _pending(request, token)
    pending.discard(request)
    messages.info(request, "ยกเลิกการนำเข้าแล้ว ไม่มีข้อมูลใดถูกบันทึก")
    return redirect("measures:plan-import", code=unit.code, year=fiscal_year.year)
