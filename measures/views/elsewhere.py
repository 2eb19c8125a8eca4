"""Measures that worked elsewhere, for one weakness, and copying one as a draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments.access import can_edit_unit
from assessments.frameworks import unit_target
from measures.access import get_for_user
from measures.copying import copy_measure_for_weakness
from measures.elsewhere import item_label, measures_elsewhere, published_measures
from measures.models import Measure
from measures.views.weaknesses import WEAKNESSES


@login_required
def weakness_elsewhere(request, pk: int):
    """Other units strongest on, or most improved on, the weakness's item, with their published
    measures for it (404 outside the user's units)."""
    weakness = get_for_user(request, WEAKNESSES, pk)
    can_edit = can_edit_unit(request.user, weakness.assessment.unit)
    copied = set(
        Measure.objects.filter(weakness=weakness).values_list("title", flat=True)
        if can_edit
        else ()
    )
    return render(
        request,
        "measures/weakness_elsewhere.html",
        {
            "weakness": weakness,
            "assessment": weakness.assessment,
            "unit": weakness.assessment.unit,
            "item": item_label(weakness),
            "data": measures_elsewhere(weakness),
            "follow_up": weakness.assessment.fiscal_year.year + 1,
            "target": unit_target(weakness.assessment.unit, weakness.assessment.framework).score,
            "can_edit": can_edit,
            "copied": copied,
        },
    )


@login_required
@require_POST
def weakness_copy_measure(request, pk: int, measure_pk: int):
    """Copy another unit's published measure for the item as a draft answering the weakness,
    then show the draft (a repeated post shows the draft made the first time)."""
    weakness = get_for_user(request, WEAKNESSES, pk, write=True)
    source = get_object_or_404(
        published_measures(weakness).prefetch_related("steps"), pk=measure_pk
    )
    try:
        draft, made = copy_measure_for_weakness(source, weakness=weakness, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("measures:weakness-elsewhere", pk=weakness.pk)
    if made:
        messages.success(
            request,
            f"คัดลอกเป็นร่างมาตรการปีงบประมาณ {draft.fiscal_year.year} แล้ว "
            "กรุณาแก้ไขให้เหมาะกับหน่วยงานและระบุฝ่ายที่รับผิดชอบ",
        )
    else:
        messages.info(request, "คัดลอกมาตรการนี้เป็นร่างไว้แล้ว")
    return redirect("measures:measure-detail", pk=draft.pk)
