"""A measures plan's result summary (seed 002 §2) shows the cited assessment as the unit pages
do: the same level, change, indicators and below-target list, over a five-year trend."""

from decimal import Decimal

import pytest

from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.results import result_rows
from measures.memo_content import plan_content, result_summary
from measures.models import Memo

D = Decimal
pytestmark = pytest.mark.django_db


def _cited(unit: str, year: int) -> Assessment:
    return Assessment.objects.select_related("unit", "fiscal_year__framework").get(
        unit__code=unit, fiscal_year__year=year
    )


def test_the_council_plan_summarises_the_bmas_2566_result_against_2565():
    memo = Memo.objects.get(unit__code="council-secretariat", kind=Memo.Kind.MEASURES_PLAN)

    summary = plan_content(memo).overview

    assert summary.assessment == _cited("bma", 2566)
    assert (summary.level, summary.change, summary.previous_year) == ("ผ่าน", D("-1.03"), 2565)
    assert (summary.decreased, summary.change_size, summary.target) == (True, D("1.03"), D("85"))


def test_the_trend_spans_five_years_with_a_gap_where_no_result_is_held():
    summary = result_summary(_cited("bma", 2566))

    assert summary.trend == [
        (2562, D("88.50")),
        (2563, D("91.48")),
        (2564, None),
        (2565, D("90.01")),
        (2566, D("88.98")),
    ]


def test_indicators_below_the_pass_mark_are_listed_highest_first():
    summary = result_summary(_cited("bma", 2566))

    assert [line.number for line in summary.indicators] == list(range(1, 11))
    assert [line.number for line in summary.below_target] == [6, 7, 8, 5, 4, 2]
    assert all(line.score < summary.target for line in summary.below_target)


def test_the_level_is_the_one_published_as_on_the_unit_pages():
    """Phra Nakhon's 2566 level was published as ไม่ผ่าน; its band would read ต้องปรับปรุง."""
    cited = _cited("phra-nakhon", 2566)
    unit_page = result_rows(Assessment.objects.filter(pk=cited.pk))[0]

    summary = result_summary(cited)

    assert (summary.level, unit_page.level) == ("ไม่ผ่าน", "ไม่ผ่าน")


def test_a_first_result_has_no_change_to_report():
    cited = _cited("pathum-wan", 2566)

    summary = result_summary(cited)

    assert (summary.change, summary.decreased, summary.change_size) == (None, False, None)


def test_the_summary_runs_three_queries_whatever_the_number_of_years(django_assert_num_queries):
    cited = _cited("bma", 2566)
    for year in range(2570, 2580):
        FiscalYear.objects.get_or_create(year=year, defaults={"framework": cited.framework})
        Assessment.objects.create(
            unit=OrgUnit.objects.get(code="bma"),
            fiscal_year=FiscalYear.objects.get(year=year),
            official_score=D("90.00"),
        )

    with django_assert_num_queries(3):
        summary = result_summary(cited)
        assert len(summary.below_target) == 6
