"""The measure and memo figures the dashboards, the tracker and the public pages show.

A unit's results of fiscal year N are answered by the work of fiscal year N + 1
(FiscalYear.follow_up; DESIGN.md, "The yearly cycle"). Which measures a figure counts is said
once, by Measure.Status's groups and MeasureQuerySet (live, counted, open, overdue): drafts are
left out everywhere, and cancelled measures are listed but not counted. Every function runs a
fixed number of queries whatever the number of units, years or measures.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from assessments.models import FiscalYear, OrgUnit
from measures.models import Measure, Memo
from measures.models.measure import ALL_DIVISIONS

DUE_SOON_DAYS = 30
NO_DIVISION = "ไม่ระบุฝ่าย"
OPEN = Q(status__in=Measure.Status.OPEN)


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
        """Count the (status, deadline) pairs of measures in the Status.COUNTED group."""
        statuses = [status for status, _ in measures]
        return cls(
            label=label,
            not_started=statuses.count(Measure.Status.NOT_STARTED),
            in_progress=statuses.count(Measure.Status.IN_PROGRESS),
            done=statuses.count(Measure.Status.DONE),
            overdue=sum(
                1
                for status, deadline in measures
                if status in Measure.Status.OPEN and deadline is not None and deadline < today
            ),
        )


@dataclass(frozen=True)
class MeasuresSummary:
    """The status of a unit's measures in one fiscal year, overall and by responsible division.

    A measure for every division (ทุกฝ่าย) is counted once, in its own row, not under each
    division; only counted measures (MeasureQuerySet.counted) are.
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
        Measure.objects.counted()
        .filter(unit=unit, fiscal_year__year=year)
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


def with_divisions(measures: QuerySet) -> QuerySet:
    """``measures`` with their unit, year, indicator and responsible divisions (in their order)."""
    divisions = OrgUnit.objects.order_by("order", "name")
    return measures.select_related("unit", "fiscal_year", "indicator").prefetch_related(
        Prefetch("responsible_divisions", queryset=divisions)
    )


def next_deadlines(unit: OrgUnit, year: int, today: datetime.date, *, limit: int = 5) -> list:
    """The unit's open measures of ``year`` with the nearest deadlines from today (two queries)."""
    upcoming = Measure.objects.live().open().filter(unit=unit, fiscal_year__year=year)
    upcoming = upcoming.filter(deadline__gte=today)
    return list(with_divisions(upcoming).order_by("deadline", "order", "pk")[:limit])


def memos_of(unit: OrgUnit, fiscal_year: FiscalYear, *, memos: QuerySet | None = None) -> QuerySet:
    """Memos about the unit's assessment of ``fiscal_year``: those citing it (whichever unit wrote
    them, as a secretariat answers the BMA's result) and the unit's own memos of the follow-up
    year, taken from ``memos`` (the public pages pass ``Memo.objects.published()``)."""
    about = Q(assessment__unit=unit, assessment__fiscal_year=fiscal_year) | Q(
        unit=unit, fiscal_year__year=fiscal_year.follow_up
    )
    source = memos if memos is not None else Memo.objects.all()
    return (
        source.filter(about)
        .select_related("unit", "fiscal_year")
        .order_by("fiscal_year__year", "created_at", "pk")
    )


def division_names(measure: Measure) -> list[str]:
    """Who is responsible (Measure.owner_names), or ไม่ระบุฝ่าย when no division is named."""
    return measure.owner_names() or [NO_DIVISION]


def public_measures(unit: OrgUnit, fiscal_year: FiscalYear) -> list[tuple[Measure, list[str]]]:
    """The live measures answering the unit's results of ``fiscal_year``, cancelled ones included
    with their status, each with who is responsible, by indicator (two queries)."""
    measures = Measure.objects.live().filter(unit=unit, fiscal_year__year=fiscal_year.follow_up)
    measures = with_divisions(measures).order_by("indicator__number", "order", "pk")
    return [(measure, division_names(measure)) for measure in measures]


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
        """Neither finished nor cancelled (Status.OPEN)."""
        return self.measure.is_open()

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
    """The live measures of every unit the user sees that match ``query``, one entry per
    measure (its divisions listed with it), grouped by fiscal year: the current fiscal year and
    later ones first, then what is left over from earlier years, newest first (2 queries)."""
    measures = (
        Measure.objects.live()
        .filter(_tracker_filter(query, today), unit__in=OrgUnit.objects.visible_to(user))
        .order_by("unit__order", "unit__name", "deadline", "order", "pk")
    )
    current = FiscalYear.year_of(today)
    years: dict[int, TrackerYear] = {}
    for measure in with_divisions(measures):
        year = measure.fiscal_year.year
        group = years.setdefault(year, TrackerYear(year=year, current_year=current))
        days = (measure.deadline - today).days if measure.deadline else None
        url = measure.get_absolute_url()
        group.items.append(TrackedMeasure(measure, division_names(measure), days, url))
    return sorted(years.values(), key=lambda g: (g.earlier, -g.year))


@dataclass(frozen=True)
class YearWork:
    """The figures of a unit's measures in one fiscal year for the staff unit-year page: the
    counted ones as the dashboard counts them, the cancelled ones and the drafts apart."""

    counted: StatusCounts
    cancelled: int
    drafts: int
    reported: int  # counted measures with at least one progress report

    @property
    def by_status(self) -> list[tuple[str, int]]:
        """Every status with its number of live measures, in the order of Measure.Status."""
        counts = {
            Measure.Status.NOT_STARTED: self.counted.not_started,
            Measure.Status.IN_PROGRESS: self.counted.in_progress,
            Measure.Status.DONE: self.counted.done,
            Measure.Status.CANCELLED: self.cancelled,
        }
        return [(status.label, counts[status]) for status in Measure.Status]


def year_work(unit: OrgUnit, fiscal_year: FiscalYear, today: datetime.date) -> YearWork:
    """Count the unit's measures of ``fiscal_year`` by group (two queries)."""
    measures = Measure.objects.filter(unit=unit, fiscal_year=fiscal_year)
    rows = list(measures.values_list("draft", "status", "deadline"))
    return YearWork(
        counted=StatusCounts.of(
            "รวม",
            [(s, d) for draft, s, d in rows if not draft and s in Measure.Status.COUNTED],
            today,
        ),
        cancelled=sum(1 for draft, s, _ in rows if not draft and s == Measure.Status.CANCELLED),
        drafts=sum(1 for draft, _, _ in rows if draft),
        reported=measures.counted().filter(progress_updates__isnull=False).distinct().count(),
    )
