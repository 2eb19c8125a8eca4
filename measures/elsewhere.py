"""Measures that worked elsewhere: for one weakness, the other units that scored highest on the
same item in the same year or improved most on it from the year before, with their published
measures for it.

Only what the public site shows of other units is used: scores of published assessments and
published measures (:meth:`MeasureQuerySet.published`: not drafts, of a unit whose result the
measure answers is published). The item is the weakness's question (matched by code, since
codes are what a year's framework and the year before share), else its sub-indicator (by code),
else its indicator (by number). A unit's measures for it are those of the assessed year (the
work the score reflects) and of the year after (the work planned on seeing it): for a question
or a sub-indicator, measures answering a weakness on the same item; for an indicator, measures
on that indicator or answering a weakness on it.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from assessments.models import (
    IndicatorScore,
    OrgUnit,
    QuestionScore,
    SubIndicatorScore,
)
from measures.models import Measure, MeasureStep, Weakness

SHOWN = 10


@dataclass(frozen=True)
class Peer:
    """Another unit's score on the item, the year before's, and its published measures for it."""

    unit: OrgUnit
    score: Decimal
    previous: Decimal | None
    measures: list[Measure]

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.score - self.previous


@dataclass(frozen=True)
class Elsewhere:
    """The units to learn from for one weakness: highest scores and largest improvements."""

    weakness: Weakness
    year: int
    highest: list[Peer]
    improved: list[Peer]


def item_label(weakness: Weakness) -> str:
    """How the page names the weakness's item."""
    if weakness.question_id:
        return f"ข้อ {weakness.question.code}"
    if weakness.sub_indicator_id:
        return f"ตัวชี้วัดย่อยที่ {weakness.sub_indicator.code}"
    return f"ตัวชี้วัดที่ {weakness.indicator.number}"


def _item_scores(weakness: Weakness, year: int) -> QuerySet:
    """(unit, score) of every published assessment of ``year`` on the weakness's item."""
    published = {
        "assessment__fiscal_year__year": year,
        "assessment__published_at__isnull": False,
    }
    if weakness.question_id:
        rows = QuestionScore.objects.filter(question__code=weakness.question.code, **published)
    elif weakness.sub_indicator_id:
        rows = SubIndicatorScore.objects.filter(
            sub_indicator__code=weakness.sub_indicator.code,
            sub_indicator__indicator__number=weakness.indicator.number,
            **published,
        )
    else:
        rows = IndicatorScore.objects.filter(
            indicator__number=weakness.indicator.number, **published
        )
    return rows.exclude(assessment__unit_id=weakness.assessment.unit_id)


def _measures_for(weakness: Weakness) -> Q:
    if weakness.question_id:
        return Q(weakness__question__code=weakness.question.code)
    if weakness.sub_indicator_id:
        return Q(
            weakness__sub_indicator__code=weakness.sub_indicator.code,
            weakness__indicator__number=weakness.indicator.number,
        )
    number = weakness.indicator.number
    return Q(indicator__number=number) | Q(weakness__indicator__number=number)


def published_measures(weakness: Weakness) -> QuerySet:
    """Other units' published measures for the weakness's item, of the assessed year and the
    year after (the measures a copy may be made from)."""
    year = weakness.assessment.fiscal_year.year
    return (
        Measure.objects.published()
        .filter(_measures_for(weakness), fiscal_year__year__in=[year, year + 1])
        .exclude(unit_id=weakness.assessment.unit_id)
    )


def measures_elsewhere(weakness: Weakness, *, shown: int = SHOWN) -> Elsewhere:
    """The ``shown`` other units with the highest score on the weakness's item in its year and
    the ``shown`` that improved most on it since the year before, each with its published
    measures for it. Four queries whatever the number of units and measures."""
    year = weakness.assessment.fiscal_year.year
    units: dict[int, OrgUnit] = {}
    now: dict[int, Decimal] = {}
    for row in _item_scores(weakness, year).select_related("assessment__unit"):
        units[row.assessment.unit_id] = row.assessment.unit
        now[row.assessment.unit_id] = row.score
    before = dict(_item_scores(weakness, year - 1).values_list("assessment__unit_id", "score"))

    highest = sorted(now, key=lambda pk: (-now[pk], units[pk].name))[:shown]
    improved = sorted(
        (pk for pk in now if pk in before and now[pk] > before[pk]),
        key=lambda pk: (before[pk] - now[pk], units[pk].name),
    )[:shown]

    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in (
        published_measures(weakness)
        .filter(unit_id__in={*highest, *improved})
        .select_related("fiscal_year")
        .prefetch_related(Prefetch("steps", queryset=MeasureStep.objects.order_by("order", "pk")))
        .order_by("-fiscal_year__year", "order", "pk")
    ):
        measures[measure.unit_id].append(measure)

    def peer(pk: int) -> Peer:
        return Peer(units[pk], now[pk], before.get(pk), measures.get(pk, []))

    return Elsewhere(
        weakness=weakness,
        year=year,
        highest=[peer(pk) for pk in highest],
        improved=[peer(pk) for pk in improved],
    )
