"""Who sees which dashboard, and the measure and memo figures the dashboards show.

A unit's dashboard for fiscal year N shows the assessment of year N and its weaknesses, then the
work that answers them: the measures and memos of fiscal year N + 1 (DESIGN.md, "The yearly
cycle"). Draft measures (copied from last year and not yet confirmed) are left out everywhere.
Every function runs a fixed number of queries whatever the number of units, years or measures.
"""

import datetime
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse

from assessments.access import is_central
from assessments.models import FiscalYear, Membership, OrgUnit
from ita_portal.stats import (
    TOOL_CODES,
    ResultRow,
    UnitYear,
    scored_years,
    unit_scores,
    unit_year,
)
from measures.models import Measure, Memo, Weakness

DUE_SOON_DAYS = 30
# Units per page of the BMA overview: the BMA's 50 districts and its agencies fit on one page.
OVERVIEW_PAGE_SIZE = 100
ALL_DIVISIONS = "ทุกฝ่าย"
NO_DIVISION = "ไม่ระบุฝ่าย"
DASHBOARD_KINDS = (OrgUnit.Kind.BMA, OrgUnit.Kind.AGENCY, OrgUnit.Kind.DISTRICT)
OPEN = ~Q(status__in=[Measure.Status.DONE, Measure.Status.CANCELLED])


def follow_up_year(year: int) -> int:
    """The fiscal year whose measures and memos answer the assessment of ``year``."""
    return year + 1


def can_see_all_units(user) -> bool:
    """The central team and BMA executives (a director membership on the BMA unit itself)."""
    if is_central(user):
        return True
    return (
        user.is_authenticated
        and user.memberships.filter(
            role=Membership.Role.DIRECTOR, unit__kind=OrgUnit.Kind.BMA
        ).exists()
    )


def dashboard_units(user) -> QuerySet:
    """Units whose dashboard the user may open: their own units and every unit below them."""
    return OrgUnit.objects.visible_to(user).filter(kind__in=DASHBOARD_KINDS)


def default_year() -> int | None:
    """The latest fiscal year with any assessment, else the latest fiscal year held."""
    years = FiscalYear.objects.order_by("-year")
    assessed = years.filter(assessments__isnull=False).values_list("year", flat=True).first()
    return assessed or years.values_list("year", flat=True).first()


def _live_measures(unit: OrgUnit, year: int) -> QuerySet:
    return Measure.objects.filter(unit=unit, fiscal_year__year=year, draft=False)


@dataclass(frozen=True)
class StatusCounts:
    """Measures not started, in progress and done, and how many of the open ones are overdue."""

    label: str
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        """Measures counted (overdue ones are already among the open ones)."""
        return self.not_started + self.in_progress + self.done

    @classmethod
    def of(
        cls, label: str, measures: list[tuple[str, datetime.date | None]], today: datetime.date
    ) -> "StatusCounts":
        """Count the (status, deadline) pairs of measures that are not cancelled."""
        statuses = [status for status, _ in measures]
        open_statuses = (Measure.Status.NOT_STARTED, Measure.Status.IN_PROGRESS)
        return cls(
            label=label,
            not_started=statuses.count(Measure.Status.NOT_STARTED),
            in_progress=statuses.count(Measure.Status.IN_PROGRESS),
            done=statuses.count(Measure.Status.DONE),
            overdue=sum(
                1
                for status, deadline in measures
                if status in open_statuses and deadline is not None and deadline < today
            ),
        )


@dataclass(frozen=True)
class MeasuresSummary:
    """The status of a unit's measures in one fiscal year, overall and by responsible division.

    A measure for every division (ทุกฝ่าย) is counted once, in its own row, not under each
    division; cancelled measures are not counted.
    """

    total: StatusCounts
    divisions: list[StatusCounts]
    all_divisions: StatusCounts


def measures_summary(unit: OrgUnit, year: int, today: datetime.date) -> MeasuresSummary:
    """Counts by status for the unit's measures of ``year`` (one query).

    One row per measure and responsible division, counted here: a unit plans a few dozen
    measures a year, and one pass gives the totals and the divisions alike.
    """
    rows = (
        _live_measures(unit, year)
        .exclude(status=Measure.Status.CANCELLED)
        .values_list(
            "pk",
            "status",
            "deadline",
            "all_divisions",
            "responsible_divisions__name",
            "responsible_divisions__order",
        )
    )
    measures, every_division = {}, {}
    by_division: dict[tuple, list] = {}
    for pk, status, deadline, all_divisions, name, order in rows:
        measures[pk] = (status, deadline)
        if all_divisions:
            every_division[pk] = (status, deadline)
        else:
            # Divisions in their order; measures without one come last.
            key = (order is None, order or 0, name or NO_DIVISION)
            by_division.setdefault(key, []).append((status, deadline))
    return MeasuresSummary(
        total=StatusCounts.of("รวม", list(measures.values()), today),
        divisions=[
            StatusCounts.of(key[2], pairs, today) for key, pairs in sorted(by_division.items())
        ],
        all_divisions=StatusCounts.of(ALL_DIVISIONS, list(every_division.values()), today),
    )


def _with_divisions(measures: QuerySet) -> QuerySet:
    divisions = OrgUnit.objects.order_by("order", "name")
    return measures.select_related("unit", "fiscal_year", "indicator").prefetch_related(
        Prefetch("responsible_divisions", queryset=divisions)
    )


def next_deadlines(unit: OrgUnit, year: int, today: datetime.date, *, limit: int = 5) -> list:
    """The unit's open measures of ``year`` with the nearest deadlines from today (two queries)."""
    upcoming = _live_measures(unit, year).filter(OPEN, deadline__gte=today)
    return list(_with_divisions(upcoming).order_by("deadline", "order", "pk")[:limit])


def memos_of(unit: OrgUnit, fiscal_year: FiscalYear, *, memos: QuerySet | None = None) -> QuerySet:
    """Memos about the unit's assessment of ``fiscal_year``: those citing it (whichever unit wrote
    them, as a secretariat answers the BMA's result) and the unit's own memos of the follow-up
    year, taken from ``memos`` (the public pages pass ``Memo.objects.published()``)."""
    about = Q(assessment__unit=unit, assessment__fiscal_year=fiscal_year) | Q(
        unit=unit, fiscal_year__year=follow_up_year(fiscal_year.year)
    )
    source = memos if memos is not None else Memo.objects.all()
    return (
        source.filter(about)
        .select_related("unit", "fiscal_year")
        .order_by("fiscal_year__year", "created_at", "pk")
    )


def division_names(measure: Measure) -> list[str]:
    """Who is responsible, as the plans write it (ทุกฝ่าย, or the divisions' names)."""
    if measure.all_divisions:
        return [ALL_DIVISIONS]
    names = [division.name for division in measure.responsible_divisions.all()]
    return names or [NO_DIVISION]


@dataclass
class TrackedMeasure:
    """A measure on the tracker, with how late it is or how soon it is due."""

    measure: Measure
    days: int
    url: str

    @property
    def overdue(self) -> bool:
        """Past its deadline."""
        return self.days < 0

    @property
    def late_days(self) -> int:
        """Days past the deadline (0 when not late)."""
        return max(0, -self.days)


@dataclass
class UnitMeasures:
    """One unit's overdue and due-soon measures, grouped by responsible division."""

    unit: OrgUnit
    divisions: dict[str, list[TrackedMeasure]] = field(default_factory=OrderedDict)
    overdue: int = 0
    due_soon: int = 0


def tracked_measures(user, today: datetime.date) -> list[UnitMeasures]:
    """Open measures overdue or due within DUE_SOON_DAYS in every unit the user sees (2 queries).

    A measure with several responsible divisions is listed under each of them.
    """
    horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    measures = Measure.objects.filter(
        OPEN,
        draft=False,
        deadline__lte=horizon,
        unit__in=OrgUnit.objects.visible_to(user),
    ).order_by("unit__order", "unit__name", "deadline", "pk")
    units: dict[int, UnitMeasures] = OrderedDict()
    for measure in _with_divisions(measures):
        group = units.setdefault(measure.unit_id, UnitMeasures(unit=measure.unit))
        tracked = TrackedMeasure(
            measure,
            (measure.deadline - today).days,
            reverse("measures:measure-detail", kwargs={"pk": measure.pk}),
        )
        if tracked.overdue:
            group.overdue += 1
        else:
            group.due_soon += 1
        for name in division_names(measure):
            group.divisions.setdefault(name, []).append(tracked)
    return list(units.values())


@dataclass(frozen=True)
class UnitDashboard:
    """Everything on a unit's dashboard for one fiscal year (eight queries)."""

    result: UnitYear
    follow_up: int
    trend: list[tuple[int, Decimal]]
    years: list[int]
    weaknesses: list[Weakness]
    summary: MeasuresSummary
    deadlines: list[Measure]
    memos: list[Memo]


def unit_dashboard(unit: OrgUnit, fiscal_year: FiscalYear, today: datetime.date) -> UnitDashboard:
    """Collect the unit's result, trend, weaknesses, measures and memos for ``fiscal_year``."""
    follow_up = follow_up_year(fiscal_year.year)
    weaknesses = Weakness.objects.filter(
        assessment__unit=unit, assessment__fiscal_year=fiscal_year
    ).select_related("indicator", "sub_indicator", "question")
    scores = unit_scores(unit)
    return UnitDashboard(
        result=unit_year(unit, fiscal_year),
        follow_up=follow_up,
        trend=scored_years(scores),
        years=[year for year, _ in reversed(scores)],
        weaknesses=list(weaknesses),
        summary=measures_summary(unit, follow_up, today),
        deadlines=next_deadlines(unit, follow_up, today),
        memos=list(memos_of(unit, fiscal_year)),
    )


@dataclass(frozen=True)
class Column:
    """A score column of the overview table: a tool or an indicator, and how to sort by it."""

    key: str
    label: str
    title: str
    tool: str | None = None
    number: int | None = None


def overview_columns(indicators: list, *, tool: str | None, indicator: int | None) -> list[Column]:
    """The tool and indicator columns the overview shows under its tool and indicator filters."""
    if indicator is not None:
        indicators = [i for i in indicators if i.number == indicator]
    tools = [tool] if tool else list(TOOL_CODES)
    if indicator is not None:
        tools = sorted({i.tool.code for i in indicators}, key=TOOL_CODES.index)
    names = {i.tool.code: i.tool.name for i in indicators}
    columns = [
        Column(key=code.lower(), label=code, title=names.get(code, code), tool=code)
        for code in tools
    ]
    columns += [
        Column(
            key=f"i{i.number}",
            label=str(i.number),
            title=f"ตัวชี้วัดที่ {i.number} {i.name}",
            number=i.number,
        )
        for i in indicators
    ]
    return columns


def row_values(row: ResultRow, columns: list[Column]) -> list[Decimal | None]:
    """The row's scores in column order (None where there is no score)."""
    return [
        row.tools.get(column.tool) if column.tool else row.indicators.get(column.number)
        for column in columns
    ]
