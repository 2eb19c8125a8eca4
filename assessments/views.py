"""Staff pages of the assessments app: create a unit's assessment and enter its scores."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments.access import can_edit_unit, get_assessment_for_user, get_unit_year_for_user
from assessments.forms import ScoreEntryForm
from assessments.frameworks import unit_target
from assessments.score_entry import create_assessment, save_scores, score_history
from assessments.scoring import check_overall, check_sub_indicators, level_for


@login_required
@require_POST
def assessment_create(request, code: str, year: int):
    """Open the score sheet of a unit-year, creating its (empty) assessment when missing."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    assessment = create_assessment(unit=unit, fiscal_year=fiscal_year, by=request.user)
    messages.success(request, f"เปิดแบบบันทึกผลการประเมินปีงบประมาณ พ.ศ. {year} แล้ว")
    return redirect("assessments:score-entry", pk=assessment.pk)


@login_required
def score_entry(request, pk: int):
    """All scores of one assessment on one page, saved in one transaction."""
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    can_edit = can_edit_unit(request.user, assessment.unit)
    form = ScoreEntryForm(request.POST or None, assessment=assessment, disabled=not can_edit)
    if request.method == "POST" and form.is_valid():
        try:
            result = save_scores(assessment, sheet=form.sheet(), by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                f"บันทึกผลการประเมินแล้ว (เพิ่ม {result.created} แก้ไข {result.updated} "
                f"ลบ {result.deleted} รายการ)",
            )
            return redirect("assessments:score-entry", pk=assessment.pk)
    check = check_overall(assessment)
    framework = assessment.framework
    return render(
        request,
        "assessments/score_entry.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "fiscal_year": assessment.fiscal_year,
            "form": form,
            "groups": form.groups(),
            "can_edit": can_edit,
            "show_all": request.GET.get("all") == "1",
            "check": check,
            "indicator_checks": check_sub_indicators(assessment),
            "framework": framework,
            "target": unit_target(assessment.unit, framework),
            "computed_level": level_for(framework, check.computed),
            "official_band": level_for(framework, assessment.official_score),
            "history": score_history(assessment),
        },
    )
