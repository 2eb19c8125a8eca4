"""Which measures each page counts: one rule, said by Measure.Status's groups and MeasureQuerySet.

Bang Rak's 2567 work answers its 2566 result and holds one measure of each status, past its
deadline, plus a draft copied from last year. Drafts are counted nowhere; cancelled measures are
listed (public page, tracker with every status) but never counted (dashboard, staff year page,
staff unit page, memo).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, OrgUnit
from measures.memo_content import memo_content
from measures.models import Measure, Memo
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
Status = Measure.Status


@pytest.fixture
def plan(db) -> dict[str, Measure]:
    """Bang Rak's published 2566 result and its 2567 measures, one per status and a draft."""
    unit = OrgUnit.objects.get(code="bang-rak")
    Assessment.objects.create(
        unit=unit,
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=Decimal("86.00"),
        published_at=timezone.now(),
    )
    fy2567 = FiscalYear.objects.get(year=2567)
    late = timezone.localdate() - datetime.timedelta(days=7)
    measures = {
        status.value: MeasureFactory(
            unit=unit, fiscal_year=fy2567, status=status, deadline=late, title=status.label
        )
        for status in Status
    }
    measures["draft"] = MeasureFactory(
        unit=unit, fiscal_year=fy2567, deadline=late, title="ร่างที่คัดลอกมา", draft=True
    )
    return measures


def titles(measures) -> list[str]:
    return sorted(measure.title for measure in measures)


COUNTED = sorted(["ยังไม่เริ่ม", "กำลังดำเนินการ", "ดำเนินการแล้วเสร็จ"])
LIVE = sorted([*COUNTED, "ยกเลิก"])


def test_the_groups_name_the_open_and_the_counted_statuses():
    assert Status.OPEN == (Status.NOT_STARTED, Status.IN_PROGRESS)
    assert Status.COUNTED == (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
    assert Status.values == ["not_started", "in_progress", "done", "cancelled"]


def test_the_queryset_methods_apply_the_groups_to_live_measures(plan):
    mine = Measure.objects.filter(unit__code="bang-rak", fiscal_year__year=2567)
    today = timezone.localdate()

    assert titles(mine.live()) == LIVE
    assert titles(mine.counted()) == COUNTED
    assert titles(mine.live().open()) == sorted(["ยังไม่เริ่ม", "กำลังดำเนินการ"])
    assert titles(mine.live().overdue(today)) == titles(mine.live().open())
    assert [m.is_overdue(today) for m in mine.live().order_by("pk")] == [True, True, False, False]


def test_the_dashboard_counts_the_counted_measures(client, central_team, plan):
    client.force_login(central_team)

    data = client.get(reverse("dashboards:unit", args=["bang-rak", 2566])).context["data"]
    total = data.summary.total

    assert (total.not_started, total.in_progress, total.done, total.overdue) == (1, 1, 1, 2)
    assert total.total == 3


def test_the_staff_year_page_counts_as_the_dashboard_and_shows_cancelled_and_drafts_apart(
    client, central_team, plan
):
    client.force_login(central_team)

    context = client.get(reverse("staff:unit-year", args=["bang-rak", 2566])).context

    assert context["measure_total"] == 3
    assert context["measure_statuses"] == [
        ("ยังไม่เริ่ม", 1),
        ("กำลังดำเนินการ", 1),
        ("ดำเนินการแล้วเสร็จ", 1),
        ("ยกเลิก", 1),
    ]
    assert (context["measure_overdue"], context["measure_drafts"]) == (2, 1)
    assert context["measures_reported"] == 0


def test_the_staff_unit_page_counts_the_counted_measures_of_the_answering_year(
    client, central_team, plan
):
    client.force_login(central_team)

    years = client.get(reverse("staff:unit", args=["bang-rak"])).context["years"]

    assert next(row["measures"] for row in years if row["fiscal_year"].year == 2566) == 3


def test_the_public_page_lists_the_live_measures_cancelled_ones_with_their_status(client, plan):
    measures = client.get("/bang-rak/2566/").context["measures"]

    assert titles(measure for measure, _ in measures) == LIVE


def test_the_tracker_lists_live_measures_open_ones_by_default(client, central_team, plan):
    client.force_login(central_team)
    url = reverse("dashboards:measures")

    def listed(**query) -> list[str]:
        years = client.get(url, {"unit": "bang-rak", **query}).context["years"]
        return titles(item.measure for group in years for item in group.items)

    assert listed() == sorted(["ยังไม่เริ่ม", "กำลังดำเนินการ"])
    assert listed(status="all", due="all") == LIVE


def test_the_memo_lists_the_counted_measures(plan):
    memo = Memo.objects.create(
        unit=OrgUnit.objects.get(code="bang-rak"),
        fiscal_year=FiscalYear.objects.get(year=2567),
        kind=Memo.Kind.MEASURES_PLAN,
        subject="แผนมาตรการปี ๒๕๖๗",
        addressee="ผู้อำนวยการเขตบางรัก",
    )

    content = memo_content(memo)

    listed = [item.measure for row in content.by_indicator for item in row.measures]
    assert titles(listed + [item.measure for item in content.by_issue]) == COUNTED
