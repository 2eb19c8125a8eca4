"""Who sees which dashboard, and the measure and memo figures the dashboards show.

A unit's dashboard for fiscal year N shows the assessment of year N and its weaknesses, then the
work that answers them: the measures and memos of fiscal year N + 1 (DESIGN.md, "The yearly
cycle"). Draft measures (copied from last year and not yet confirmed) are left out everywhere.
Every function runs a fixed number of queries whatever the number of units, years or measures.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from assessments.access import is_central
from assessments.models import FiscalYear, Membership, OrgUnit
from assessments.results import (
    TOOL_CODES,
    ResultRow,
    UnitYear,
    scored_years,
    unit_scores,
    unit_year,
)
from measures.models import Measure, Memo, Weakness
from portal_core.excel import OutSheet
from portal_core.thai import be_numeric_date

DUE_SOON_DAYS = 30
# Units per page of the BMA overview: the BMA's 50 districts and its agencies fit on one page.
OVERVIEW_PAGE_SIZE = 100
ALL_DIVISIONS = "ทุกฝ่าย"
NO_DIVISION = "ไม่ระบุฝ่าย"
DASHBOARD_KINDS = (OrgUnit.Kind.BMA, OrgUnit.Kind.AGENCY, OrgUnit.Kind.DISTRICT)
OPEN = ~Q(status__in=[Measure.Status.DONE, Measure.Status.CANCELLED])


def follow_up_year(year: int) -> int:
    """The fiscal year whose measures and memos answer the assessment of ``year``."""
    return FiscalYear.answering_year(year)


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


@dataclass(frozen=True)
class TrackerQuery:
    """What the measures tracker lists; every field is optional and the defaults show what
    needs attention now: open measures past their deadline or due within DUE_SOON_DAYS."""

    year: int | None = None
    unit: str | None = None  # a unit code
    division: str | None = None  # a division name, as every district names its divisions alike
    status: str = "open"  # "open", "all" or a Measure.Status value
    due: str = "attention"  # "attention" (overdue or due soon), "overdue" or "all"


@dataclass
class TrackedMeasure:
    """A measure on the tracker: its divisions, and how late it is or how soon it is due."""

    measure: Measure
    divisions: list[str]
    days: int | None
    url: str

    @property
    def open(self) -> bool:
        """Neither finished nor cancelled."""
        return self.measure.status not in (Measure.Status.DONE, Measure.Status.CANCELLED)

    @property
    def overdue(self) -> bool:
        """Open and past its deadline."""
        return self.open and self.days is not None and self.days < 0

    @property
    def due_soon(self) -> bool:
        """Open and due within DUE_SOON_DAYS."""
        return self.open and self.days is not None and 0 <= self.days <= DUE_SOON_DAYS

    @property
    def late_days(self) -> int:
        """Days past the deadline (0 when not late)."""
        return max(0, -self.days) if self.overdue else 0


@dataclass
class TrackerYear:
    """The tracked measures of one fiscal year; years before ``current`` are left over."""

    year: int
    current_year: int
    items: list[TrackedMeasure] = field(default_factory=list)

    @property
    def earlier(self) -> bool:
        """A fiscal year that has ended."""
        return self.year < self.current_year

    @property
    def left_over(self) -> bool:
        """An ended fiscal year with measures still open."""
        return self.earlier and any(item.open for item in self.items)

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)

    @property
    def due_soon(self) -> int:
        return sum(item.due_soon for item in self.items)


def _tracker_filter(query: TrackerQuery, today: datetime.date) -> Q:
    condition = Q()
    if query.year:
        condition &= Q(fiscal_year__year=query.year)
    if query.unit:
        condition &= Q(unit__code=query.unit)
    if query.division == ALL_DIVISIONS:
        condition &= Q(all_divisions=True)
    elif query.division:
        condition &= Q(all_divisions=True) | Q(
            pk__in=Measure.objects.filter(responsible_divisions__name=query.division).values("pk")
        )
    if query.status == "open":
        condition &= OPEN
    elif query.status in Measure.Status.values:
        condition &= Q(status=query.status)
    if query.due == "attention":
        horizon = today + datetime.timedelta(days=DUE_SOON_DAYS)
        condition &= OPEN & Q(deadline__lte=horizon)
    elif query.due == "overdue":
        condition &= OPEN & Q(deadline__lt=today)
    return condition


def tracked_measures(
    user, today: datetime.date, query: TrackerQuery = TrackerQuery()
) -> list[TrackerYear]:
    """The confirmed measures of every unit the user sees that match ``query``, one entry per
    measure (its divisions listed with it), grouped by fiscal year: the current fiscal year and
    later ones first, then what is left over from earlier years, newest first (2 queries)."""
    measures = Measure.objects.filter(
        _tracker_filter(query, today),
        draft=False,
        unit__in=OrgUnit.objects.visible_to(user),
    ).order_by("unit__order", "unit__name", "deadline", "order", "pk")
    current = FiscalYear.year_of(today)
    years: dict[int, TrackerYear] = {}
    for measure in _with_divisions(measures):
        year = measure.fiscal_year.year
        group = years.setdefault(year, TrackerYear(year=year, current_year=current))
        days = (measure.deadline - today).days if measure.deadline else None
        url = measure.get_absolute_url()
        group.items.append(TrackedMeasure(measure, division_names(measure), days, url))
    return sorted(years.values(), key=lambda g: (g.earlier, -g.year))


TRACKER_COLUMNS = [
    "ปีงบประมาณ",
    "หน่วยงาน",
    "มาตรการ",
    "ฝ่ายที่รับผิดชอบ",
    "ระยะเวลาแล้วเสร็จ",
    "สถานะ",
    "เกินกำหนด (วัน)",
]


def tracker_sheet(years: list[TrackerYear]) -> OutSheet:
    """The tracker's rows as a sheet for Excel: one row per measure, dates in the Buddhist era."""
    rows = [
        [
            group.year,
            item.measure.unit.display_name,
            item.measure.title,
            ", ".join(item.divisions),
            be_numeric_date(item.measure.deadline) if item.measure.deadline else "",
            item.measure.get_status_display(),
            item.late_days if item.overdue else None,
        ]
        for group in years
        for item in group.items
    ]
    widths = {"หน่วยงาน": 24, "มาตรการ": 60, "ฝ่ายที่รับผิดชอบ": 36, "ระยะเวลาแล้วเสร็จ": 16}
    return OutSheet("ติดตามมาตรการ", TRACKER_COLUMNS, rows, widths)


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
