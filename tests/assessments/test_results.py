"""A unit's year beside the year before (assessments.results.unit_year): the overall, every tool
and every indicator with its change, matched by tool code and indicator number across frameworks."""

from decimal import Decimal

import pytest

from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.results import unit_year

D = Decimal
pytestmark = pytest.mark.django_db


def _unit_year(code: str, year: int):
    return unit_year(OrgUnit.objects.get(code=code), FiscalYear.objects.get(year=year))


def test_bangkok_2566_fell_1_03_from_2565():
    result = _unit_year("bma", 2566)

    assert (result.previous.year, result.current.change) == (2565, D("-1.03"))


def test_bangkok_2563_rose_2_98_from_2562():
    assert _unit_year("bma", 2563).current.change == D("2.98")


def test_a_year_with_no_previous_assessment_has_no_change():
    result = _unit_year("dusit", 2564)

    assert (result.previous, result.current.change) == (None, None)
    assert {line.change for line in [*result.indicators, *result.tools]} == {None}


def test_changes_per_tool_and_indicator_are_matched_by_code_and_number(dusit_2564):
    fiscal_year = FiscalYear.objects.get(year=2565)
    later = Assessment.objects.create(
        unit=dusit_2564.unit, fiscal_year=fiscal_year, official_score=D("92.00")
    )
    for previous in dusit_2564.indicator_scores.select_related("indicator"):
        later.indicator_scores.create(
            indicator=fiscal_year.framework.indicators.get(number=previous.indicator.number),
            score=previous.score + (D("5") if previous.indicator.number == 2 else 0),
        )

    result = _unit_year("dusit", 2565)

    changes = {line.number: line.change for line in result.indicators}
    assert (result.current.change, changes[2], changes[1]) == (D("1.60"), D("5.00"), D("0.00"))
    assert {line.code: line.change for line in result.tools} == {
        "IIT": D("1.00"),
        "EIT": D("0.00"),
        "OIT": D("0.00"),
    }
