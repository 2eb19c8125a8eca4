"""Copy measures as drafts: a unit's measures of fiscal year N−1 become drafts of year N, and
another unit's published measure becomes a draft answering one of the unit's weaknesses."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.frameworks import framework_id_for
from assessments.models import FiscalYear, Indicator, OrgUnit
from measures.models import Measure, MeasureStep, Weakness
from portal_core.history import save_with_history


def _next_year(day: datetime.date | None) -> datetime.date | None:
    """The same day one year later (29 February becomes 28 February)."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _key(title: str, indicator_number: int | None) -> tuple[str, int | None]:
    return (" ".join(title.split()), indicator_number)


def _draft_copy(
    source: Measure,
    *,
    unit: OrgUnit,
    fiscal_year: FiscalYear,
    weakness: Weakness | None,
    indicator: Indicator | None,
    issue: str,
    by,
) -> Measure:
    """An unsaved, validated draft of ``source`` in ``unit`` and ``fiscal_year``: its text
    fields, not started, without a result, the deadline moved one year on (full_clean may give
    it its weakness's indicator)."""
    copy = Measure(
        unit=unit,
        fiscal_year=fiscal_year,
        weakness=weakness,
        indicator=indicator,
        issue=issue,
        title=source.title,
        activity=source.activity,
        output=source.output,
        communication=source.communication,
        deadline=_next_year(source.deadline),
        deadline_note=source.deadline_note,
        all_divisions=source.all_divisions,
        supervision=source.supervision,
        monitoring_months=source.monitoring_months,
        status=Measure.Status.NOT_STARTED,
        result="",
        draft=True,
        order=source.order,
        created_by=by,
    )
    copy.full_clean()
    return copy


def _save_draft(copy: Measure, source: Measure, *, divisions, by) -> None:
    """Save a draft of :func:`_draft_copy` with ``divisions`` and ``source``'s steps (without
    their results)."""
    copy._history_user = by
    copy.save()
    copy.responsible_divisions.set(divisions)
    for step in source.steps.all():
        new_step = MeasureStep(measure=copy, order=step.order, text=step.text)
        save_with_history(new_step, by=by)


@transaction.atomic
def copy_previous_year_measures(*, unit: OrgUnit, fiscal_year: FiscalYear, by) -> list[Measure]:
    """Copy the unit's measures of the year before into ``fiscal_year`` as drafts.

    Each copy keeps the text fields, the weakness it answers, its divisions and its steps (without
    their results); it starts as a draft (draft=True), not started, without a result, with the
    deadline moved one year on. Its indicator is the indicator of the same number in this year's
    framework (for a measure without one, its weakness's: Measure.clean). A copy whose title and
    indicator number already exist in ``fiscal_year`` is skipped, so copying twice does not
    duplicate. Returns the copies made.
    """
    sources = list(
        Measure.objects.filter(unit=unit, fiscal_year__year=fiscal_year.year - 1)
        .select_related("indicator", "weakness__indicator")
        .prefetch_related("steps", "responsible_divisions")
        .order_by("order", "pk")
    )
    indicators = {
        i.number: i
        for i in Indicator.objects.filter(framework_id=framework_id_for(unit, fiscal_year))
    }
    present = {
        _key(title, number)
        for title, number in Measure.objects.filter(unit=unit, fiscal_year=fiscal_year).values_list(
            "title", "indicator__number"
        )
    }
    copies = []
    for source in sources:
        number = source.indicator.number if source.indicator_id else None
        indicator = indicators.get(number) if number is not None else None
        issue = source.issue
        if (
            source.indicator_id
            and indicator is None
            and not issue.strip()
            and not source.weakness_id
        ):
            issue = str(source.indicator)
        copy = _draft_copy(
            source,
            unit=unit,
            fiscal_year=fiscal_year,
            weakness=source.weakness,
            indicator=indicator,
            issue=issue,
            by=by,
        )
        key = _key(copy.title, copy.indicator.number if copy.indicator_id else None)
        if key in present:
            continue
        _save_draft(copy, source, divisions=source.responsible_divisions.all(), by=by)
        present.add(key)
        copies.append(copy)
    return copies


@transaction.atomic
def copy_measure_for_weakness(source: Measure, *, weakness: Weakness, by) -> tuple[Measure, bool]:
    """Copy another unit's measure as a draft of the weakness's unit for the fiscal year that
    answers it (the year after the assessment), linked to the weakness; returns the draft and
    whether it was made now.

    The other unit's divisions are not copied (they are not this unit's). Copying the same
    measure for the same weakness again returns the draft made before, so a repeated post makes
    nothing new; the weakness row is locked while checking, so two posts at once make one.
    """
    Weakness.objects.select_for_update().filter(pk=weakness.pk).first()
    year = weakness.assessment.fiscal_year.year + 1
    fiscal_year = FiscalYear.objects.select_related("framework").filter(year=year).first()
    if fiscal_year is None:
        raise ValidationError(f"ยังไม่มีปีงบประมาณ พ.ศ. {year} ในระบบ จึงคัดลอกมาตรการไม่ได้")
    existing = Measure.objects.filter(
        unit=weakness.assessment.unit,
        fiscal_year=fiscal_year,
        weakness=weakness,
        title=source.title,
    ).first()
    if existing is not None:
        return existing, False
    indicator = Indicator.objects.filter(
        framework_id=framework_id_for(weakness.assessment.unit, fiscal_year),
        number=weakness.indicator.number,
    ).first()
    copy = _draft_copy(
        source,
        unit=weakness.assessment.unit,
        fiscal_year=fiscal_year,
        weakness=weakness,
        indicator=indicator,
        issue=source.issue,
        by=by,
    )
    _save_draft(copy, source, divisions=[], by=by)
    return copy, True
