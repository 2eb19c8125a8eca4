"""OIT disclosure readiness: a unit's checklist of a year's OIT items, its score if checked
today, and the link check of its public addresses.

The score follows the framework's OIT rule: an item scores 100 when disclosed (status
เผยแพร่แล้ว) and 0 otherwise; a sub-indicator is the share of its items passed
(assessments.scoring.sub_indicator_score), an indicator the mean of its sub-indicators (of its
items, when the framework lists no sub-indicators for it), the tool by
assessments.scoring.tool_score and the overall by weighted_overall with the unit's latest IIT
and EIT.
"""

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch

from assessments.frameworks import framework_for, framework_id_for
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    OrgUnit,
    Question,
    QuestionScore,
    Tool,
    ToolScore,
)
from assessments.scoring import (
    PASSED_ITEM,
    mean,
    round_score,
    sub_indicator_score,
    tool_score,
    weighted_overall,
)
from measures.link_check import CheckOptions, check_urls
from measures.models import DisclosureItem, DisclosureLink
from portal_core.versioning import bump_version

IIT, EIT, OIT = Tool.Code.IIT, Tool.Code.EIT, Tool.Code.OIT
FAILED_ITEM = Decimal("0")


class StaleChecklist(Exception):
    """Someone saved an item after this checklist was opened; nothing was saved."""

    def __init__(self, code: str):
        super().__init__(f"ข้อ {code} มีผู้อื่นบันทึกไว้หลังจากที่ท่านเปิดหน้านี้ กรุณาเปิดหน้าใหม่แล้วบันทึกอีกครั้ง")
        self.code = code


def oit_questions(fiscal_year: FiscalYear, unit: OrgUnit | None = None) -> list[Question]:
    """The OIT items of the framework ``unit`` works to in the year (the year's general
    framework when no unit is given), in the framework's order."""
    framework_id = framework_id_for(unit, fiscal_year) if unit else fiscal_year.framework_id
    return list(
        Question.objects.filter(
            framework_id=framework_id, indicator__tool__code=OIT
        ).select_related("indicator__tool", "sub_indicator")
    )


# --- the score if checked today -----------------------------------------------------------------


@dataclass(frozen=True)
class GroupReadiness:
    """One sub-indicator (or an indicator without any): items disclosed of all, and its score."""

    indicator: int
    code: str
    name: str
    disclosed: int
    total: int
    score: Decimal


@dataclass(frozen=True)
class OitToday:
    """The OIT score a unit would get if checked today, and its parts."""

    groups: list[GroupReadiness]
    indicators: dict[int, Decimal]
    score: Decimal | None
    disclosed: int
    total: int

    @property
    def share(self) -> Decimal | None:
        """Percentage of the year's items disclosed."""
        return round_score(Decimal(self.disclosed) * 100 / self.total) if self.total else None


def oit_if_checked_today(questions: Sequence[Question], disclosed: Collection[int]) -> OitToday:
    """Score the OIT items by the framework's rule: 100 for each question pk in ``disclosed``."""
    groups: dict[tuple[int, str], list[Question]] = {}
    for question in questions:
        sub = question.sub_indicator
        key = (question.indicator.number, sub.code if sub else "")
        groups.setdefault(key, []).append(question)
    readiness = []
    by_indicator: dict[int, list[Decimal]] = {}
    for (number, code), members in sorted(groups.items(), key=lambda g: _group_order(g[0])):
        first = members[0]
        values = [PASSED_ITEM if q.pk in disclosed else FAILED_ITEM for q in members]
        score = sub_indicator_score(values)
        readiness.append(
            GroupReadiness(
                indicator=number,
                code=code or str(number),
                name=first.sub_indicator.name if first.sub_indicator else first.indicator.name,
                disclosed=sum(1 for v in values if v == PASSED_ITEM),
                total=len(values),
                score=score,
            )
        )
        by_indicator.setdefault(number, []).append(score)
    indicators = {number: mean(scores) for number, scores in by_indicator.items()}
    tool = questions[0].indicator.tool if questions else None
    value = None
    if tool is not None:
        value, _basis = tool_score(tool, {}, list(indicators.values()))
    return OitToday(
        groups=readiness,
        indicators={n: round_score(v) for n, v in indicators.items()},
        score=round_score(value) if value is not None else None,
        disclosed=sum(g.disclosed for g in readiness),
        total=sum(g.total for g in readiness),
    )


def _group_order(key: tuple[int, str]) -> tuple[int, tuple[int, ...]]:
    number, code = key
    return number, tuple(int(part) for part in code.split(".") if part.isdigit())


# --- the overall it implies ---------------------------------------------------------------------


@dataclass(frozen=True)
class Implied:
    """The overall score implied by today's OIT and the latest IIT and EIT (None if missing)."""

    overall: Decimal | None
    basis_year: int | None
    tools: dict[str, Decimal] = field(default_factory=dict)


def latest_tool_values(units: Collection[OrgUnit], up_to: int) -> dict[int, tuple[int, dict]]:
    """Per unit pk: the latest year (≤ up_to) whose IIT and EIT both score, and its tool values
    by code, each by assessments.scoring.tool_score as tool_results computes it.

    Plain values, not model objects (tool_results on prefetched assessments of every year cost
    the BMA page a second at 50 units): the results, the frameworks' tools and indicators, then
    the scores of each unit's newest result; only when some newest result lacks IIT or EIT, the
    scores of those units' older results (two queries more).
    """
    results = list(
        Assessment.objects.filter(unit_id__in=[u.pk for u in units], fiscal_year__year__lte=up_to)
        .order_by("unit_id", "-fiscal_year__year")
        .values_list(
            "pk",
            "unit_id",
            "fiscal_year__year",
            "fiscal_year__framework_id",
            "fiscal_year__district_framework_id",
            "unit__kind",
        )
    )
    # the framework each result was assessed with (assessments.frameworks.framework_for)
    results = [
        (pk, unit_id, year, district if kind == OrgUnit.Kind.DISTRICT and district else general)
        for pk, unit_id, year, general, district, kind in results
    ]
    frameworks = {row[3] for row in results}
    tools: dict[int, list[Tool]] = {}
    for tool in Tool.objects.filter(framework_id__in=frameworks, code__in=[IIT, EIT]):
        tools.setdefault(tool.framework_id, []).append(tool)
    indicators_by_tool: dict[int, list[int]] = {}
    for pk, tool_id in Indicator.objects.filter(framework_id__in=frameworks).values_list(
        "pk", "tool_id"
    ):
        indicators_by_tool.setdefault(tool_id, []).append(pk)

    latest: dict[int, tuple[int, dict]] = {}
    newest, older, seen = [], [], set()
    for row in results:
        (older if row[1] in seen else newest).append(row)
        seen.add(row[1])
    for batch in (newest, older):
        batch = [row for row in batch if row[1] not in latest]
        if not batch:
            continue
        tool_scores, indicator_scores = _scores_of([row[0] for row in batch])
        for assessment_id, unit_id, year, framework_id in batch:
            if unit_id in latest:
                continue
            own = indicator_scores.get(assessment_id, {})
            values = {}
            for tool in tools.get(framework_id, []):
                parts = [own.get(pk) for pk in indicators_by_tool.get(tool.pk, [])]
                value, _basis = tool_score(tool, tool_scores.get(assessment_id, {}), parts)
                if value is not None:
                    values[tool.code] = value
            if IIT in values and EIT in values:
                latest[unit_id] = (year, values)
    return latest


def _scores_of(ids: list[int]) -> tuple[dict, dict]:
    """Tool scores by (tool pk, part) and indicator scores by indicator pk, per assessment pk."""
    tool_scores: dict[int, dict[tuple[int, int], Decimal]] = {}
    for assessment_id, tool_id, part, score in ToolScore.objects.filter(
        assessment_id__in=ids, tool__code__in=[IIT, EIT]
    ).values_list("assessment_id", "tool_id", "part", "score"):
        tool_scores.setdefault(assessment_id, {})[(tool_id, part)] = score
    indicator_scores: dict[int, dict[int, Decimal]] = {}
    for assessment_id, indicator_id, score in IndicatorScore.objects.filter(
        assessment_id__in=ids, indicator__tool__code__in=[IIT, EIT]
    ).values_list("assessment_id", "indicator_id", "score"):
        indicator_scores.setdefault(assessment_id, {})[indicator_id] = score
    return tool_scores, indicator_scores


def implied_overall(
    weights: Sequence[Tool], oit: Decimal | None, latest: tuple[int, dict] | None
) -> Implied:
    """The overall by the year's framework weights (its ``weights`` tools): the latest IIT and
    EIT with today's OIT."""
    if latest is None or oit is None:
        return Implied(None, latest[0] if latest else None)
    year, values = latest
    tools = {IIT: values[IIT], EIT: values[EIT], OIT: oit}
    if {tool.code for tool in weights} != set(tools):
        return Implied(None, year, tools)
    return Implied(weighted_overall((t.weight, tools[t.code]) for t in weights), year, tools)


# --- the checklist ------------------------------------------------------------------------------


@dataclass
class ChecklistRow:
    """One OIT item of a unit's checklist: its work (or a blank one) and last year's remark."""

    question: Question
    item: DisclosureItem
    links: list[DisclosureLink]
    last_remark: str


@dataclass
class Checklist:
    """A unit's checklist of a year with the score it implies."""

    rows: list[ChecklistRow]
    today: OitToday
    implied: Implied


def checklist(unit: OrgUnit, fiscal_year: FiscalYear) -> Checklist:
    """Every OIT item of the year for the unit (unsaved blank items where none is recorded), with
    the evaluator's remark on the same question code in the unit's previous-year assessment."""
    questions = oit_questions(fiscal_year, unit)
    items = {
        item.question_id: item
        for item in DisclosureItem.objects.filter(unit=unit, fiscal_year=fiscal_year)
        .select_related("division", "checked_by")
        .prefetch_related(
            Prefetch("links", queryset=DisclosureLink.objects.order_by("order", "pk"))
        )
    }
    remarks = dict(
        QuestionScore.objects.filter(
            assessment__unit=unit,
            assessment__fiscal_year__year=fiscal_year.year - 1,
            question__code__in=[q.code for q in questions],
        )
        .exclude(remark="")
        .values_list("question__code", "remark")
    )
    rows = []
    for question in questions:
        item = items.get(question.pk) or DisclosureItem(
            unit=unit, fiscal_year=fiscal_year, question=question
        )
        links = list(item.links.all()) if item.pk else []
        rows.append(ChecklistRow(question, item, links, remarks.get(question.code, "")))
    today = oit_if_checked_today(questions, {r.question.pk for r in rows if r.item.disclosed})
    latest = latest_tool_values([unit], fiscal_year.year).get(unit.pk)
    weights = list(framework_for(unit, fiscal_year).tools.all())
    return Checklist(rows, today, implied_overall(weights, today.score, latest))


@dataclass(frozen=True)
class RowChange:
    """What staff wrote for one item: ``version`` is the item's version the page was opened with
    (None for an item not saved before)."""

    question: Question
    division: OrgUnit | None
    status: str
    notes: str
    urls: list[str]
    version: int | None


@transaction.atomic
def save_checklist(
    unit: OrgUnit,
    fiscal_year: FiscalYear,
    changes: Sequence[RowChange],
    user,
    now: datetime.datetime,
) -> int:
    """Save the changed items all or nothing; raise StaleChecklist when any was saved by someone
    else since the page was opened. Returns how many items were saved."""
    for change in changes:
        item = _save_item(unit, fiscal_year, change, user, now)
        _replace_links(item, change.urls)
    return len(changes)


def _save_item(unit, fiscal_year, change: RowChange, user, now) -> DisclosureItem:
    fields = {
        "division": change.division,
        "status": change.status,
        "notes": change.notes,
        "checked_at": now,
        "checked_by": user,
    }
    if change.version is None:
        try:
            with transaction.atomic():
                return DisclosureItem.objects.create(
                    unit=unit, fiscal_year=fiscal_year, question=change.question, **fields
                )
        except IntegrityError as exc:
            raise StaleChecklist(change.question.code) from exc
    item = DisclosureItem.objects.filter(
        unit=unit, fiscal_year=fiscal_year, question=change.question
    ).first()
    if item is None or not bump_version(item, change.version):
        raise StaleChecklist(change.question.code)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()  # a normal save, so the history records who changed what
    return item


def _replace_links(item: DisclosureItem, urls: list[str]) -> None:
    """Keep links whose address stays (and their last check), drop the others, add the new."""
    existing = {link.url: link for link in item.links.all()}
    for link in existing.values():
        if link.url not in urls:
            link.delete()
    for order, url in enumerate(urls):
        link = existing.get(url)
        if link is None:
            DisclosureLink.objects.create(item=item, url=url, order=order)
        elif link.order != order:
            link.order = order
            link.save(update_fields=["order"])


# --- the link check -----------------------------------------------------------------------------


def check_options() -> CheckOptions:
    """The link check's bounds from the settings."""
    return CheckOptions(
        timeout=settings.DISCLOSURE_CHECK_TIMEOUT,
        max_redirects=settings.DISCLOSURE_CHECK_MAX_REDIRECTS,
        allow_private=settings.DISCLOSURE_CHECK_ALLOW_PRIVATE,
    )


@dataclass(frozen=True)
class LinkCheck:
    """What one run of the link check did: the addresses checked and how many were left."""

    checked: list[DisclosureLink]
    left: int

    @property
    def good(self) -> int:
        return sum(1 for link in self.checked if link.ok)


def check_links(
    links: Sequence[DisclosureLink], now: datetime.datetime, *, budget: float | None = None
) -> LinkCheck:
    """Request every address (settings' bounds) and record status, final address, type, date.

    With a ``budget`` in seconds (the button, which must answer within a request), addresses
    not started in time keep their last check; pass them least recently checked first, so each
    run moves on.
    """
    links = list(links)
    results = check_urls(
        [link.url for link in links],
        check_options(),
        workers=settings.DISCLOSURE_CHECK_WORKERS,
        budget=budget,
    )
    checked = []
    for link, result in zip(links, results, strict=True):
        if result is None:
            continue
        link.last_status = result.status
        link.final_url = result.final_url[:500]
        link.content_type = result.content_type[:200]
        link.error = result.error[:300]
        link.checked_at = now
        checked.append(link)
    # a check is an observation, not an edit: no history row per address
    DisclosureLink.objects.bulk_update(
        checked, ["last_status", "final_url", "content_type", "error", "checked_at"]
    )
    return LinkCheck(checked, len(links) - len(checked))


def links_of(fiscal_year: FiscalYear, units: Collection[OrgUnit] | None = None):
    """The year's disclosure addresses, of these units or of all."""
    links = DisclosureLink.objects.filter(item__fiscal_year=fiscal_year)
    if units is not None:
        links = links.filter(item__unit__in=units)
    # least recently checked first, so a run cut short by its time budget moves on next time
    return links.order_by(F("checked_at").asc(nulls_first=True), "item__unit_id", "pk")


# --- every unit of the BMA ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitReadiness:
    """One unit's row on the BMA page."""

    unit: OrgUnit
    today: OitToday
    implied: Implied


def bma_readiness(fiscal_year: FiscalYear, units: Sequence[OrgUnit]) -> list[UnitReadiness]:
    """Every unit's readiness for the year, lowest OIT-if-checked-today first."""
    kinds = {framework_id_for(unit, fiscal_year): unit for unit in units}
    questions = {pk: oit_questions(fiscal_year, unit) for pk, unit in kinds.items()}
    weights = {pk: list(framework_for(unit, fiscal_year).tools.all()) for pk, unit in kinds.items()}
    disclosed: dict[int, set[int]] = {}
    for unit_id, question_id in DisclosureItem.objects.filter(
        fiscal_year=fiscal_year,
        status=DisclosureItem.Status.PUBLISHED,
        unit_id__in=[u.pk for u in units],
    ).values_list("unit_id", "question_id"):
        disclosed.setdefault(unit_id, set()).add(question_id)
    latest = latest_tool_values(units, fiscal_year.year)
    rows = []
    for unit in units:
        framework_id = framework_id_for(unit, fiscal_year)
        today = oit_if_checked_today(questions[framework_id], disclosed.get(unit.pk, set()))
        implied = implied_overall(weights[framework_id], today.score, latest.get(unit.pk))
        rows.append(UnitReadiness(unit, today, implied))
    rows.sort(key=lambda r: (r.today.score is not None, r.today.score or 0, r.today.disclosed))
    return rows
