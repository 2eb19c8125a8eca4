"""The BMA's OIT readiness page: who sees it, its order, and a fixed number of queries."""

import pytest

from measures.disclosure import oit_questions
from measures.models import DisclosureItem, DisclosureLink
from tests.factories import make_results, make_units
from tests.measures.test_disclosure import fiscal_year

URL = "/dashboards/disclosure/2570/"


@pytest.fixture
def fy2570(db):
    return fiscal_year(2570)


@pytest.fixture
def bma_executive(django_user_model):
    return django_user_model.objects.get(username="bma-executive")


@pytest.mark.parametrize("persona", ["central_team", "bma_executive"])
def test_the_central_team_and_bma_executives_see_every_unit(persona, request, client, fy2570):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(URL).content.decode()

    assert "ความพร้อมการเปิดเผยข้อมูลสาธารณะ (OIT)" in page
    assert "เขตดุสิต" in page and "เขตปทุมวัน" in page


@pytest.mark.parametrize("persona", ["staff_dusit", "director_dusit"])
def test_unit_staff_and_directors_are_refused(persona, request, client, fy2570):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403


def test_the_current_year_link_opens_this_fiscal_year(client, central_team, fy2570):
    client.force_login(central_team)

    response = client.get("/dashboards/disclosure/")

    assert response.status_code == 302 and response.url.startswith("/dashboards/disclosure/25")


def test_units_come_lowest_first(client, central_team, dusit, fy2570):
    DisclosureItem.objects.bulk_create(
        DisclosureItem(unit=dusit, fiscal_year=fy2570, question=q, status="published")
        for q in oit_questions(fy2570)
    )
    client.force_login(central_team)

    rows = client.get(URL).context["rows"]

    assert rows[-1].unit == dusit and rows[-1].today.score == 100
    assert rows[0].today.score == 0


def test_an_unknown_year_is_404(client, central_team):
    client.force_login(central_team)

    assert client.get("/dashboards/disclosure/2400/").status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_the_bma_page_runs_a_fixed_number_of_queries(
    n, client, central_team, fy2570, django_assert_num_queries
):
    units = make_units(n)
    make_results(units, [2567])
    questions = oit_questions(fy2570)
    DisclosureItem.objects.bulk_create(
        DisclosureItem(unit=u, fiscal_year=fy2570, question=q, status="published")
        for u in units
        for q in questions[:3]
    )
    client.force_login(central_team)

    # session, user, central check, fiscal year, units, OIT items, disclosed items, the latest
    # IIT/EIT (results, tools, indicators, the newest results' scores 2 and, since some demo
    # units' newest result has none, the older results' 2), the year's tools, the year list, the
    # provisional note's 3
    with django_assert_num_queries(19):  # +1: the confidence note
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("n", [1, 10])
def test_the_checklist_runs_a_fixed_number_of_queries(
    n, client, central_team, fy2570, django_assert_num_queries
):
    units = make_units(1)
    make_results(units, [2566, 2567])
    questions = oit_questions(fy2570)
    items = DisclosureItem.objects.bulk_create(
        DisclosureItem(unit=units[0], fiscal_year=fy2570, question=q, status="published")
        for q in questions[:n]
    )
    DisclosureLink.objects.bulk_create(
        DisclosureLink(item=item, url=f"https://x.example/{i}/{j}")
        for i, item in enumerate(items)
        for j in range(2)
    )
    client.force_login(central_team)

    # session, user, unit, fiscal year, OIT items, the unit's items and their links, last year's
    # remarks, the latest IIT/EIT (results, tools, indicators, the newest result's scores 2), the
    # year's tools, divisions, the edit check, the provisional note's 3
    with django_assert_num_queries(20):  # +1: the confidence note
        assert client.get("/staff/units/test-0/2570/disclosure/").status_code == 200
