"""The weakness register: proposals from the scores, staff decisions, per-indicator analysis."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from assessments.frameworks import district_years, framework_id_for, repoint, unit_target
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
)
from measures.models import DisclosureItem, IndicatorAnalysis, Measure, Weakness
from portal_core.history import delete_with_history, save_with_history


@dataclass(frozen=True)
class _Candidate:
    score: Decimal
    rank: int  # indicators before sub-indicators before questions on equal scores
    order: int
    weakness: Weakness


def _registered_keys(assessment: Assessment) -> set[tuple]:
    keys = set()
    for indicator_id, sub_id, question_id in Weakness.objects.filter(
        assessment=assessment
    ).values_list("indicator_id", "sub_indicator_id", "question_id"):
        if question_id:
            keys.add(("question", question_id))
        elif sub_id:
            keys.add(("sub", sub_id))
        else:
            keys.add(("indicator", indicator_id))
    return keys


def _candidates(assessment: Assessment, target: Decimal) -> list[tuple[tuple, _Candidate]]:
    found = []
    for row in IndicatorScore.objects.filter(
        assessment=assessment, score__lt=target
    ).select_related("indicator"):
        weakness = Weakness(indicator=row.indicator, score=row.score, topic=row.indicator.name)
        found.append(
            (
                ("indicator", row.indicator_id),
                _Candidate(row.score, 0, row.indicator.number, weakness),
            )
        )
    for row in SubIndicatorScore.objects.filter(
        assessment=assessment, score__lt=target
    ).select_related("sub_indicator__indicator"):
        sub = row.sub_indicator
        weakness = Weakness(
            indicator=sub.indicator, sub_indicator=sub, score=row.score, topic=sub.name
        )
        found.append((("sub", sub.pk), _Candidate(row.score, 1, sub.indicator.number, weakness)))
    for row in QuestionScore.objects.filter(assessment=assessment, score__lt=target).select_related(
        "question__indicator", "question__sub_indicator"
    ):
        question = row.question
        weakness = Weakness(
            indicator=question.indicator,
            sub_indicator=question.sub_indicator,
            question=question,
            score=row.score,
            topic=question.display_text,
        )
        found.append(
            (("question", question.pk), _Candidate(row.score, 2, question.order, weakness))
        )
    return found


@transaction.atomic
def propose_weaknesses(assessment: Assessment, *, by) -> list[Weakness]:
    """Propose every indicator, sub-indicator and question scored strictly below the unit's
    target (assessments.frameworks.unit_target: the unit's own, else its framework's; 84.99 is
    weak at 85.00, 85.00 is not), lowest score first.

    Items already in the register, proposed or confirmed, are skipped, so running it again
    proposes only what is new. Returns the weaknesses created, with status PROPOSED.
    """
    target = unit_target(assessment.unit, assessment.framework).score
    registered = _registered_keys(assessment)
    fresh = [c for key, c in _candidates(assessment, target) if key not in registered]
    fresh.sort(key=lambda c: (c.score, c.rank, c.order))
    next_order = (
        Weakness.objects.filter(assessment=assessment).aggregate(m=Max("order"))["m"] or 0
    ) + 1
    created = []
    for position, candidate in enumerate(fresh):
        weakness = candidate.weakness
        weakness.assessment = assessment
        weakness.status = Weakness.Status.PROPOSED
        weakness.order = next_order + position
        weakness.created_by = by
        save_with_history(weakness, by=by)
        created.append(weakness)
    return created


@transaction.atomic
def save_weakness(weakness: Weakness, *, by) -> Weakness:
    """Save a weakness added by hand or edited by staff (after full_clean).

    A weakness added by hand is confirmed at once and placed after the others.
    """
    if weakness.pk is None:
        weakness.created_by = by
        weakness.status = Weakness.Status.CONFIRMED
        if not weakness.order:
            last = Weakness.objects.filter(assessment=weakness.assessment).aggregate(m=Max("order"))
            weakness.order = (last["m"] or 0) + 1
    save_with_history(weakness, by=by)
    return weakness


@transaction.atomic
def confirm_weakness(weakness: Weakness, *, by) -> Weakness:
    """Staff accept a proposal into the register."""
    weakness.status = Weakness.Status.CONFIRMED
    return save_weakness(weakness, by=by)


@transaction.atomic
def confirm_all_weaknesses(assessment: Assessment, *, by) -> list[Weakness]:
    """Accept every proposal of the assessment into the register, all or none: a proposal that
    no longer validates stops the whole confirmation and leaves every proposal as it was."""
    proposals = list(
        Weakness.objects.select_for_update(of=("self",))
        .filter(assessment=assessment, status=Weakness.Status.PROPOSED)
        .select_related("assessment__fiscal_year", "indicator", "sub_indicator", "question")
        .order_by("order", "pk")
    )
    return [confirm_weakness(weakness, by=by) for weakness in proposals]


def measure_initial(weakness: Weakness, fiscal_year: FiscalYear) -> dict:
    """What a new measure of ``fiscal_year`` answering ``weakness`` starts with: the weakness,
    its indicator in that year's framework, and the weak question (or topic) as the issue."""
    item = weakness.question.code if weakness.question_id else ""
    indicator = weakness.indicator_in(framework_id_for(weakness.assessment.unit, fiscal_year))
    return {
        "weakness": weakness.pk,
        "indicator": indicator.pk if indicator else None,
        "issue": " ".join(part for part in (item, weakness.topic) if part),
    }


@transaction.atomic
def discard_weakness(weakness: Weakness, *, by) -> None:
    """Remove a weakness from the register; measures that answered it keep their indicator."""
    for measure in weakness.measures.select_related("fiscal_year"):
        if measure.indicator_id is None:
            measure.indicator = Indicator.objects.filter(
                framework_id=framework_id_for(measure.unit, measure.fiscal_year),
                number=weakness.indicator.number,
            ).first()
            if measure.indicator is None and not measure.issue.strip():
                measure.issue = weakness.topic or str(weakness.indicator)
            measure.weakness = None
            save_with_history(measure, by=by)
    delete_with_history(weakness, by=by)


@transaction.atomic
def rehome_district_work() -> int:
    """The measures side of assessments.frameworks.rehome_district_results: weaknesses and
    indicator analyses of district offices' assessments, and their measures and OIT checklist
    items of the year, move from the year's general framework to its district framework."""
    moved = 0
    for fiscal_year, maps in district_years():
        district = {"unit__kind": OrgUnit.Kind.DISTRICT, "fiscal_year": fiscal_year}
        results = Assessment.objects.filter(**district)
        weaknesses = Weakness.objects.filter(assessment__in=results)
        for field, item in (
            ("indicator", Indicator),
            ("sub_indicator", SubIndicator),
            ("question", Question),
        ):
            moved += repoint(weaknesses, field, maps[item])
        analyses = IndicatorAnalysis.objects.filter(assessment__in=results)
        moved += repoint(analyses, "indicator", maps[Indicator])
        moved += repoint(Measure.objects.filter(**district), "indicator", maps[Indicator])
        moved += repoint(DisclosureItem.objects.filter(**district), "question", maps[Question])
    return moved


@dataclass(frozen=True)
class AnalysisEntry:
    """What staff wrote about one indicator (seed 001's table)."""

    result_text: str
    analysis: str


@transaction.atomic
def save_indicator_analyses(
    assessment: Assessment, *, entries: dict[int, AnalysisEntry], by
) -> int:
    """Write the analysis of each indicator (by indicator id) in one transaction.

    An indicator left empty loses its analysis row. Returns how many rows changed.
    """
    existing = {a.indicator_id: a for a in IndicatorAnalysis.objects.filter(assessment=assessment)}
    changed = 0
    for indicator_id, entry in entries.items():
        row = existing.get(indicator_id)
        if not entry.result_text and not entry.analysis:
            if row is not None:
                delete_with_history(row, by=by)
                changed += 1
            continue
        if row is None:
            row = IndicatorAnalysis(assessment=assessment, indicator_id=indicator_id)
        elif (row.result_text, row.analysis) == (entry.result_text, entry.analysis):
            continue
        row.result_text = entry.result_text
        row.analysis = entry.analysis
        save_with_history(row, by=by)
        changed += 1
    return changed
