"""A unit's OIT disclosure checklist of a fiscal year: edit, link check, Excel export."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import can_edit_unit, get_unit_year_for_user
from assessments.models import OrgUnit
from measures.disclosure import StaleChecklist, check_links, checklist, links_of, save_checklist
from measures.disclosure_forms import checklist_forms
from measures.disclosure_sheet import checklist_sheet
from portal_core import excel


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_checklist(request, code: str, year: int):
    """Every OIT item of the year: addresses, division, status, last check, last year's remark;
    staff of the unit save all changed rows at once."""
    write = request.method == "POST"
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=write)
    data = checklist(unit, fiscal_year)
    divisions = list(OrgUnit.objects.divisions_of(unit).order_by("order", "name"))
    forms = checklist_forms(data.rows, divisions, request.POST if write else None)
    error = ""
    if write and all(form.is_valid() for form in forms):
        by_pk = {str(d.pk): d for d in divisions}
        changes = [form.change(by_pk) for form in forms if form.edited]
        try:
            saved = save_checklist(unit, fiscal_year, changes, request.user, timezone.now())
        except StaleChecklist as exc:
            error = str(exc)
        else:
            messages.success(request, f"บันทึกรายการเปิดเผยข้อมูลแล้ว {saved} ข้อ")
            return redirect("measures:disclosure", code=unit.code, year=fiscal_year.year)
    elif write:
        error = "บางข้อกรอกไม่ถูกต้อง ยังไม่ได้บันทึก กรุณาแก้ไขข้อที่แจ้งไว้"
    return render(
        request,
        "measures/disclosure_checklist.html",
        {
            "unit": unit,
            "fiscal_year": fiscal_year,
            "data": data,
            "rows": list(zip(data.rows, forms, strict=True)),
            "error": error,
            "can_edit": can_edit_unit(request.user, unit),
        },
    )


@login_required
@require_POST
def disclosure_check_links(request, code: str, year: int):
    """Request every address of the unit's checklist and record what each answered."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    run = check_links(
        links_of(fiscal_year, [unit]),
        timezone.now(),
        budget=settings.DISCLOSURE_CHECK_BUTTON_SECONDS,
    )
    if run.checked:
        bad = len(run.checked) - run.good
        messages.success(
            request, f"ตรวจลิงก์แล้ว {len(run.checked)} ลิงก์ เปิดได้ {run.good} ลิงก์ มีปัญหา {bad} ลิงก์"
        )
    if run.left:
        messages.warning(request, f"ยังไม่ได้ตรวจอีก {run.left} ลิงก์เพราะใช้เวลานาน กรุณากดตรวจลิงก์อีกครั้ง")
    elif not run.checked:
        messages.info(request, "ยังไม่มีที่อยู่เว็บให้ตรวจ")
    return redirect("measures:disclosure", code=unit.code, year=fiscal_year.year)


@login_required
def disclosure_export(request, code: str, year: int):
    """The unit's checklist as an Excel workbook."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    content = excel.workbook_bytes(checklist_sheet(checklist(unit, fiscal_year)))
    return excel.file_response(
        content, f"oit-{unit.code}-{fiscal_year.year}.xlsx", excel.XLSX_CONTENT_TYPE
    )
