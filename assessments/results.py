"""Result rows: the assessment numbers of the dashboards, the public pages, open data and memos.

Every function here runs a fixed number of queries whatever the number of units or years. For a
few rows (a unit's years, open data) the scores of an assessment are pivoted into columns by
correlated subqueries; the BMA overview, which lists every unit, reads all the year's scores in
two plain queries and pivots them in Python. Summaries and charts are computed afterwards from
rows already fetched. Level, pass and tool scores follow the rules of assessments.scoring either
way: its SQL forms for the subqueries, its Python forms for the pivot.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db.models import (
    Avg,
    Count,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from assessments.frameworks import Target, framework_for, framework_id_for, unit_target
from assessments.models import (
    Assessment,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    OrgUnit,
    Tool,
    ToolScore,
)
from assessments.scoring import (
    round_score,
    shown_level,
    standing,
    standing_annotations,
    tool_score,
    tool_score_expression,
)

INDICATOR_NUMBERS = tuple(Indicator.NUMBERS)
TOOL_CODES = tuple(Tool.Code.values)
ASSESSED_KINDS = (OrgUnit.Kind.DISTRICT, OrgUnit.Kind.AGENCY)
SORT_KEYS = ("rank", "unit", "change", *(c.lower() for c in TOOL_CODES)) + tuple(
    f"i{n}" for n in INDICATOR_NUMBERS
)


def _indicator_score(number: int) -> Subquery:
    return Subquery(
        IndicatorScore.objects.filter(assessment=OuterRef("pk"), indicator__number=number)
        .order_by()
        .values("score")[:1]
    )


def result_annotations() -> tuple[dict, dict]:
    """Annotations that pivot an Assessment queryset's results into columns.

    For the unit pages (a unit's years) and the open-data files, which are cached per
    publication; the BMA overview, drawn for every unit on each staff view, pivots in Python
    instead (:func:`year_rows`). Returned in two steps, as
    :func:`~assessments.scoring.standing_annotations` are.
    """
    standing_first, standing_second = standing_annotations()
    first = {
        "overall": F("official_score"),
        **standing_first,
        **{code.lower(): tool_score_expression(code) for code in TOOL_CODES},
        **{f"i{n}": _indicator_score(n) for n in INDICATOR_NUMBERS},
    }
    return first, standing_second


def _two_places(value) -> Decimal | None:
    return None if value is None else round_score(Decimal(value))


@dataclass(frozen=True)
class ResultRow:
    """One unit's result in one fiscal year, as the tables, charts and open data show it."""

    unit: OrgUnit
    year: int | None
    overall: Decimal | None
    level: str
    passed: bool | None
    previous: Decimal | None
    pass_mark: Decimal | None = None
    tools: dict[str, Decimal | None] = field(default_factory=dict)
    indicators: dict[int, Decimal | None] = field(default_factory=dict)
    rank: int | None = None

    @property
    def change(self) -> Decimal | None:
        """Overall change from the previous fiscal year (None when either is missing)."""
        if self.overall is None or self.previous is None:
            return None
        return self.overall - self.previous

    @property
    def has_result(self) -> bool:
        """Whether the unit has an assessment in the year at all (scored or not)."""
        return self.year is not None

    @classmethod
    def from_annotated(cls, obj, *, unit: OrgUnit, year: int | None) -> "ResultRow":
        """Build from an object carrying the annotations of :func:`result_annotations`."""
        overall = _two_places(obj.overall)
        return cls(
            unit=unit,
            year=year,
            overall=overall,
            level=obj.level_label or "",
            passed=obj.passed,
            previous=_two_places(getattr(obj, "previous_overall", None)),
            pass_mark=_two_places(obj.pass_mark),
            tools={code: _two_places(getattr(obj, code.lower())) for code in TOOL_CODES},
            indicators={n: _two_places(getattr(obj, f"i{n}")) for n in INDICATOR_NUMBERS},
        )


def assessment_results(queryset: QuerySet, *, previous_from: QuerySet | None = None) -> QuerySet:
    """Annotate an Assessment queryset with its results and the previous year's overall score.

    ``previous_from`` limits where the previous year is looked up (the public pages pass
    ``Assessment.objects.published()`` so an unpublished year never leaks into a change).
    """
    first, second = result_annotations()
    previous = (previous_from if previous_from is not None else Assessment.objects).filter(
        unit=OuterRef("unit"), fiscal_year__year=OuterRef("fiscal_year__year") - 1
    )
    return (
        queryset.select_related("unit", "fiscal_year")
        .annotate(**first)
        .annotate(**second)
        .annotate(previous_overall=Subquery(previous.order_by().values("official_score")[:1]))
    )


def result_rows(queryset: QuerySet, *, previous_from: QuerySet | None = None) -> list[ResultRow]:
    """Rows of :func:`assessment_results`, ordered by unit then year (one query)."""
    annotated = assessment_results(queryset, previous_from=previous_from).order_by(
        "unit__order", "unit__name", "fiscal_year__year"
    )
    return [ResultRow.from_annotated(a, unit=a.unit, year=a.fiscal_year.year) for a in annotated]


def _tool_scores_by_code(
    numbers_by_tool: dict[Tool, list[int]],
    indicator_scores: dict[int, Decimal],
    tool_scores: dict[tuple[int, int], Decimal],
) -> dict[str, Decimal | None]:
    """Each tool's score (by code) from one assessment's indicator scores (by number) and tool
    scores (by tool pk and part)."""
    values = {}
    for tool, numbers in numbers_by_tool.items():
        own = [indicator_scores.get(number) for number in numbers]
        value, _basis = tool_score(tool, tool_scores, own)
        values[tool.code] = _two_places(value)
    return values


def year_rows(
    units: QuerySet, fiscal_year: FiscalYear, indicators: list[Indicator]
) -> list[ResultRow]:
    """Every unit of ``units`` with its result in ``fiscal_year``, ordered by unit; a unit without
    an assessment that year gets a row without scores. ``indicators`` are all the indicators of
    the year's framework; its levels and tools should be prefetched.

    Three queries whatever the number of units: the units with their assessment and the previous
    year's overall score, then all their indicator scores and all their tool scores, pivoted
    here rather than by a correlated subquery per score column and unit (which grew with the
    units). Level, pass and tool scores follow the Python forms of the rules in
    :mod:`assessments.scoring`, as :func:`result_annotations` follows their SQL forms; the other
    scores are read from two-place decimal columns, so only the previous year's (a subquery,
    which SQLite returns unquantized) is rounded again.
    """
    framework = fiscal_year.framework
    previous = Assessment.objects.filter(
        unit=OuterRef("pk"), fiscal_year__year=fiscal_year.year - 1
    ).order_by()
    # Only what the rows show: loading every field of 500 units costs more than their scores.
    listed = (
        units.only("code", "name", "short_name", "kind", "order")
        .annotate(
            year_assessment=FilteredRelation(
                "assessments", condition=Q(assessments__fiscal_year=fiscal_year)
            )
        )
        .annotate(
            assessment_pk=F("year_assessment__pk"),
            overall=F("year_assessment__official_score"),
            official_level=F("year_assessment__official_level"),
            previous_overall=Subquery(previous.values("official_score")[:1]),
        )
    )
    # Unordered: the models' default ordering would join the units and years only to sort.
    of_units = {"assessment__fiscal_year": fiscal_year, "assessment__unit__in": units.values("pk")}
    indicator_scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for assessment, number, score in (
        IndicatorScore.objects.filter(**of_units)
        .order_by()
        .values_list("assessment_id", "indicator__number", "score")
    ):
        indicator_scores[assessment][number] = score
    tool_scores: dict[int, dict[tuple[int, int], Decimal]] = defaultdict(dict)
    for assessment, tool, part, score in (
        ToolScore.objects.filter(**of_units)
        .order_by()
        .values_list("assessment_id", "tool_id", "part", "score")
    ):
        tool_scores[assessment][(tool, part)] = score
    # Every tool, also one without indicators (its parts or published score still count).
    numbers_by_tool: dict[Tool, list[int]] = {tool: [] for tool in framework.tools.all()}
    for indicator in indicators:
        numbers_by_tool[indicator.tool].append(indicator.number)

    rows = []
    for unit in listed.order_by("order", "name"):
        own = indicator_scores.get(unit.assessment_pk, {})
        tools = _tool_scores_by_code(numbers_by_tool, own, tool_scores.get(unit.assessment_pk, {}))
        band, passed = standing(framework, unit.overall)
        rows.append(
            ResultRow(
                unit=unit,
                year=None if unit.assessment_pk is None else fiscal_year.year,
                overall=unit.overall,
                level=shown_level(unit.official_level, band),
                passed=passed,
                previous=_two_places(unit.previous_overall),
                pass_mark=framework.pass_mark,
                tools={code: tools.get(code) for code in TOOL_CODES},
                indicators={n: own.get(n) for n in INDICATOR_NUMBERS},
            )
        )
    return rows


def ranked(rows: list[ResultRow]) -> list[ResultRow]:
    """The rows with their rank by overall score, highest first; equal scores share a rank and
    unscored rows have none (the order of the rows is kept)."""
    scores = sorted((row.overall for row in rows if row.overall is not None), reverse=True)
    first_place = {}
    for place, score in enumerate(scores, start=1):
        first_place.setdefault(score, place)
    return [replace(row, rank=first_place.get(row.overall)) for row in rows]


def _sort_value(row: ResultRow, key: str) -> Decimal | None:
    if key == "rank":
        return row.overall
    if key == "change":
        return row.change
    if key.upper() in TOOL_CODES:
        return row.tools.get(key.upper())
    return row.indicators.get(int(key.removeprefix("i")))


def sorted_rows(rows: list[ResultRow], sort: str, descending: bool) -> list[ResultRow]:
    """The rows (in unit order) sorted by a column of :data:`SORT_KEYS`; rows without a value go
    last either way, and equal values keep the unit order."""
    if sort == "unit":
        return list(rows)
    keyed = [(_sort_value(row, sort), row) for row in rows]
    valued = sorted(
        (pair for pair in keyed if pair[0] is not None),
        key=lambda pair: pair[0],
        reverse=descending,
    )
    return [row for _, row in valued] + [row for value, row in keyed if value is None]


@dataclass(frozen=True)
class Summary:
    """Counts and average of the units listed in an overview."""

    units: int
    assessed: int
    passed: int
    average: Decimal | None

    @property
    def not_passed(self) -> int:
        """Assessed units that do not pass."""
        return self.assessed - self.passed


@dataclass(frozen=True)
class IndicatorStanding:
    """One indicator across the listed units: average, lowest and how many are below target."""

    number: int
    name: str
    average: Decimal
    lowest: Decimal
    units: int
    below: int


@dataclass(frozen=True)
class TrendPoint:
    """The BMA's overall score and the district average in one fiscal year."""

    year: int
    bma: Decimal | None
    district_average: Decimal | None
    districts: int


@dataclass(frozen=True)
class BmaOverview:
    """Everything on the BMA overview for one fiscal year."""

    fiscal_year: FiscalYear
    rows: list[ResultRow]
    bma: ResultRow | None
    summary: Summary
    lowest: list[IndicatorStanding]
    trend: list[TrendPoint]
    indicators: list[Indicator]


def _listed_units(kind: str | None) -> QuerySet:
    units = OrgUnit.objects.agencies()
    return units.filter(kind=kind) if kind else units


def _mean(values: list[Decimal]) -> Decimal | None:
    return round_score(sum(values) / len(values)) if values else None


def overview_summary(rows: list[ResultRow]) -> Summary:
    """Units listed, assessed, passing and the average overall score of the overview's rows."""
    scored = [row.overall for row in rows if row.overall is not None]
    return Summary(
        units=len(rows),
        assessed=len(scored),
        passed=sum(1 for row in rows if row.passed),
        average=_mean(scored),
    )


def lowest_indicators(
    rows: list[ResultRow], indicators: list[Indicator], target: Decimal
) -> list[IndicatorStanding]:
    """The ``indicators`` across the overview's rows, lowest average first.

    Computed from the rows already fetched: the same scores a grouped query would read, without
    another pass over every unit's assessment.
    """
    standings = []
    for indicator in indicators:
        scores = [
            row.indicators[indicator.number]
            for row in rows
            if row.indicators.get(indicator.number) is not None
        ]
        if scores:
            standings.append(
                IndicatorStanding(
                    number=indicator.number,
                    name=indicator.name,
                    average=_mean(scores),
                    lowest=min(scores),
                    units=len(scores),
                    below=sum(1 for score in scores if score < target),
                )
            )
    return sorted(standings, key=lambda standing: (standing.average, standing.number))


def bma_trend() -> list[TrendPoint]:
    """The BMA's overall score and the district average for every year held (one query)."""
    bma, district = OrgUnit.Kind.BMA, OrgUnit.Kind.DISTRICT
    years = (
        Assessment.objects.filter(official_score__isnull=False, unit__kind__in=[bma, district])
        .values("fiscal_year__year")
        .annotate(
            bma=Max("official_score", filter=Q(unit__kind=bma)),
            district_average=Avg("official_score", filter=Q(unit__kind=district)),
            districts=Count("pk", filter=Q(unit__kind=district)),
        )
        .order_by("fiscal_year__year")
    )
    return [
        TrendPoint(
            year=y["fiscal_year__year"],
            bma=_two_places(y["bma"]),
            district_average=_two_places(y["district_average"]),
            districts=y["districts"],
        )
        for y in years
    ]


def bma_overview(
    fiscal_year: FiscalYear,
    *,
    kind: str | None = None,
    tool: str | None = None,
    sort: str = "rank",
    descending: bool = True,
) -> BmaOverview:
    """The BMA overview: every assessed unit ranked, the BMA row, summary, lowest indicators, trend.

    Runs seven queries whatever the number of units or years.
    """
    if sort not in SORT_KEYS:
        sort = "rank"
    framework = fiscal_year.framework
    prefetch_related_objects([framework], "levels", "tools")
    indicators = list(Indicator.objects.filter(framework=framework).select_related("tool"))
    bma_kind = OrgUnit.Kind.BMA
    all_rows = year_rows(
        _listed_units(kind) | OrgUnit.objects.filter(kind=bma_kind), fiscal_year, indicators
    )
    rows = ranked([row for row in all_rows if row.unit.kind != bma_kind])
    bma = next((row for row in all_rows if row.unit.kind == bma_kind), None)
    if tool:
        indicators = [indicator for indicator in indicators if indicator.tool.code == tool]
    return BmaOverview(
        fiscal_year=fiscal_year,
        rows=sorted_rows(rows, sort, descending),
        bma=bma,
        summary=overview_summary(rows),
        lowest=lowest_indicators(rows, indicators, framework.pass_mark),
        trend=bma_trend(),
        indicators=indicators,
    )


def unit_scores(unit: OrgUnit, *, published_only: bool = False) -> list[tuple[int, Decimal | None]]:
    """Every fiscal year the unit has an assessment in, oldest first, with its overall score
    (None while not yet scored); one query."""
    assessments = Assessment.objects.filter(unit=unit)
    if published_only:
        assessments = assessments.published()
    years = assessments.order_by("fiscal_year__year").values_list(
        "fiscal_year__year", "official_score"
    )
    return list(years)


def scored_years(scores: list[tuple[int, Decimal | None]]) -> list[tuple[int, Decimal]]:
    """The trend: the (year, score) pairs of :func:`unit_scores` that have a score."""
    return [(year, score) for year, score in scores if score is not None]


@dataclass(frozen=True)
class ScoreLine:
    """One indicator or tool of a unit's year: its score and the change from the year before."""

    number: int | None
    code: str
    name: str
    score: Decimal | None
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        """Change from the year before (None when either is missing)."""
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def label(self) -> str:
        """The chart label: ตัวชี้วัดที่ 1 is written "1 การปฏิบัติหน้าที่"."""
        return f"{self.number} {self.name}" if self.number else self.code


@dataclass(frozen=True)
class UnitYear:
    """A unit's result in one fiscal year beside the year before, line by line."""

    unit: OrgUnit
    fiscal_year: FiscalYear
    current: ResultRow | None
    previous: ResultRow | None
    indicators: list[ScoreLine]
    tools: list[ScoreLine]

    @cached_property
    def framework(self) -> Framework:
        """The framework the unit was assessed with that year (assessments.frameworks)."""
        return framework_for(self.unit, self.fiscal_year)

    @cached_property
    def target(self) -> Target:
        """The unit's target under that framework."""
        return unit_target(self.unit, self.framework)

    def below_target(self) -> list[ScoreLine]:
        """Indicators scored below the unit's target, highest first (as seed 002 lists them)."""
        target = self.target.score
        below = [line for line in self.indicators if line.score is not None and line.score < target]
        return sorted(below, key=lambda line: (-line.score, line.number))

    def chart_rows(self) -> list[tuple[str, Decimal | None]]:
        """(label, score) pairs for charts.indicator_chart_svg."""
        return [(line.label, line.score) for line in self.indicators]


def unit_year(unit: OrgUnit, fiscal_year: FiscalYear, *, published_only: bool = False) -> UnitYear:
    """The unit's result in ``fiscal_year`` and the year before (two queries).

    With ``published_only`` an unpublished year is treated as missing, for the public pages.
    """
    assessments = Assessment.objects.published() if published_only else Assessment.objects.all()
    years = [fiscal_year.year, fiscal_year.year - 1]
    rows = result_rows(
        assessments.filter(unit=unit, fiscal_year__year__in=years), previous_from=assessments
    )
    by_year = {row.year: row for row in rows}
    current, previous = by_year.get(fiscal_year.year), by_year.get(fiscal_year.year - 1)
    indicators = Indicator.objects.filter(
        framework_id=framework_id_for(unit, fiscal_year)
    ).select_related("tool")
    tool_names = {}
    lines = []
    for indicator in indicators:
        tool_names.setdefault(indicator.tool.code, indicator.tool.name)
        lines.append(
            ScoreLine(
                number=indicator.number,
                code=indicator.tool.code,
                name=indicator.name,
                score=current.indicators.get(indicator.number) if current else None,
                previous=previous.indicators.get(indicator.number) if previous else None,
            )
        )
    tools = [
        ScoreLine(
            number=None,
            code=code,
            name=name,
            score=current.tools.get(code) if current else None,
            previous=previous.tools.get(code) if previous else None,
        )
        for code, name in tool_names.items()
    ]
    return UnitYear(unit, fiscal_year, current, previous, lines, tools)
