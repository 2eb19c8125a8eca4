"""A unit's dashboard: who may open it, where the unit stands and what is late."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, OrgUnit
from ita_portal import dashboards
from measures import queries
from measures.models import Measure, Memo
from tests.factories import MeasureFactory

D = Decimal
pytestmark = pytest.mark.django_db


def dashboard_url(code: str, year: int) -> str:
    return reverse("dashboards:unit", kwargs={"code": code, "year": year})


@pytest.fixture
def bma_executive(django_user_model):
    return django_user_model.objects.get(username="bma-executive")


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "code", "status"),
    [
        ("director_dusit", "dusit", 200),
        ("staff_dusit", "dusit", 200),
        ("director_dusit", "pathum-wan", 404),
        ("staff_dusit", "bma", 404),
        ("staff_pathumwan", "dusit", 404),
        ("staff_pathumwan", "pathum-wan", 200),
        ("bma_executive", "dusit", 200),
        ("bma_executive", "pathum-wan", 200),
        ("central_team", "phra-nakhon", 200),
    ],
)
def test_members_see_their_own_unit_and_executives_see_all(client, request, persona, code, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(dashboard_url(code, 2566)).status_code == status


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(dashboard_url("dusit", 2564))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_division_or_an_unknown_year_has_no_dashboard(client, director_dusit):
    client.force_login(director_dusit)

    assert client.get(dashboard_url("dusit-admin", 2564)).status_code == 404
    assert client.get(dashboard_url("dusit", 2400)).status_code == 404


def test_a_unit_member_is_sent_from_the_dashboard_index_to_their_unit(client, director_dusit):
    client.force_login(director_dusit)

    response = client.get(reverse("dashboards:index"))

    assert response.status_code == 302
    assert response.url == dashboard_url("dusit", dashboards.default_year())


def test_the_central_team_is_sent_from_the_dashboard_index_to_the_overview(client, central_team):
    client.force_login(central_team)

    assert client.get(reverse("dashboards:index")).url == reverse("dashboards:overview")


# --- where the unit stands ----------------------------------------------------------------------


def test_bma_2566_lists_the_six_indicators_below_85_highest_first(client, central_team):
    client.force_login(central_team)

    response = client.get(dashboard_url("bma", 2566))

    result = response.context["data"].result
    assert [line.score for line in result.below_target()] == [
        D("82.88"),
        D("81.22"),
        D("78.37"),
        D("78.31"),
        D("77.95"),
        D("77.83"),
    ]
    assert (result.current.overall, result.current.change) == (D("88.98"), D("-1.03"))
    content = response.content.decode()
    assert "ตัวชี้วัดที่ต่ำกว่า 85 คะแนน (6 ตัวชี้วัด เรียงจากมากไปน้อย)" in content
    assert "−1.03" in content


def test_tool_scores_and_the_level_are_shown(client, central_team):
    client.force_login(central_team)

    result = client.get(dashboard_url("bma", 2566)).context["data"].result

    assert [(t.code, t.score) for t in result.tools] == [
        ("IIT", D("82.44")),
        ("EIT", D("80.82")),
        ("OIT", D("100.00")),
    ]
    assert (result.current.level, result.current.passed) == ("ผ่าน", True)


def test_a_year_without_a_result_says_so(client, director_dusit):
    client.force_login(director_dusit)

    response = client.get(dashboard_url("dusit", 2566))

    assert response.status_code == 200
    assert "ยังไม่มีผลการประเมินของเขตดุสิต ปีงบประมาณ พ.ศ. 2566" in response.content.decode()


def test_the_trend_lists_every_scored_year(client, central_team):
    client.force_login(central_team)

    data = client.get(dashboard_url("bma", 2566)).context["data"]

    assert data.trend == [
        (2562, D("88.50")),
        (2563, D("91.48")),
        (2565, D("90.01")),
        (2566, D("88.98")),
    ]


# --- measures and memos of the follow-up year ---------------------------------------------------


@pytest.fixture
def bang_rak_plan(db):
    """Bang Rak's 2566 result and its 2567 measures in every state the summary counts."""
    unit = OrgUnit.objects.get(code="bang-rak")
    fy2567 = FiscalYear.objects.get(year=2567)
    Assessment.objects.create(
        unit=unit, fiscal_year=FiscalYear.objects.get(year=2566), official_score=D("86.00")
    )
    admin, finance = (OrgUnit.objects.get(code=f"bang-rak-{c}") for c in ("admin", "finance"))
    today = timezone.localdate()
    week = datetime.timedelta(days=7)

    def measure(status, deadline, divisions=(), **fields):
        created = MeasureFactory(
            unit=unit, fiscal_year=fy2567, status=status, deadline=deadline, **fields
        )
        created.responsible_divisions.set(divisions)
        return created

    return {
        "late": measure(Measure.Status.NOT_STARTED, today - week, [admin]),
        "shared": measure(Measure.Status.IN_PROGRESS, today + week, [admin, finance]),
        "done_all": measure(Measure.Status.DONE, today - week, all_divisions=True),
        "late_all": measure(Measure.Status.NOT_STARTED, today - week, all_divisions=True),
        "cancelled": measure(Measure.Status.CANCELLED, today - week, [finance]),
        "draft": measure(Measure.Status.NOT_STARTED, today + week, [finance], draft=True),
        "later": measure(Measure.Status.IN_PROGRESS, today + 3 * week, [finance]),
    }


def counts(row) -> tuple:
    return (row.label, row.not_started, row.in_progress, row.done, row.overdue)


def test_the_measures_summary_counts_by_division_with_every_division_apart(bang_rak_plan):
    unit = OrgUnit.objects.get(code="bang-rak")

    summary = queries.measures_summary(unit, 2567, timezone.localdate())

    assert counts(summary.total) == ("รวม", 2, 2, 1, 2)
    assert [counts(row) for row in summary.divisions] == [
        ("ฝ่ายปกครอง", 1, 1, 0, 1),
        ("ฝ่ายการคลัง", 0, 2, 0, 0),
    ]
    assert counts(summary.all_divisions) == ("ทุกฝ่าย", 1, 0, 1, 1)


def test_the_next_deadlines_are_open_measures_nearest_first(bang_rak_plan):
    unit = OrgUnit.objects.get(code="bang-rak")

    deadlines = queries.next_deadlines(unit, 2567, timezone.localdate())

    assert deadlines == [bang_rak_plan["shared"], bang_rak_plan["later"]]


def test_the_dashboard_shows_the_follow_up_year_and_where_each_memo_stands(
    client, central_team, bang_rak_plan
):
    unit = OrgUnit.objects.get(code="bang-rak")
    Memo.objects.create(
        unit=unit,
        fiscal_year=FiscalYear.objects.get(year=2567),
        kind=Memo.Kind.MEASURES_PLAN,
        subject="มาตรการส่งเสริมคุณธรรมของเขตบางรัก",
        addressee="ผู้อำนวยการเขตบางรัก",
    )
    client.force_login(central_team)

    response = client.get(dashboard_url("bang-rak", 2566))

    content = response.content.decode()
    assert "มาตรการปีงบประมาณ 2567" in content
    assert [(m.subject, m.get_status_display()) for m in response.context["data"].memos] == [
        ("มาตรการส่งเสริมคุณธรรมของเขตบางรัก", "ร่าง")
    ]
    assert '<span class="badge status-draft">ร่าง</span>' in content
    assert bang_rak_plan["draft"].title not in content
