"""The BMA overview: who may open it, the ranking and the year-over-year arithmetic (demo data)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import results
from assessments.models import FiscalYear, OrgUnit
from ita_portal.dashboards import OVERVIEW_PAGE_SIZE
from tests.factories import make_results, make_units

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def fy2566(db) -> FiscalYear:
    return FiscalYear.objects.select_related("framework").get(year=2566)


@pytest.fixture
def bma_executive(django_user_model):
    return django_user_model.objects.get(username="bma-executive")


def overview_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('dashboards:overview')}?{query}"


# --- the numbers (assessments.results) ------------------------------------------------------


def test_phasi_charoen_ranks_first_among_districts_and_phra_nakhon_does_not_pass(fy2566):
    data = results.bma_overview(fy2566, kind=OrgUnit.Kind.DISTRICT)

    scored = [(r.rank, r.unit.code, r.overall, r.passed) for r in data.rows if r.has_result]
    assert scored[:2] == [
        (1, "phasi-charoen", D("99.09"), True),
        (2, "phra-nakhon", D("84.28"), False),
    ]
    assert data.summary.passed == 1
    assert data.summary.not_passed == 1
    assert data.summary.average == D("91.69")  # (99.09 + 84.28) / 2 = 91.685, half up


def test_units_without_an_overall_score_are_listed_last_with_no_rank(fy2566):
    data = results.bma_overview(fy2566)

    assert len(data.rows) == OrgUnit.objects.agencies().count()
    dusit = next(r for r in data.rows if r.unit.code == "dusit")
    assert (dusit.has_result, dusit.overall, dusit.rank, dusit.change) == (False, None, None, None)
    scored = data.summary.assessed
    assert all(r.overall is not None for r in data.rows[:scored])
    assert all(r.overall is None for r in data.rows[scored:])


def test_the_bma_row_is_separate_with_its_change_from_2565(fy2566):
    data = results.bma_overview(fy2566)

    assert "bma" not in [r.unit.code for r in data.rows]
    assert (data.bma.overall, data.bma.previous, data.bma.change) == (
        D("88.98"),
        D("90.01"),
        D("-1.03"),
    )
    assert (data.bma.level, data.bma.passed) == ("ผ่าน", True)


def _row(code: str, overall: str | None, *, previous: str | None = None, **scores):
    return results.ResultRow(
        unit=OrgUnit(code=code, name=code),
        year=2566,
        overall=None if overall is None else D(overall),
        level="",
        passed=None,
        previous=None if previous is None else D(previous),
        tools={"IIT": scores.get("iit")},
        indicators={10: scores.get("i10")},
    )


def test_equal_overall_scores_share_a_rank_and_the_next_rank_is_skipped():
    rows = results.ranked(
        [_row("a", "90.00"), _row("b", "95.00"), _row("c", "90.00"), _row("d", None)]
    )

    assert [(r.unit.code, r.rank) for r in rows] == [("a", 2), ("b", 1), ("c", 2), ("d", None)]


@pytest.mark.parametrize("descending", [True, False])
def test_rows_without_the_sorted_score_go_last_in_either_direction(descending):
    rows = [_row("a", "90", iit=D("70")), _row("b", "80"), _row("c", "70", iit=D("80"))]

    codes = [r.unit.code for r in results.sorted_rows(rows, "iit", descending)]

    assert codes == (["c", "a", "b"] if descending else ["a", "c", "b"])


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("change", True, ["a", "c", "b"]),
        ("change", False, ["c", "a", "b"]),
        ("i10", True, ["b", "a", "c"]),
        ("unit", True, ["a", "b", "c"]),
    ],
)
def test_rows_sort_by_change_by_indicator_10_and_by_unit(sort, descending, expected):
    rows = [
        _row("a", "90", previous="85", i10=D("80")),
        _row("b", "80", i10=D("95")),
        _row("c", "70", previous="72"),
    ]

    assert [r.unit.code for r in results.sorted_rows(rows, sort, descending)] == expected


def test_change_from_the_previous_year_for_phasi_charoen(fy2566):
    row = next(r for r in results.bma_overview(fy2566).rows if r.unit.code == "phasi-charoen")

    assert (row.previous, row.change) == (D("98.60"), D("0.49"))


def test_lowest_indicators_are_ordered_by_average_and_count_units_below_target(fy2566):
    lowest = results.bma_overview(fy2566).lowest

    assert [(i.number, i.average, i.below, i.units) for i in lowest] == [(9, D("84.21"), 1, 1)]


def test_the_trend_holds_the_bma_and_the_district_average_every_year(db):
    trend = {p.year: (p.bma, p.district_average) for p in results.bma_trend()}

    assert trend[2562] == (D("88.50"), None)
    assert trend[2564] == (None, D("90.40"))
    assert trend[2565] == (D("90.01"), D("98.60"))
    assert trend[2566] == (D("88.98"), D("91.69"))


def test_sorting_by_an_indicator_ascending_puts_the_scored_unit_first(fy2566):
    data = results.bma_overview(fy2566, sort="i9", descending=False)

    assert data.rows[0].unit.code == "pathum-wan"
    assert data.rows[0].indicators[9] == D("84.21")


# --- the page ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff_dusit", "director_dusit", "staff_pathumwan"])
def test_unit_members_may_not_open_the_overview(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("dashboards:overview")).status_code == 403


@pytest.mark.parametrize("persona", ["central_team", "bma_executive"])
def test_the_central_team_and_bma_executives_see_every_unit(client, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(overview_url(year=2566))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == OrgUnit.objects.agencies().count()
    content = response.content.decode()
    assert "เขตภาษีเจริญ" in content
    assert "เขตหนองจอก" in content  # a district with no result shows too, with dashes


def test_the_page_marks_scores_below_85_with_a_symbol_and_text(client, central_team):
    client.force_login(central_team)

    content = client.get(overview_url(year=2566, kind="district")).content.decode()

    assert (
        '<span class="score below"><span aria-hidden="true">◆ </span>84.28'
        '<span class="visually-hidden"> (ต่ำกว่า 85)</span></span>'
    ) in content
    assert '<span class="score meets">99.09</span>' in content


def test_the_tool_filter_keeps_that_tool_and_its_indicators(client, central_team):
    client.force_login(central_team)

    response = client.get(overview_url(year=2566, tool="EIT"))

    assert [c.key for c, _ in response.context["sortable_columns"]] == ["eit", "i6", "i7", "i8"]


def test_the_indicator_filter_keeps_one_indicator_and_its_tool(client, central_team):
    client.force_login(central_team)

    response = client.get(overview_url(year=2566, indicator=3))

    assert [c.key for c, _ in response.context["sortable_columns"]] == ["iit", "i3"]


def test_the_kind_filter_lists_only_agencies(client, central_team):
    client.force_login(central_team)

    response = client.get(overview_url(year=2566, kind="agency"))

    codes = [row.unit.code for row, _ in response.context["rows"]]
    assert codes == list(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.AGENCY).values_list("code", flat=True)
    )


def test_bad_filter_values_fall_back_to_the_defaults(client, central_team):
    client.force_login(central_team)

    response = client.get(overview_url(year=2566, sort="drop-table", kind="x", dir="sideways"))

    assert response.status_code == 200
    assert response.context["chosen"]["sort"] == "rank"
    assert response.context["chosen"]["descending"] is True
    assert response.context["chosen"]["kind"] is None
    assert response.context["data"].fiscal_year.year == 2566


def test_without_parameters_the_latest_year_assessed_is_ranked_by_overall(client, central_team):
    client.force_login(central_team)

    response = client.get(reverse("dashboards:overview"))

    assert response.status_code == 200
    assert response.context["data"].fiscal_year.year == 2566
    assert response.context["chosen"]["sort"] == "rank"


@pytest.mark.parametrize("query", [{}, {"year": 2400}, {"year": "x"}])
def test_the_year_select_shows_the_year_whose_data_is_on_screen(client, central_team, query):
    client.force_login(central_team)

    content = client.get(reverse("dashboards:overview"), query).content.decode()

    assert '<option value="2566" selected>พ.ศ. 2566</option>' in content
    assert content.count("selected>พ.ศ.") == 1


def test_an_unknown_year_falls_back_to_the_latest_year_assessed(client, central_team):
    client.force_login(central_team)

    response = client.get(overview_url(year=2400, kind="district"))

    assert response.context["data"].fiscal_year.year == 2566
    assert response.context["chosen"]["kind"] == "district"


@pytest.fixture
def many_units(db) -> int:
    """More assessed units in 2567 than one page holds; returns how many units are listed."""
    make_results(make_units(OVERVIEW_PAGE_SIZE + 20), [2567])
    return OrgUnit.objects.agencies().count()


def test_a_long_overview_is_paged_and_ranks_run_on_across_pages(client, central_team, many_units):
    client.force_login(central_team)

    first = client.get(overview_url(year=2567))
    second = client.get(overview_url(year=2567, page=2))

    first_rows = [row for row, _ in first.context["rows"]]
    second_rows = [row for row, _ in second.context["rows"]]
    assert len(first_rows) == OVERVIEW_PAGE_SIZE
    assert len(second_rows) == many_units - OVERVIEW_PAGE_SIZE
    assert first_rows[0].rank == 1
    assert second_rows[0].rank >= first_rows[-1].rank
    assert f"หน่วยงานที่ 101–{many_units} จาก {many_units}" in second.content.decode()
    assert first.context["data"].summary.units == many_units


def test_sorting_goes_back_to_the_first_page(client, central_team, many_units):
    client.force_login(central_team)

    page = client.get(overview_url(year=2567, page=2)).content.decode()

    assert 'href="?year=2567&amp;sort=iit&amp;dir=desc"' in page
    assert 'href="?year=2567&amp;page=1"' in page


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 1), ("99", 2)])
def test_a_bad_page_number_shows_the_nearest_page(client, central_team, many_units, asked, shown):
    client.force_login(central_team)

    response = client.get(overview_url(year=2567, page=asked))

    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_the_bma_list_fits_on_one_page_without_page_links(client, central_team):
    client.force_login(central_team)

    page = client.get(overview_url(year=2566))

    assert page.context["page"].paginator.num_pages == 1
    assert 'class="pagination"' not in page.content.decode()
