"""Corrective measures of a unit in a fiscal year: list, create, edit, status, copy, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import can_edit_unit, get_unit_year_for_user
from assessments.submissions import create_once
from measures.access import get_for_user
from measures.copying import copy_previous_year_measures
from measures.forms import MeasureForm, MeasureStatusForm, MeasureStepFormSet
from measures.measure_workflow import (
    STALE_MESSAGE,
    StaleMeasureError,
    delete_measure,
    offers_done,
    save_measure,
    set_measure_status,
)
from measures.models import Measure, MeasureStep, ProgressUpdate
from measures.weaknesses import measure_initial
from portal_core.history import change_log

MEASURES = Measure.objects.select_related(
    "unit",
    "fiscal_year__framework",
    "fiscal_year__district_framework",
    "indicator",
    "weakness__assessment__fiscal_year",
    "weakness__indicator",
    "weakness__question",
)


def _measure_history(measure: Measure, *, limit: int = 50):
    """The measure's own changes, its steps' and its progress reports', newest first."""

    def describe(record) -> str:
        if isinstance(record, MeasureStep.history.model):
            return f"ขั้นตอนที่ {record.order}"
        if isinstance(record, ProgressUpdate.history.model):
            return "รายงานความคืบหน้า"
        return "มาตรการ"

    records = [
        *Measure.history.filter(id=measure.pk).select_related("history_user"),
        *MeasureStep.history.filter(measure_id=measure.pk).select_related("history_user"),
        *ProgressUpdate.history.filter(measure_id=measure.pk).select_related("history_user"),
    ]
    return change_log(records, describe=describe, hidden={"measure"}, limit=limit)


@login_required
def measure_list(request, code: str, year: int):
    """The unit's measures of the fiscal year, with divisions, steps and overdue flags."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    measures = list(
        Measure.objects.filter(unit=unit, fiscal_year=fiscal_year)
        .select_related("indicator", "weakness__indicator", "weakness__question")
        .prefetch_related("responsible_divisions", "steps")
    )
    today = timezone.localdate()
    return render(
        request,
        "measures/measure_list.html",
        {
            "unit": unit,
            "fiscal_year": fiscal_year,
            "rows": [(m, m.is_overdue(today)) for m in measures],
            "can_edit": can_edit_unit(request.user, unit),
            "previous_year": fiscal_year.year - 1,
        },
    )


def _render_form(request, form, steps, *, measure: Measure, unit, fiscal_year):
    return render(
        request,
        "measures/measure_form.html",
        {
            "form": form,
            "steps": steps,
            "measure": measure,
            "unit": unit,
            "fiscal_year": fiscal_year,
        },
    )


def _save(request, form, steps):
    """Hand a valid form to save_measure; on a stale version, put the refusal on the form."""
    try:
        return save_measure(
            form.instance,
            divisions=list(form.cleaned_data["responsible_divisions"]),
            steps=steps.entries(),
            expected_version=form.cleaned_data["version"],
            by=request.user,
        )
    except StaleMeasureError:
        form.add_error(None, STALE_MESSAGE)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    return None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() else None


@login_required
def measure_create(request, code: str, year: int):
    """A new measure of the unit in the fiscal year, with its steps and divisions;
    ``?weakness=`` starts it from one of the unit's weaknesses (see measure_initial)."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    measure = Measure(unit=unit, fiscal_year=fiscal_year)
    form = MeasureForm(request.POST or None, instance=measure)
    answered = form.fields["weakness"].queryset.filter(pk=_int(request.GET.get("weakness"))).first()
    if answered is not None:
        form.initial.update(measure_initial(answered, fiscal_year))
    steps = MeasureStepFormSet(request.POST or None, instance=measure, prefix="steps")
    if request.method == "POST":
        created = create_once(
            request,
            lambda: _save(request, form, steps) if form.is_valid() and steps.is_valid() else None,
            url_of=lambda saved: reverse("measures:measure-detail", kwargs={"pk": saved.pk}),
            done="เพิ่มมาตรการแล้ว",
        )
        if created is not None:
            return created
    return _render_form(request, form, steps, measure=None, unit=unit, fiscal_year=fiscal_year)


@login_required
def measure_detail(request, pk: int):
    """One measure: every field, its steps, progress, status moves and history."""
    measure = get_for_user(request, MEASURES, pk)
    progress = list(measure.progress_updates.select_related("created_by"))
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "unit": measure.unit,
            "fiscal_year": measure.fiscal_year,
            "owners": measure.owner_names(),
            "status_change": measure.state_changes.select_related("by").last(),
            "steps": list(measure.steps.all()),
            "progress": progress,
            "offer_done": offers_done(measure, progress[0] if progress else None),
            "overdue": measure.is_overdue(timezone.localdate()),
            "status_form": MeasureStatusForm(measure=measure),
            "history": _measure_history(measure),
            "can_edit": can_edit_unit(request.user, measure.unit),
        },
    )


@login_required
def measure_edit(request, pk: int):
    """Edit a measure; a form opened before someone else's save is refused, keeping the input."""
    measure = get_for_user(request, MEASURES, pk, write=True)
    form = MeasureForm(request.POST or None, instance=measure)
    steps = MeasureStepFormSet(request.POST or None, instance=measure, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        if _save(request, form, steps) is not None:
            messages.success(request, "บันทึกการแก้ไขมาตรการแล้ว")
            return redirect("measures:measure-detail", pk=measure.pk)
    return _render_form(
        request, form, steps, measure=measure, unit=measure.unit, fiscal_year=measure.fiscal_year
    )


@login_required
@require_POST
def measure_status(request, pk: int):
    """Move the measure to another status through measures.measure_workflow.set_measure_status."""
    measure = get_for_user(request, MEASURES, pk, write=True)
    form = MeasureStatusForm(request.POST, measure=measure)
    if not form.is_valid():
        messages.error(request, "เปลี่ยนสถานะไม่ได้: " + " ".join(form.errors.get("status", [])))
        return redirect("measures:measure-detail", pk=measure.pk)
    try:
        set_measure_status(measure, status=form.cleaned_data["status"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"เปลี่ยนสถานะเป็น “{measure.get_status_display()}” แล้ว")
    return redirect("measures:measure-detail", pk=measure.pk)


@login_required
@require_http_methods(["GET", "POST"])
def measure_delete(request, pk: int):
    """Ask, then delete the measure with its steps and progress reports."""
    measure = get_for_user(request, MEASURES, pk, write=True)
    if request.method == "POST":
        unit, year = measure.unit, measure.fiscal_year.year
        delete_measure(measure, by=request.user)
        messages.success(request, "ลบมาตรการแล้ว")
        return redirect("measures:measure-list", code=unit.code, year=year)
    return render(
        request,
        "measures/measure_delete.html",
        {"measure": measure, "unit": measure.unit, "fiscal_year": measure.fiscal_year},
    )


@login_required
@require_POST
def measure_copy(request, code: str, year: int):
    """Copy the unit's measures of the year before into this year as drafts."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    copies = copy_previous_year_measures(unit=unit, fiscal_year=fiscal_year, by=request.user)
    if copies:
        messages.success(
            request, f"คัดลอกมาตรการจากปี {year - 1} แล้ว {len(copies)} รายการ (สถานะร่าง)"
        )
    else:
        messages.info(request, f"ไม่มีมาตรการของปี {year - 1} ที่ยังไม่ได้คัดลอก")
    return redirect("measures:measure-list", code=unit.code, year=year)
