"""Who sees which dashboard, and what a unit's dashboard and the overview put together.

A unit's dashboard for fiscal year N shows the assessment of year N and its weaknesses, then the
work that answers them: the measures and memos of fiscal year N + 1 (DESIGN.md, "The yearly
cycle"), whose figures come from measures.queries. Every function runs a fixed number of queries
whatever the number of units, years or measures.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

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
from measures.queries import (
    MeasuresSummary,
    TrackerYear,
    measures_summary,
    memos_of,
    next_deadlines,
)
from portal_core.excel import OutSheet
from portal_core.thai import be_numeric_date

# Units per page of the BMA overview: the BMA's 50 districts and its agencies fit on one page.
OVERVIEW_PAGE_SIZE = 100
DASHBOARD_KINDS = (OrgUnit.Kind.BMA, OrgUnit.Kind.AGENCY, OrgUnit.Kind.DISTRICT)


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
    follow_up = fiscal_year.follow_up
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
