"""The central ITA team's page of fiscal years: open the next year with a provisional copy of
the year before, clear its questions before an import, and confirm its framework.

Editing and importing use the admin's framework sheets (assessments.admin, with their dry run);
the page links to them, filtered to the year's framework. Everyone but the central team gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments.access import get_fiscal_year, is_central
from assessments.frameworks import clear_questions, confirm_framework, next_fiscal_year
from assessments.frameworks import open_fiscal_year as open_year
from assessments.models import FiscalYear

# The admin's framework sheets, in the order an import must follow (a question names its
# indicator, an indicator its tool).
FRAMEWORK_SHEETS = [
    ("framework", "เกณฑ์ (คะแนนผ่าน ค่าเป้าหมาย)", "q"),
    ("tool", "เครื่องมือและน้ำหนัก", "framework__id__exact"),
    ("indicator", "ตัวชี้วัดและน้ำหนัก", "framework__id__exact"),
    ("subindicator", "ตัวชี้วัดย่อย", "indicator__framework__id__exact"),
    ("question", "ข้อคำถาม", "framework__id__exact"),
    ("levelband", "ระดับผลการประเมิน", "framework__id__exact"),
]


def _central_only(request) -> None:
    if not is_central(request.user):
        raise Http404("ไม่พบหน้านี้")


@login_required
def fiscal_years(request):
    """Every fiscal year with its framework and state, and the button opening the next one."""
    _central_only(request)
    years = FiscalYear.objects.select_related("framework", "district_framework").order_by("-year")
    return render(
        request,
        "assessments/fiscal_years.html",
        {"years": years, "next_year": next_fiscal_year()},
    )


@login_required
def fiscal_year_detail(request, year: int):
    """One year's framework: what it holds, where to edit and import it, and its confirmation."""
    _central_only(request)
    fiscal_year = get_fiscal_year(year)
    framework = fiscal_year.framework
    sheets = [
        {
            "model": model,
            "label": label,
            "filter": f"{lookup}={framework.code if lookup == 'q' else framework.pk}",
        }
        for model, label, lookup in FRAMEWORK_SHEETS
    ]
    return render(
        request,
        "assessments/fiscal_year_detail.html",
        {
            "fiscal_year": fiscal_year,
            "framework": framework,
            "counts": {
                "tools": framework.tools.count(),
                "indicators": framework.indicators.count(),
                "questions": framework.questions.count(),
                "levels": framework.levels.count(),
            },
            "sheets": sheets,
            "shared_with": [fy.year for fy in framework.fiscal_years.exclude(pk=fiscal_year.pk)],
        },
    )


def _run(request, action, success: str) -> None:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)


@login_required
@require_POST
def fiscal_year_open(request):
    """Open the year after the latest with a provisional copy of the latest year's framework."""
    _central_only(request)
    year = next_fiscal_year()
    _run(request, lambda: open_year(year), f"เปิดปีงบประมาณ {year} แล้ว (เกณฑ์ฉบับชั่วคราว)")
    return redirect("assessments:fiscal-year", year=year)


def _on_framework(request, year: int, action, success: str):
    """Run ``action`` on the year's framework and go back to the year's page."""
    _central_only(request)
    framework = get_fiscal_year(year).framework
    _run(request, lambda: action(framework), success.format(name=framework.name))
    return redirect("assessments:fiscal-year", year=year)


@login_required
@require_POST
def framework_confirm(request, year: int):
    """Mark the year's framework confirmed."""
    return _on_framework(request, year, confirm_framework, "ยืนยัน{name}แล้ว")


@login_required
@require_POST
def framework_clear_questions(request, year: int):
    """Remove the copied questions of a provisional framework before importing the official list."""
    return _on_framework(
        request, year, clear_questions, "ล้างข้อคำถามและตัวชี้วัดย่อยแล้ว นำเข้ารายการของ ป.ป.ช. ได้"
    )
