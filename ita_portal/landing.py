"""What each role finds first after login (หน้าแรกของฉัน, /staff/my/).

Staff see their unit's current cycle — the results of the year just assessed and the work of the
fiscal year now running — with what comes next; directors their approval inbox and what is late;
the central team the readiness of the year. BMA executives land on the BMA overview. Each part is
a plain function of the user and the day, so the view only lays them out.

The readiness list is two lists of small checks: portal-wide checks (PORTAL_CHECKS, functions of
the results year giving one Readiness line) and per-unit checks (UNIT_CHECKS, each naming the
units that fail it, listed at /staff/readiness/<year>/<key>/). Adding a check is adding one entry.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from assessments.access import is_central
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    Membership,
    OrgUnit,
    StateChange,
)
from ita_portal import dashboards
from ita_portal.memo_document import count_published_memos_without_emblem
from ita_portal.models import PortalSettings
from measures import queries
from measures.models import Measure, Memo, Weakness

DUE_DAYS = 14


def results_year(today: datetime.date) -> int:
    """The year whose results offices analyse now: the one before the running fiscal year."""
    return FiscalYear.answered_year(FiscalYear.year_of(today))


def lands_on_overview(user) -> bool:
    """BMA executives (not the central team) land on the BMA overview."""
    return not is_central(user) and dashboards.can_see_all_units(user)


def _member_units(user, role: str) -> list[OrgUnit]:
    """The offices and agencies where the user has ``role`` (a division counts as its office)."""
    units = {}
    memberships = user.memberships.filter(role=role).select_related("unit__parent")
    for membership in memberships.order_by("unit__order", "unit__name"):
        unit = membership.unit
        if unit.kind == OrgUnit.Kind.DIVISION:
            unit = unit.parent
        units[unit.pk] = unit
    return list(units.values())


@dataclass(frozen=True)
class Task:
    """One thing to do next, with how many and where to do it; ``items`` name the first few."""

    label: str
    count: int
    url: str
    items: tuple = ()


@dataclass(frozen=True)
class UnitCycle:
    """A unit's current cycle: the results of ``results_year`` and the work of the year after."""

    unit: OrgUnit
    results_year: int
    work_year: int
    assessment: Assessment | None
    tasks: list[Task]

    @property
    def url(self) -> str:
        return reverse(
            "staff:unit-year", kwargs={"code": self.unit.code, "year": self.results_year}
        )


def _results_task(unit: OrgUnit, year: int, assessment: Assessment | None) -> Task:
    """Indicators of the year's framework without a score yet (all of them before any entry)."""
    framework = FiscalYear.objects.filter(year=year).values("framework_id")
    indicators = Indicator.objects.filter(framework_id__in=Subquery(framework))
    if assessment is None:
        return Task(
            f"ผลการประเมินปี {year} ที่ยังไม่ได้บันทึก (ตัวชี้วัด)",
            indicators.count(),
            reverse("staff:unit-year", kwargs={"code": unit.code, "year": year}),
        )
    missing = indicators.exclude(indicator_scores__assessment=assessment).count()
    return Task(
        f"ผลการประเมินปี {year} ที่ยังไม่ได้บันทึก (ตัวชี้วัด)",
        missing,
        reverse("assessments:score-entry", kwargs={"pk": assessment.pk}),
    )


def _weakness_task(unit: OrgUnit, year: int, assessment: Assessment | None) -> Task:
    proposed = (
        Weakness.objects.filter(assessment=assessment, status=Weakness.Status.PROPOSED).count()
        if assessment
        else 0
    )
    url = (
        reverse("measures:weakness-list", kwargs={"pk": assessment.pk})
        if assessment
        else reverse("staff:unit-year", kwargs={"code": unit.code, "year": year})
    )
    return Task("จุดอ่อนที่ระบบเสนอและรอยืนยัน", proposed, url)


def measures_due(units: QuerySet | list, today: datetime.date) -> list[Measure]:
    """Confirmed open measures of these units past their deadline or due within DUE_DAYS, of any
    fiscal year (a measure left over from last year is as late as one of this year)."""
    horizon = today + datetime.timedelta(days=DUE_DAYS)
    return list(
        Measure.objects.live()
        .open()
        .filter(unit__in=units, deadline__lte=horizon)
        .select_related("unit", "fiscal_year")
        .order_by("deadline", "pk")
    )


def overdue_measures(units: QuerySet | list, today: datetime.date) -> list[Measure]:
    """Confirmed measures of these units past their deadline and not finished or cancelled."""
    return list(
        Measure.objects.overdue(today)
        .filter(unit__in=units, draft=False)
        .select_related("unit", "fiscal_year")
        .order_by("deadline", "pk")
    )


def _tracker_url(unit: OrgUnit, due: str) -> str:
    return f"{reverse('dashboards:measures')}?unit={unit.code}&due={due}"


def _memo_moves() -> QuerySet:
    """The recorded status moves of the memo of the outer query (StateChange of a Memo)."""
    return StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Memo), object_id=OuterRef("pk")
    )


def returned_memos(units: QuerySet | list) -> list[Memo]:
    """Drafts whose latest move was a return for revision, with that move as ``returned``."""
    latest = _memo_moves().order_by("-at", "-pk")
    memos = (
        Memo.objects.filter(unit__in=units, status=Memo.Status.DRAFT)
        .annotate(
            last_from=Subquery(latest.values("from_state")[:1]),
            returned_at=Subquery(latest.values("at")[:1]),
            returned_comment=Subquery(latest.values("comment")[:1]),
        )
        .filter(last_from__in=[Memo.Status.SUBMITTED, Memo.Status.APPROVED])
        .select_related("unit", "fiscal_year")
        .order_by("-returned_at", "-pk")
    )
    return list(memos)


def unit_cycle(unit: OrgUnit, today: datetime.date) -> UnitCycle:
    """The unit's current cycle and its next steps, each with a count and a link."""
    year = results_year(today)
    assessment = Assessment.objects.filter(unit=unit, fiscal_year__year=year).first()
    due = measures_due([unit], today)
    returned = returned_memos([unit])
    tasks = [
        _results_task(unit, year, assessment),
        _weakness_task(unit, year, assessment),
        Task(
            f"มาตรการที่เกินกำหนดหรือครบกำหนดภายใน {DUE_DAYS} วัน",
            len(due),
            _tracker_url(unit, "attention"),
            tuple(due[:5]),
        ),
        Task(
            "บันทึกข้อความที่ถูกส่งกลับแก้ไข",
            len(returned),
            reverse("measures:memo-list", kwargs={"code": unit.code, "year": year + 1}),
            tuple(returned[:5]),
        ),
    ]
    return UnitCycle(unit, year, year + 1, assessment, tasks)


def staff_cycles(user, today: datetime.date) -> list[UnitCycle]:
    """The current cycle of every office or agency where the user is staff."""
    return [unit_cycle(unit, today) for unit in _member_units(user, Membership.Role.STAFF)]


def approval_inbox(user) -> list[Memo]:
    """Memos submitted for approval in the units the user directs, oldest submission first, each
    with ``submitted_at`` from its latest move to "submitted"."""
    units = OrgUnit.objects.reached_by(user, [Membership.Role.DIRECTOR])
    submitted = _memo_moves().filter(to_state=Memo.Status.SUBMITTED).order_by("-at", "-pk")
    return list(
        Memo.objects.filter(unit__in=units, status=Memo.Status.SUBMITTED)
        .annotate(submitted_at=Subquery(submitted.values("at")[:1]))
        .select_related("unit", "fiscal_year")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class DirectedUnit:
    """A unit the user directs: its dashboard of the results year and its late measures."""

    unit: OrgUnit
    results_year: int
    summary: queries.MeasuresSummary
    overdue: list[Measure]

    @property
    def dashboard_url(self) -> str:
        return reverse(
            "dashboards:unit", kwargs={"code": self.unit.code, "year": self.results_year}
        )

    @property
    def overdue_url(self) -> str:
        return _tracker_url(self.unit, "overdue")


def directed_units(user, today: datetime.date) -> list[DirectedUnit]:
    """Every office or agency where the user is director, with the work year's measure counts."""
    year = results_year(today)
    return [
        DirectedUnit(
            unit,
            year,
            queries.measures_summary(unit, year + 1, today),
            overdue_measures([unit], today),
        )
        for unit in _member_units(user, Membership.Role.DIRECTOR)
    ]


# The central team's readiness list.


@dataclass(frozen=True)
class Readiness:
    """One line of the readiness list: done or not, with a count of what is missing and a link."""

    label: str
    ok: bool
    url: str
    count: int | None = None


def results_framework_confirmed(year: int) -> Readiness:
    """The framework the year's results are entered against is confirmed."""
    fiscal_year = FiscalYear.objects.filter(year=year).select_related("framework").first()
    url = reverse("assessments:fiscal-years")
    if fiscal_year is None:
        return Readiness(f"ยังไม่ได้เปิดปีงบประมาณ {year}", False, url)
    url = reverse("assessments:fiscal-year", kwargs={"year": year})
    return Readiness(
        f"เกณฑ์ปี {year} ยืนยันแล้ว (ไม่ใช่ฉบับชั่วคราว)", not fiscal_year.framework.provisional, url
    )


def work_framework_confirmed(year: int) -> Readiness:
    """The framework of the fiscal year in which the results are answered is confirmed."""
    return results_framework_confirmed(FiscalYear.answering_year(year))


def emblem_uploaded(year: int) -> Readiness:
    """The Garuda emblem printed on every memo has been uploaded."""
    settings = PortalSettings.objects.filter(pk=PortalSettings.SINGLETON_PK).first()
    return Readiness(
        "อัปโหลดตราครุฑสำหรับบันทึกข้อความแล้ว",
        bool(settings and settings.emblem),
        reverse("admin:ita_portal_portalsettings_changelist"),
    )


def published_memos_have_emblem(year: int) -> Readiness:
    """Every published memo carries the Garuda (17.6: a memo published while none was uploaded
    shows an empty slot)."""
    count = count_published_memos_without_emblem()
    return Readiness(
        "บันทึกข้อความที่เผยแพร่แล้วมีตราครุฑครบ",
        count == 0,
        reverse("admin:ita_portal_portalsettings_changelist"),
        count,
    )


def framework_items_confirmed(year: int) -> Readiness:
    """Every item of the year's frameworks (general and district) is known from an official
    source or a published result's arithmetic, not unknown or seen for another kind of agency."""
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        return Readiness(f"รายการในเกณฑ์ปี {year} ยืนยันจากแหล่งทางการครบ", False, "")
    frameworks = {fiscal_year.framework, fiscal_year.district_framework} - {None}
    count = sum(sum(framework.unconfirmed.values()) for framework in frameworks)
    url = reverse("assessments:fiscal-year", kwargs={"year": year})
    return Readiness(f"รายการในเกณฑ์ปี {year} ยืนยันจากแหล่งทางการครบ", count == 0, url, count)


PORTAL_CHECKS: list[Callable[[int], Readiness]] = [
    results_framework_confirmed,
    work_framework_confirmed,
    framework_items_confirmed,
    emblem_uploaded,
    published_memos_have_emblem,
]


@dataclass(frozen=True)
class UnitCheck:
    """A per-unit check: ``failing(units, year)`` keeps the units that do not pass it."""

    key: str
    label: str
    failing: Callable[[QuerySet, int], QuerySet]


def _without_results(units: QuerySet, year: int) -> QuerySet:
    return units.exclude(assessments__fiscal_year__year=year)


def _without_published(units: QuerySet, year: int) -> QuerySet:
    published = Assessment.objects.published().filter(unit=OuterRef("pk"), fiscal_year__year=year)
    return units.exclude(Exists(published))


def _without_measures(units: QuerySet, year: int) -> QuerySet:
    measures = Measure.objects.filter(
        unit=OuterRef("pk"), fiscal_year__year=FiscalYear.answering_year(year), draft=False
    )
    return units.exclude(Exists(measures))


def _without_memos(units: QuerySet, year: int) -> QuerySet:
    memos = Memo.objects.filter(
        unit=OuterRef("pk"), fiscal_year__year=FiscalYear.answering_year(year)
    )
    return units.exclude(Exists(memos))


def _without_header(units: QuerySet, year: int) -> QuerySet:
    # A memo takes its division's prefix and phone when the division has them (Memo.prefix_source).
    division = OrgUnit.objects.filter(parent=OuterRef("pk"), kind=OrgUnit.Kind.DIVISION)
    complete = division.exclude(memo_prefix="").exclude(phone="")
    return units.filter(Q(memo_prefix="") | Q(phone="")).exclude(Exists(complete))


UNIT_CHECKS: list[UnitCheck] = [
    UnitCheck(
        "memo-header",
        "หน่วยงานที่ยังไม่ได้ตั้งรหัสเลขที่หนังสือหรือโทรศัพท์ (ของหน่วยงานหรือของฝ่าย)",
        _without_header,
    ),
    UnitCheck("no-results", "หน่วยงานที่ยังไม่มีผลการประเมินของปี", _without_results),
    UnitCheck("unpublished", "หน่วยงานที่ยังไม่เผยแพร่ผลการประเมินของปี", _without_published),
    UnitCheck("no-measures", "หน่วยงานที่ยังไม่มีมาตรการของปีถัดไป", _without_measures),
    UnitCheck("no-memos", "หน่วยงานที่ยังไม่มีบันทึกข้อความของปีถัดไป", _without_memos),
]


def unit_check(key: str) -> UnitCheck | None:
    """The per-unit check with this key, or None."""
    return next((check for check in UNIT_CHECKS if check.key == key), None)


def assessed_units() -> QuerySet:
    """The units the readiness list is about: district offices and other agencies."""
    return OrgUnit.objects.agencies().order_by("order", "name")


def readiness(year: int) -> list[Readiness]:
    """The readiness list of the results ``year``: portal-wide checks, then each unit check with
    the number of units failing it."""
    lines = [check(year) for check in PORTAL_CHECKS]
    units = assessed_units()
    counts = units.aggregate(
        **{
            check.key: Count("pk", filter=Q(pk__in=check.failing(units, year).values("pk")))
            for check in UNIT_CHECKS
        }
    )
    for check in UNIT_CHECKS:
        count = counts[check.key]
        url = reverse("staff:readiness-units", kwargs={"year": year, "check": check.key})
        lines.append(Readiness(check.label, count == 0, url, count))
    return lines
