"""What a user's weekly reminder holds: their units' open measures due within REMINDER_DAYS or
overdue, the memos waiting for their approval, and (for the central team) the units whose OIT
disclosure is not ready for the fiscal year.

Plain reads, a fixed number of queries per user whatever the number of units; the e-mail itself
is written and sent by ita_portal.reminders.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from assessments.frameworks import framework_id_for
from assessments.models import FiscalYear, Membership, OrgUnit, Question, Tool
from measures.models import DisclosureItem, Measure, Memo

REMINDER_DAYS = 14
# Each list of an e-mail shows this many rows; the rest is counted and linked to its page.
REMINDER_ROWS = 20
OPEN_STATUSES = [Measure.Status.NOT_STARTED, Measure.Status.IN_PROGRESS]


@dataclass(frozen=True)
class DueMeasure:
    """An open measure with a deadline: days until it (negative when overdue)."""

    measure: Measure
    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def late_days(self) -> int:
        """Days past the deadline (0 when not late)."""
        return max(0, -self.days)


@dataclass(frozen=True)
class UnitNotReady:
    """A unit with OIT items of the year not yet disclosed."""

    unit: OrgUnit
    disclosed: int
    total: int


@dataclass
class Digest:
    """One user's reminder; ``empty`` when there is nothing to tell (no e-mail is sent)."""

    today: datetime.date
    overdue: list[DueMeasure] = field(default_factory=list)
    due_soon: list[DueMeasure] = field(default_factory=list)
    measures_more: int = 0
    memos_waiting: list[Memo] = field(default_factory=list)
    memos_more: int = 0
    readiness_year: int | None = None
    units_not_ready: list[UnitNotReady] = field(default_factory=list)
    units_more: int = 0

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.memos_waiting or self.units_not_ready)


def staff_units(user):
    """Units whose measures are the user's own: where they are staff (and the units below)."""
    if user.is_superuser:
        return OrgUnit.objects.none()
    return OrgUnit.objects.reached_by(user, [Membership.Role.STAFF])


def directed_units(user):
    """Units whose memos wait for the user's approval: where they are director (or above)."""
    if user.is_superuser:
        return OrgUnit.objects.none()
    return OrgUnit.objects.reached_by(user, [Membership.Role.DIRECTOR])


def due_measures(user, today: datetime.date) -> tuple[list[DueMeasure], int]:
    """The first REMINDER_ROWS open, confirmed measures of the user's units that are overdue or
    due within REMINDER_DAYS, earliest deadline first, and how many more there are."""
    horizon = today + datetime.timedelta(days=REMINDER_DAYS)
    measures = Measure.objects.filter(
        unit__in=staff_units(user),
        draft=False,
        status__in=OPEN_STATUSES,
        deadline__lte=horizon,
    ).order_by("deadline", "unit__order", "order", "pk")
    shown = list(measures.select_related("unit", "fiscal_year")[:REMINDER_ROWS])
    more = measures.count() - len(shown) if len(shown) == REMINDER_ROWS else 0
    return [DueMeasure(m, (m.deadline - today).days) for m in shown], more


def memos_waiting(user) -> tuple[list[Memo], int]:
    """Memos submitted for approval in the units the user directs, oldest first."""
    memos = Memo.objects.filter(
        unit__in=directed_units(user), status=Memo.Status.SUBMITTED
    ).order_by("updated_at", "pk")
    shown = list(memos.select_related("unit", "fiscal_year")[:REMINDER_ROWS])
    more = memos.count() - len(shown) if len(shown) == REMINDER_ROWS else 0
    return shown, more


def units_not_ready(fiscal_year: FiscalYear) -> list[UnitNotReady]:
    """Assessed units that have not disclosed every OIT item of the framework they work to in
    the year (assessments.frameworks.framework_for: a district office may have its own), fewest
    first (2 queries); a unit whose framework has no OIT items is left out."""
    framework_ids = [
        pk for pk in (fiscal_year.framework_id, fiscal_year.district_framework_id) if pk
    ]
    totals = dict(
        Question.objects.filter(framework_id__in=framework_ids, indicator__tool__code=Tool.Code.OIT)
        .order_by()
        .values("framework_id")
        .annotate(n=Count("pk"))
        .values_list("framework_id", "n")
    )
    units = (
        OrgUnit.objects.agencies()
        .annotate(
            disclosed=Count(
                "disclosure_items",
                filter=Q(
                    disclosure_items__fiscal_year=fiscal_year,
                    disclosure_items__status=DisclosureItem.Status.PUBLISHED,
                ),
            )
        )
        .order_by("disclosed", "order", "name")
    )
    not_ready = []
    for unit in units:
        total = totals.get(framework_id_for(unit, fiscal_year), 0)
        if unit.disclosed < total:
            not_ready.append(UnitNotReady(unit, unit.disclosed, total))
    return not_ready


def digest_for(
    user, today: datetime.date, *, not_ready: list[UnitNotReady] | None = None
) -> Digest:
    """The user's reminder of ``today``; ``not_ready`` (units_not_ready of the fiscal year of
    ``today``) is given for the central team only."""
    due, measures_more = due_measures(user, today)
    memos, memos_more = memos_waiting(user)
    digest = Digest(
        today=today,
        overdue=[d for d in due if d.overdue],
        due_soon=[d for d in due if not d.overdue],
        measures_more=measures_more,
        memos_waiting=memos,
        memos_more=memos_more,
    )
    if not_ready is not None:
        digest.readiness_year = FiscalYear.year_of(today)
        digest.units_not_ready = not_ready[:REMINDER_ROWS]
        digest.units_more = max(0, len(not_ready) - REMINDER_ROWS)
    return digest
