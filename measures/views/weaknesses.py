"""The weakness register of an assessment and its per-indicator analysis."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import can_edit_unit, get_assessment_for_user
from assessments.frameworks import Target, unit_target
from assessments.models import FiscalYear
from assessments.submissions import create_once
from measures.access import get_for_user
from measures.forms import IndicatorAnalysisForm, WeaknessForm
from measures.models import IndicatorAnalysis, Weakness
from measures.weaknesses import (
    confirm_all_weaknesses,
    confirm_weakness,
    discard_weakness,
    propose_weaknesses,
    save_indicator_analyses,
    save_weakness,
)
from portal_core.history import change_log

WEAKNESSES = Weakness.objects.select_related(
    "assessment__unit",
    "assessment__fiscal_year__framework",
    "assessment__fiscal_year__district_framework",
    "indicator",
    "sub_indicator",
    "question",
)


@login_required
def weakness_list(request, pk: int):
    """The register of one assessment: proposals waiting for staff, then confirmed weaknesses."""
    assessment = get_assessment_for_user(request, pk)
    weaknesses = list(
        assessment.weaknesses.select_related("indicator", "sub_indicator", "question").order_by(
            "order", "pk"
        )
    )
    return render(
        request,
        "measures/weakness_list.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "fiscal_year": assessment.fiscal_year,
            "proposed": [w for w in weaknesses if w.status == Weakness.Status.PROPOSED],
            "confirmed": [w for w in weaknesses if w.status == Weakness.Status.CONFIRMED],
            "target": _target(assessment).score,
            "target_note": _target(assessment).note,
            "framework": assessment.framework,
            "can_edit": can_edit_unit(request.user, assessment.unit),
            "answering": _answering_year(assessment),
        },
    )


def _target(assessment) -> Target:
    return unit_target(assessment.unit, assessment.framework)


def _answering_year(assessment) -> FiscalYear | None:
    """The open fiscal year whose measures answer the assessment's weaknesses (None if not open)."""
    year = FiscalYear.answering_year(assessment.fiscal_year.year)
    return FiscalYear.objects.filter(year=year).first()


@login_required
@require_POST
def weakness_propose(request, pk: int):
    """Propose the items scored below the framework's target, lowest first."""
    assessment = get_assessment_for_user(request, pk, write=True)
    created = propose_weaknesses(assessment, by=request.user)
    target = _target(assessment).note
    if created:
        messages.success(
            request, f"เสนอจุดอ่อนใหม่ {len(created)} รายการ ที่ได้คะแนนต่ำกว่าเป้าหมาย ({target})"
        )
    else:
        messages.info(request, f"ไม่พบรายการใหม่ที่มีคะแนนต่ำกว่าเป้าหมาย ({target})")
    return redirect("measures:weakness-list", pk=assessment.pk)


@login_required
def weakness_create(request, pk: int):
    """Add a weakness by hand (confirmed at once)."""
    assessment = get_assessment_for_user(request, pk, write=True)
    form = WeaknessForm(request.POST or None, assessment=assessment)
    if request.method == "POST":
        created = create_once(
            request,
            lambda: save_weakness(form.instance, by=request.user) if form.is_valid() else None,
            url_of=lambda weakness: reverse("measures:weakness-detail", kwargs={"pk": weakness.pk}),
            done="เพิ่มจุดอ่อนแล้ว",
        )
        if created is not None:
            return created
    return render(
        request,
        "measures/weakness_form.html",
        {"form": form, "assessment": assessment, "unit": assessment.unit, "weakness": None},
    )


@login_required
def weakness_detail(request, pk: int):
    """One weakness with the measures answering it and its history."""
    weakness = get_for_user(request, WEAKNESSES, pk)
    history = change_log(
        Weakness.history.filter(id=weakness.pk).select_related("history_user"),
        describe=lambda record: "จุดอ่อน",
        hidden={"assessment"},
    )
    return render(
        request,
        "measures/weakness_detail.html",
        {
            "weakness": weakness,
            "assessment": weakness.assessment,
            "unit": weakness.assessment.unit,
            "measures": weakness.measures.select_related("fiscal_year"),
            "history": history,
            "can_edit": can_edit_unit(request.user, weakness.assessment.unit),
            "answering": _answering_year(weakness.assessment),
        },
    )


@login_required
def weakness_edit(request, pk: int):
    """Edit a weakness or a proposal; saving does not change whether it is confirmed."""
    weakness = get_for_user(request, WEAKNESSES, pk, write=True)
    form = WeaknessForm(request.POST or None, instance=weakness, assessment=weakness.assessment)
    if request.method == "POST" and form.is_valid():
        save_weakness(form.instance, by=request.user)
        messages.success(request, "บันทึกการแก้ไขจุดอ่อนแล้ว")
        return redirect("measures:weakness-detail", pk=weakness.pk)
    return render(
        request,
        "measures/weakness_form.html",
        {
            "form": form,
            "assessment": weakness.assessment,
            "unit": weakness.assessment.unit,
            "weakness": weakness,
        },
    )


@login_required
@require_POST
def weakness_confirm(request, pk: int):
    """Accept a proposal into the register."""
    weakness = get_for_user(request, WEAKNESSES, pk, write=True)
    confirm_weakness(weakness, by=request.user)
    messages.success(request, "ยืนยันจุดอ่อนแล้ว")
    return redirect("measures:weakness-list", pk=weakness.assessment_id)


@login_required
@require_POST
def weakness_confirm_all(request, pk: int):
    """Accept every proposal of the assessment in one transaction."""
    assessment = get_assessment_for_user(request, pk, write=True)
    confirmed = confirm_all_weaknesses(assessment, by=request.user)
    if confirmed:
        messages.success(request, f"ยืนยันจุดอ่อนแล้ว {len(confirmed)} รายการ")
    else:
        messages.info(request, "ไม่มีจุดอ่อนที่รอยืนยัน")
    return redirect("measures:weakness-list", pk=assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def weakness_delete(request, pk: int):
    """Ask, then discard a proposal or remove a weakness from the register."""
    weakness = get_for_user(request, WEAKNESSES, pk, write=True)
    assessment = weakness.assessment
    if request.method == "POST":
        discard_weakness(weakness, by=request.user)
        messages.success(request, "นำจุดอ่อนออกจากทะเบียนแล้ว")
        return redirect("measures:weakness-list", pk=assessment.pk)
    return render(
        request,
        "measures/weakness_delete.html",
        {
            "weakness": weakness,
            "assessment": assessment,
            "unit": assessment.unit,
            "fiscal_year": assessment.fiscal_year,
            "measures": list(weakness.measures.select_related("fiscal_year")),
        },
    )


@login_required
def indicator_analysis(request, pk: int):
    """The analysis of every indicator of the assessment (seed 001's table), saved at once."""
    assessment = get_assessment_for_user(request, pk, write=request.method == "POST")
    can_edit = can_edit_unit(request.user, assessment.unit)
    framework = assessment.framework
    indicators = list(framework.indicators.select_related("tool"))
    saved = {a.indicator_id: a for a in IndicatorAnalysis.objects.filter(assessment=assessment)}
    scores = {s.indicator_id: s.score for s in assessment.indicator_scores.all()}
    rows = []
    for indicator in indicators:
        row = saved.get(indicator.pk)
        form = IndicatorAnalysisForm(
            request.POST or None,
            prefix=f"ind{indicator.number}",
            initial={
                "result_text": row.result_text if row else "",
                "analysis": row.analysis if row else "",
            },
        )
        if not can_edit:
            for field in form.fields.values():
                field.disabled = True
        rows.append((indicator, scores.get(indicator.pk), form))
    if request.method == "POST" and all(form.is_valid() for _, _, form in rows):
        changed = save_indicator_analyses(
            assessment,
            entries={indicator.pk: form.entry() for indicator, _, form in rows},
            by=request.user,
        )
        messages.success(request, f"บันทึกการวิเคราะห์รายตัวชี้วัดแล้ว ({changed} ตัวชี้วัด)")
        return redirect("measures:indicator-analysis", pk=assessment.pk)
    return render(
        request,
        "measures/indicator_analysis.html",
        {
            "assessment": assessment,
            "unit": assessment.unit,
            "fiscal_year": assessment.fiscal_year,
            "rows": rows,
            "target": _target(assessment).score,
            "target_note": _target(assessment).note,
            "framework": framework,
            "can_edit": can_edit,
        },
    )
