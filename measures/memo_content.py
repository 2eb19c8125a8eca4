"""What a memo's attachment shows, gathered from live data (never from typed copies).

One function per memo kind returns plain dataclasses for the template; each runs a fixed number
of queries whatever the number of weaknesses, measures or steps. Scores are read from the
assessment's score rows, so a corrected score shows up in every memo that cites it.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db.models import Prefetch
from django.urls import reverse

from assessments.frameworks import framework_for, framework_id_for
from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    OrgUnit,
    QuestionScore,
    SubIndicatorScore,
    Tool,
    ToolScore,
)
from assessments.models.framework import Sourced, unconfirmed_note
from assessments.results import ScoreLine, UnitYear, unit_scores, unit_year
from measures.models import IndicatorAnalysis, Limitation, Measure, MeasureStep, Memo, Weakness

TREND_YEARS = 5


@dataclass(frozen=True)
class Scores:
    """Every score of one assessment, keyed for lookup: one query per score table."""

    indicators: dict[int, Decimal]
    sub_indicators: dict[int, Decimal]
    questions: dict[int, QuestionScore]

    @classmethod
    def of(cls, assessment: Assessment | None) -> "Scores":
        if assessment is None:
            return cls({}, {}, {})
        return cls(
            indicators=dict(
                IndicatorScore.objects.filter(assessment=assessment).values_list(
                    "indicator_id", "score"
                )
            ),
            sub_indicators=dict(
                SubIndicatorScore.objects.filter(assessment=assessment).values_list(
                    "sub_indicator_id", "score"
                )
            ),
            questions={
                s.question_id: s for s in QuestionScore.objects.filter(assessment=assessment)
            },
        )


@dataclass(frozen=True)
class WeakItem:
    """A weakness with the live scores of its indicator, sub-indicator and question."""

    weakness: Weakness
    indicator_score: Decimal | None
    sub_score: Decimal | None
    question_score: Decimal | None
    lowest_share: Decimal | None
    remark: str = ""

    @property
    def indicator(self) -> Indicator:
        return self.weakness.indicator

    @property
    def label_code(self) -> str:
        """The number of the weak (sub-)indicator: "9.1", else "2"."""
        w = self.weakness
        return w.sub_indicator.code if w.sub_indicator_id else str(w.indicator.number)

    @property
    def label_name(self) -> str:
        w = self.weakness
        return w.sub_indicator.name if w.sub_indicator_id else w.indicator.name

    @property
    def topic(self) -> str:
        """The evaluation topic: as staff wrote it, else the evaluator's remark on the item."""
        return self.weakness.topic or self.remark

    @property
    def score(self) -> Decimal | None:
        """The score of the weak item itself: question, else sub-indicator, else indicator."""
        w = self.weakness
        if w.question_id:
            live = self.question_score
        elif w.sub_indicator_id:
            live = self.sub_score
        else:
            live = self.indicator_score
        return live if live is not None else w.score

    @property
    def is_oit(self) -> bool:
        return self.weakness.indicator.tool.code == Tool.Code.OIT


@dataclass
class MeasureItem:
    """A measure with its ordered steps and the owner lines of the responsible column."""

    measure: Measure
    steps: list[MeasureStep]
    owners: list[str]

    @property
    def owner_text(self) -> str:
        """The owners and the supervision on one line, as the seeds write them."""
        return " ".join([*self.owners, self.measure.supervision]).strip()


@dataclass
class IndicatorRow:
    """One indicator of a measures table: its score, analysis and measures."""

    indicator: Indicator
    score: Decimal | None
    analysis: IndicatorAnalysis | None = None
    measures: list[MeasureItem] = field(default_factory=list)

    @property
    def step_count(self) -> int:
        """Rows the indicator spans in a results table (one per step, at least one)."""
        return max(1, sum(max(1, len(m.steps)) for m in self.measures))


@dataclass
class ToolSection:
    """Rows grouped under a tool heading such as แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)."""

    tool: Tool
    rows: list = field(default_factory=list)


@dataclass
class WeakQuestionRow:
    """A weak question in seed 003's table; rowspan 0 = its measure cell is the one above."""

    item: WeakItem
    measure: MeasureItem | None
    rowspan: int = 1


@dataclass
class IndicatorBlock:
    """Weak questions of one indicator, under its heading row."""

    indicator: Indicator
    rows: list[WeakQuestionRow] = field(default_factory=list)


@dataclass(frozen=True)
class ResultSummary:
    """The result summary of seed 002 §2: score, level, change, trend and indicators, as the
    unit's dashboard reads them (:func:`assessments.results.unit_year`)."""

    assessment: Assessment
    result: UnitYear
    trend: list[tuple[int, Decimal | None]]

    @property
    def level(self) -> str:
        """The level as published, else the band of the score."""
        return self.result.current.level

    @property
    def change(self) -> Decimal | None:
        """The change of the overall score from the year before."""
        return self.result.current.change

    @property
    def previous_year(self) -> int:
        return self.result.fiscal_year.year - 1

    @property
    def decreased(self) -> bool:
        return self.change is not None and self.change < 0

    @property
    def change_size(self) -> Decimal | None:
        return None if self.change is None else abs(self.change)

    @property
    def indicators(self) -> list[ScoreLine]:
        return self.result.indicators

    @property
    def below_target(self) -> list[ScoreLine]:
        return self.result.below_target()

    @property
    def target(self) -> Decimal:
        """The unit's target (assessments.frameworks.unit_target): its own, else the pass mark."""
        return self.result.target.score

    @property
    def target_label(self) -> str:
        """Which target, when the unit has its own (the NACC's pass mark is implied)."""
        return self.result.target.note if self.result.target.own else ""


@dataclass
class WeakPointsContent:
    """Seeds 001 and 000: weak points, then every indicator's measures by tool (seed 001, with
    the analysis) or only the indicators with measures, with their steps and results (seed 000)."""

    weak_items: list[WeakItem]
    weak_indicator_numbers: list[int]
    tools: list[ToolSection]


@dataclass
class QuestionAnalysisContent:
    """Seed 003: weak questions by tool and indicator, each with its measure and follow-up."""

    tools: list[ToolSection]


@dataclass
class PlanContent:
    """Seeds 004 and 002: measures by indicator, measures by issue, constraints, result summary."""

    overview: ResultSummary | None
    by_indicator: list[IndicatorRow]
    by_issue: list[MeasureItem]
    limitations: list[Limitation]


def _weaknesses(assessment: Assessment | None) -> list[Weakness]:
    if assessment is None:
        return []
    return list(
        Weakness.objects.filter(assessment=assessment)
        .select_related("indicator__tool", "sub_indicator", "question")
        .order_by("indicator__tool__order", "indicator__number", "question__order", "order", "pk")
    )


def _weak_items(assessment: Assessment | None, scores: Scores) -> list[WeakItem]:
    items = []
    for weakness in _weaknesses(assessment):
        question_score = scores.questions.get(weakness.question_id)
        items.append(
            WeakItem(
                weakness=weakness,
                indicator_score=scores.indicators.get(weakness.indicator_id),
                sub_score=scores.sub_indicators.get(weakness.sub_indicator_id),
                question_score=question_score.score if question_score else None,
                lowest_share=question_score.lowest_option_share if question_score else None,
                remark=question_score.remark if question_score else "",
            )
        )
    return items


def _measures(memo: Memo, **filters) -> list[MeasureItem]:
    """The memo's measures: the counted ones (MeasureQuerySet.counted), as the dashboards count
    them; a draft is not yet a commitment, and a cancelled measure is no longer planned."""
    measures = (
        Measure.objects.counted()
        .filter(unit=memo.unit, fiscal_year=memo.fiscal_year, **filters)
        .select_related("indicator__tool")
        .prefetch_related(
            Prefetch("steps", queryset=MeasureStep.objects.order_by("order", "pk")),
            "responsible_divisions",
        )
        .order_by("indicator__number", "order", "pk")
    )
    return [
        MeasureItem(measure=measure, steps=list(measure.steps.all()), owners=measure.owner_names())
        for measure in measures
    ]


def _shown_indicators(memo: Memo) -> list[Indicator]:
    """The indicators of :func:`shown_framework`, by tool."""
    return list(
        Indicator.objects.filter(framework_id=framework_id_for(memo.unit, _shown_year(memo)))
        .select_related("tool")
        .order_by("tool__order", "number")
    )


def _group_by_tool(rows: list[IndicatorRow]) -> list[ToolSection]:
    groups: list[ToolSection] = []
    for row in rows:
        if not groups or groups[-1].tool.pk != row.indicator.tool_id:
            groups.append(ToolSection(tool=row.indicator.tool))
        groups[-1].rows.append(row)
    return groups


def _indicator_rows(memo: Memo, scores: Scores, measures: list[MeasureItem]) -> list[IndicatorRow]:
    """Every indicator of the assessed year with its score and the measures that address it.

    Measures point at an indicator of the year the work is done; they are matched by number,
    which is stable across frameworks.
    """
    by_number: dict[int, list[MeasureItem]] = defaultdict(list)
    for item in measures:
        if item.measure.indicator_id:
            by_number[item.measure.indicator.number].append(item)
    analyses = {}
    if memo.assessment_id:
        analyses = {
            a.indicator_id: a for a in IndicatorAnalysis.objects.filter(assessment=memo.assessment)
        }
    return [
        IndicatorRow(
            indicator=indicator,
            score=scores.indicators.get(indicator.pk),
            analysis=analyses.get(indicator.pk),
            measures=by_number.get(indicator.number, []),
        )
        for indicator in _shown_indicators(memo)
    ]


def _weak_points_content(memo: Memo, *, measured_only: bool) -> WeakPointsContent:
    scores = Scores.of(memo.assessment)
    items = _weak_items(memo.assessment, scores)
    rows = _indicator_rows(memo, scores, _measures(memo))
    if measured_only:
        rows = [row for row in rows if row.measures]
    return WeakPointsContent(
        weak_items=items,
        weak_indicator_numbers=sorted({i.indicator.number for i in items}),
        tools=_group_by_tool(rows),
    )


def analysis_content(memo: Memo) -> WeakPointsContent:
    """Seed 001 (O42): the weakness table, each weak point's analysis, measures by tool."""
    return _weak_points_content(memo, measured_only=False)


def results_content(memo: Memo) -> WeakPointsContent:
    """Seed 000 (O43): weak points with their correction, every measure's steps and results."""
    return _weak_points_content(memo, measured_only=True)


def question_analysis_content(memo: Memo) -> QuestionAnalysisContent:
    """Seed 003: every weak question with the measure that answers it.

    A weakness with no measure of its own shares the measure cell of the row above within the
    same indicator (the merged cells of the seed); the first row of an indicator without a
    measure leaves the cell empty.
    """
    scores = Scores.of(memo.assessment)
    items = _weak_items(memo.assessment, scores)
    by_weakness: dict[int, MeasureItem] = {}
    for measure in _measures(memo, weakness__isnull=False):
        by_weakness.setdefault(measure.measure.weakness_id, measure)

    groups: list[ToolSection] = []
    for item in items:
        indicator = item.indicator
        if not groups or groups[-1].tool.pk != indicator.tool_id:
            groups.append(ToolSection(tool=indicator.tool))
        blocks = groups[-1].rows
        if not blocks or blocks[-1].indicator.pk != indicator.pk:
            blocks.append(IndicatorBlock(indicator=indicator))
        rows = blocks[-1].rows
        measure = by_weakness.get(item.weakness.pk)
        if measure is None and rows and rows[-1].measure is not None:
            owner = next(r for r in reversed(rows) if r.rowspan)
            owner.rowspan += 1
            rows.append(WeakQuestionRow(item=item, measure=owner.measure, rowspan=0))
        else:
            rows.append(WeakQuestionRow(item=item, measure=measure))
    return QuestionAnalysisContent(tools=groups)


def result_summary(assessment: Assessment) -> ResultSummary:
    """Score, level, change from last year, trend over TREND_YEARS years and indicators of an
    assessment (three queries)."""
    year = assessment.fiscal_year.year
    scores = dict(unit_scores(assessment.unit))
    return ResultSummary(
        assessment=assessment,
        result=unit_year(assessment.unit, assessment.fiscal_year),
        trend=[(y, scores.get(y)) for y in range(year - TREND_YEARS + 1, year + 1)],
    )


def plan_content(memo: Memo) -> PlanContent:
    """Seeds 004 and 002: measures tied to an indicator (by indicator), measures tied to an issue
    only (by issue, with their steps), the unit's constraints, and the cited assessment's
    result summary when the memo cites one."""
    measures = _measures(memo)
    scores = Scores.of(memo.assessment)
    with_indicator = [m for m in measures if m.measure.indicator_id]
    rows = [row for row in _indicator_rows(memo, scores, with_indicator) if row.measures]
    return PlanContent(
        overview=result_summary(memo.assessment) if memo.assessment_id else None,
        by_indicator=rows,
        by_issue=[m for m in measures if not m.measure.indicator_id],
        limitations=list(
            Limitation.objects.filter(unit=memo.unit, fiscal_year=memo.fiscal_year).order_by(
                "order", "pk"
            )
        ),
    )


CONTENT = {
    Memo.Kind.ANALYSIS: analysis_content,
    Memo.Kind.RESULTS: results_content,
    Memo.Kind.QUESTION_ANALYSIS: question_analysis_content,
    Memo.Kind.MEASURES_PLAN: plan_content,
}


def memo_content(memo: Memo):
    """The attachment content of a memo, by its kind."""
    return CONTENT[memo.kind](memo)


def default_assessment(unit: OrgUnit, fiscal_year: FiscalYear) -> Assessment | None:
    """The assessment a new memo of ``fiscal_year`` cites: the unit's results of the year
    before, the ones its measures answer (None while they are not recorded)."""
    return (
        Assessment.objects.filter(
            unit=unit, fiscal_year__year=FiscalYear.answered_year(fiscal_year.year)
        )
        .select_related("unit", "fiscal_year")
        .first()
    )


def _walk(value, found: dict) -> None:
    if isinstance(value, Sourced):
        found[(type(value), value.pk)] = value
    elif isinstance(value, Weakness | Measure):
        for name in ("indicator", "sub_indicator", "question"):
            if getattr(value, f"{name}_id", None):
                found[(name, getattr(value, f"{name}_id"))] = getattr(value, name)
    elif isinstance(value, MeasureItem | WeakItem | IndicatorRow | WeakQuestionRow):
        for item in fields(value):
            _walk(getattr(value, item.name), found)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            if item.name != "assessment":
                _walk(getattr(value, item.name), found)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, found)


def confidence_note(memo: Memo, content) -> str:
    """The memo's note on the framework items it shows (indicators, sub-indicators, questions)
    that are not confirmed ("" when every shown item is)."""
    found: dict = {}
    _walk(content, found)
    unknown = sum(1 for item in found.values() if item.confidence == Confidence.UNKNOWN)
    elsewhere = sum(1 for item in found.values() if item.confidence == Confidence.OTHER_AGENCY_KIND)
    return unconfirmed_note(
        unknown, elsewhere, subject="รายการของเกณฑ์ที่แสดงในเอกสารนี้", thai=memo.thai_numerals
    )


def shown_framework(memo: Memo) -> Framework:
    """The framework whose items (tools, indicators, questions) the attachment shows: the cited
    assessment's, else the memo's own year's."""
    return framework_for(memo.unit, _shown_year(memo))


def _shown_year(memo: Memo) -> FiscalYear:
    return memo.assessment.fiscal_year if memo.assessment_id else memo.fiscal_year


@dataclass(frozen=True)
class EmptyTable:
    """Why a table of the attachment is empty, and where to fill it (shown on screen only)."""

    table: str
    reason: str
    fix_label: str
    fix_url: str


def _has_measures(content) -> bool:
    if isinstance(content, PlanContent):
        return bool(content.by_indicator or content.by_issue)
    if isinstance(content, QuestionAnalysisContent):
        return any(row.measure for group in content.tools for b in group.rows for row in b.rows)
    return any(row.measures for group in content.tools for row in group.rows)


def _has_weak_items(content) -> bool:
    if isinstance(content, QuestionAnalysisContent):
        return bool(content.tools)
    return bool(content.weak_items)


def empty_tables(memo: Memo, content) -> list[EmptyTable]:
    """The attachment's tables that came out empty, each with the reason and a link to the page
    where the missing rows are added. For the memo page only, never for its PDF."""
    year = memo.fiscal_year.year
    notes = []
    measures_url = reverse("measures:measure-list", kwargs={"code": memo.unit.code, "year": year})
    if not isinstance(content, PlanContent) and not _has_weak_items(content):
        if memo.assessment_id:
            notes.append(
                EmptyTable(
                    table="ตารางจุดอ่อน/ข้อบกพร่อง",
                    reason=f"ยังไม่มีจุดอ่อนที่บันทึกไว้ของผลการประเมินปี {memo.assessment.fiscal_year.year}",
                    fix_label="ทะเบียนจุดอ่อน",
                    fix_url=reverse("measures:weakness-list", kwargs={"pk": memo.assessment_id}),
                )
            )
        else:
            notes.append(
                EmptyTable(
                    table="ตารางจุดอ่อน/ข้อบกพร่อง",
                    reason="บันทึกนี้ยังไม่ได้อ้างถึงผลการประเมิน",
                    fix_label="แก้ไขบันทึกข้อความ",
                    fix_url=reverse("measures:memo-edit", kwargs={"pk": memo.pk}),
                )
            )
    if not _has_measures(content):
        answered = FiscalYear.answered_year(year)
        notes.append(
            EmptyTable(
                table="ตารางมาตรการ",
                reason=(
                    f"ยังไม่มีมาตรการของ{memo.unit.name} ปีงบประมาณ {year} "
                    f"(มาตรการที่ตอบผลการประเมินปี {answered})"
                ),
                fix_label=f"เพิ่มมาตรการปี {year}",
                fix_url=measures_url,
            )
        )
    return notes


def tool_trend(assessment: Assessment) -> list[tuple[Tool, list[tuple[int, Decimal | None]]]]:
    """Each tool of the assessment's framework with its whole-tool score in each of the
    TREND_YEARS years up to the assessment's (None where the year has none), matched by tool
    code across the years' frameworks: the ผลการประเมินรายเครื่องมือ charts of seed 002."""
    year = assessment.fiscal_year.year
    years = range(year - TREND_YEARS + 1, year + 1)
    scores = {
        (y, code): score
        for y, code, score in ToolScore.objects.filter(
            assessment__unit_id=assessment.unit_id,
            assessment__fiscal_year__year__range=(years[0], years[-1]),
            part=0,
        ).values_list("assessment__fiscal_year__year", "tool__code", "score")
    }
    tools = Tool.objects.filter(
        framework_id=framework_id_for(assessment.unit, assessment.fiscal_year)
    ).order_by("order")
    return [(tool, [(y, scores.get((y, tool.code))) for y in years]) for tool in tools]
