"""Every dashboard and public page runs the same number of queries at 1, 3 and 50 units.

The builders (tests.factories and make_work below) add test units, results, measures and memos
in bulk; the counts are pinned, so a query per row (an N+1) fails the 3- and 50-unit cases.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, Indicator, OrgUnit
from measures.models import Measure, Memo, Weakness
from tests.factories import make_results, make_units

SIZES = [1, 3, 50]
YEAR = 2567


def make_work(unit: OrgUnit, n: int, *, follow_up: int = YEAR + 1) -> None:
    """n weaknesses of the unit's YEAR result, n measures and n published memos of follow_up."""
    fy = FiscalYear.objects.get(year=follow_up)
    assessment = Assessment.objects.get(unit=unit, fiscal_year__year=YEAR)
    indicator = Indicator.objects.get(framework=assessment.fiscal_year.framework, number=2)
    Weakness.objects.bulk_create(
        Weakness(
            assessment=assessment, indicator=indicator, score=Decimal("70.00"), topic=f"ข้อ {i}"
        )
        for i in range(n)
    )
    today = timezone.localdate()
    measures = Measure.objects.bulk_create(
        Measure(
            unit=unit,
            fiscal_year=fy,
            issue="ทดสอบ",
            title=f"มาตรการทดสอบ {i}",
            deadline=today + datetime.timedelta(days=10 if i % 2 == 0 else -10),
            status=[Measure.Status.NOT_STARTED, Measure.Status.IN_PROGRESS][i % 2],
            all_divisions=i % 5 == 0,
        )
        for i in range(n)
    )
    division = OrgUnit.objects.get(code=f"{unit.code}-admin")
    Measure.responsible_divisions.through.objects.bulk_create(
        Measure.responsible_divisions.through(measure=m, orgunit=division) for m in measures
    )
    Memo.objects.bulk_create(
        Memo(
            unit=unit,
            fiscal_year=fy,
            kind=Memo.Kind.RESULTS,
            subject=f"รายงานผลครั้งที่ {i}",
            addressee="ผู้อำนวยการเขต",
            status=Memo.Status.PUBLISHED,
        )
        for i in range(n)
    )


@pytest.fixture
def build(db):
    """Build n test units with results (and for unit pages, n of everything in the first)."""

    def _build(n: int) -> list[OrgUnit]:
        units = make_units(n)
        make_results(units, [YEAR])
        make_results(units[:1], [2562, 2563, 2564, 2565, 2566][: min(n, 5)])
        make_work(units[0], n)
        return units

    return _build


def count(client, django_assert_num_queries, url: str, expected: int) -> None:
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
def test_the_overview_runs_a_fixed_number_of_queries(
    n, build, client, central_team, django_assert_num_queries
):
    build(n)
    client.force_login(central_team)

    count(
        client, django_assert_num_queries, f"/dashboards/overview/?year={YEAR}", 11
    )  # +1: the confidence note


@pytest.mark.parametrize("n", SIZES)
def test_the_unit_dashboard_runs_a_fixed_number_of_queries(
    n, build, client, central_team, django_assert_num_queries
):
    build(n)
    client.force_login(central_team)

    count(
        client, django_assert_num_queries, f"/dashboards/units/test-0/{YEAR}/", 13
    )  # +1: the confidence note


@pytest.mark.parametrize("n", SIZES)
def test_the_measures_tracker_runs_a_fixed_number_of_queries(
    n, build, client, central_team, django_assert_num_queries
):
    units = build(n)
    for unit in units[1:]:
        make_work(unit, 1)
    client.force_login(central_team)

    # session, user, the filters' years, units and division names, measures, their divisions
    count(client, django_assert_num_queries, "/dashboards/measures/", 7)


@pytest.mark.parametrize("n", SIZES)
def test_the_public_home_page_runs_a_fixed_number_of_queries(
    n, build, client, django_assert_num_queries
):
    build(n)

    count(client, django_assert_num_queries, "/", 1)


@pytest.mark.parametrize("n", SIZES)
def test_the_public_unit_pages_run_a_fixed_number_of_queries(
    n, build, client, django_assert_num_queries
):
    build(n)

    count(client, django_assert_num_queries, "/test-0/", 3)
    count(client, django_assert_num_queries, f"/test-0/{YEAR}/", 8)  # +1: the confidence note


@pytest.mark.parametrize("n", SIZES)
def test_open_data_runs_a_fixed_number_of_queries(n, build, client, django_assert_num_queries):
    build(n)

    count(client, django_assert_num_queries, f"/opendata/{YEAR}.csv", 2)
    count(client, django_assert_num_queries, f"/opendata/{YEAR}.json", 2)
    count(client, django_assert_num_queries, "/opendata/units/test-0.csv", 2)
    count(client, django_assert_num_queries, "/opendata/", 2)
