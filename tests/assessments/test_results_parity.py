"""The rules assessments.scoring writes twice, in Python and in SQL, give the same answers, and
so the result rows pivoted in SQL (unit pages, open data) and in Python (the BMA overview) agree."""

from decimal import Decimal

import pytest

from assessments.models import (
    Assessment,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    OrgUnit,
    Tool,
    ToolScore,
)
from assessments.results import bma_overview, result_rows
from assessments.scoring import (
    round_score,
    shown_level,
    standing,
    standing_annotations,
    tool_results,
    tool_score,
    tool_score_expression,
)
from tests.factories import AssessmentFactory

D = Decimal
pytestmark = pytest.mark.django_db


def _in_sql(assessment: Assessment, *steps: dict):
    """``assessment`` read back with the annotations of ``steps``, applied in order."""
    queryset = Assessment.objects.filter(pk=assessment.pk)
    for annotations in steps:
        queryset = queryset.annotate(**annotations)
    return queryset.get()


@pytest.fixture
def fy2566(db) -> FiscalYear:
    return FiscalYear.objects.select_related("framework").get(year=2566)


@pytest.fixture
def eit_2566(db) -> Tool:
    """EIT of 2566: two parts and three indicators (6, 7, 8)."""
    return Tool.objects.get(framework__fiscal_years__year=2566, code=Tool.Code.EIT)


@pytest.mark.parametrize(
    ("parts", "indicators", "published"),
    [
        (["80.00", "90.00"], ["70.00", None, None], "60.00"),
        (["80.00", None], ["70.00", "72.00", "75.50"], "60.00"),
        ([None, None], ["70.00", None, "75.50"], "60.00"),
        (["80.00", None], ["70.00", "72.00", None], None),
        ([None, None], [None, None, None], None),
        ([None, None], ["70.01", "70.02", "70.02"], None),
    ],
)
def test_a_tool_scores_the_same_in_sql_and_in_python(eit_2566, parts, indicators, published):
    assessment = AssessmentFactory(fiscal_year=FiscalYear.objects.get(year=2566))
    tool_scores = {}
    for part, score in [(0, published), *enumerate(parts, start=1)]:
        if score is not None:
            ToolScore.objects.create(assessment=assessment, tool=eit_2566, part=part, score=score)
            tool_scores[(eit_2566.pk, part)] = D(score)
    for indicator, score in zip(eit_2566.indicators.order_by("number"), indicators, strict=True):
        if score is not None:
            IndicatorScore.objects.create(assessment=assessment, indicator=indicator, score=score)

    in_python, _basis = tool_score(
        eit_2566, tool_scores, [None if s is None else D(s) for s in indicators]
    )
    in_sql = _in_sql(assessment, {"eit": tool_score_expression(Tool.Code.EIT)}).eit

    assert (None if in_sql is None else round_score(D(in_sql))) == (
        None if in_python is None else round_score(in_python)
    )


@pytest.fixture
def year_without_oit_indicators(db) -> FiscalYear:
    """A framework whose OIT has no indicators and whose passing band starts below the pass
    mark, with Dusit scored, its level left blank and OIT given only as published."""
    framework = Framework.objects.create(code="test-2599", name="ทดสอบ", pass_mark=D("85.00"))
    iit = Tool.objects.create(framework=framework, code="IIT", name="IIT", weight=D("50"))
    oit = Tool.objects.create(framework=framework, code="OIT", name="OIT", weight=D("50"))
    indicator = Indicator.objects.create(
        framework=framework, tool=iit, number=1, name="การปฏิบัติหน้าที่", weight=D("50")
    )
    LevelBand.objects.create(
        framework=framework, code="P", label="ผ่าน (ทดสอบ)", min_score=D("80"), passed=True
    )
    LevelBand.objects.create(framework=framework, code="F", label="ไม่ผ่าน", min_score=D("0"))
    fiscal_year = FiscalYear.objects.create(year=2599, framework=framework)
    assessment = Assessment.objects.create(
        unit=OrgUnit.objects.get(code="dusit"), fiscal_year=fiscal_year, official_score=D("82.00")
    )
    IndicatorScore.objects.create(assessment=assessment, indicator=indicator, score=D("70.00"))
    ToolScore.objects.create(assessment=assessment, tool=oit, part=0, score=D("90.00"))
    return FiscalYear.objects.select_related("framework").get(year=2599)


@pytest.fixture
def year_with_unmarked_bands(db) -> FiscalYear:
    """A framework none of whose bands is marked as passing: only the pass mark passes."""
    framework = Framework.objects.create(code="test-2598", name="ทดสอบ", pass_mark=D("85.00"))
    LevelBand.objects.create(framework=framework, code="H", label="สูง", min_score=D("80"))
    LevelBand.objects.create(framework=framework, code="L", label="ต่ำ", min_score=D("0"))
    return FiscalYear.objects.create(year=2598, framework=framework)


@pytest.mark.parametrize(
    ("year", "score", "official_level"),
    [
        (2566, "95.00", ""),
        (2566, "85.00", ""),
        (2566, "84.99", ""),
        (2566, "84.28", "ไม่ผ่าน"),
        (2566, None, ""),
        (2566, None, "ผ่าน"),
        (2563, "94.99", ""),
        (2563, "49.99", ""),
        (2599, "80.00", ""),
        (2599, "79.99", ""),
        (2599, "86.00", "ดีมาก"),
        (2598, "85.00", ""),
        (2598, "84.99", ""),
        # ผ่านดี/ผ่านดีเยี่ยม also ask every tool to reach a score: neither form gives them
        # from the overall score alone
        (2567, "96.00", ""),
        (2568, "90.00", ""),
    ],
)
def test_level_and_pass_are_the_same_in_sql_and_in_python(
    year_without_oit_indicators, year_with_unmarked_bands, year, score, official_level
):
    fiscal_year = FiscalYear.objects.select_related("framework").get(year=year)
    assessment = AssessmentFactory(
        unit=OrgUnit.objects.agencies().filter(assessments=None).first(),
        fiscal_year=fiscal_year,
        official_score=None if score is None else D(score),
        official_level=official_level,
    )

    band, passed = standing(fiscal_year.framework, assessment.official_score)
    in_sql = _in_sql(assessment, *standing_annotations())

    assert (in_sql.level_label or "", in_sql.passed) == (shown_level(official_level, band), passed)


def test_tool_scores_in_the_database_match_the_scoring_rules(fy2566):
    bma = bma_overview(fy2566).bma
    dusit = result_rows(Assessment.objects.filter(unit__code="dusit", fiscal_year__year=2564))

    assert bma.tools == {"IIT": D("82.44"), "EIT": D("80.82"), "OIT": D("100.00")}
    expected = {
        r.tool.code: round_score(r.value)
        for r in tool_results(Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564))
    }
    assert dusit[0].tools == expected


@pytest.mark.parametrize("year", [2562, 2563, 2564, 2565, 2566])
def test_every_overview_row_has_the_figures_of_the_unit_pages(year):
    fiscal_year = FiscalYear.objects.select_related("framework").get(year=year)
    data = bma_overview(fiscal_year)
    listed = {row.unit.code: row for row in [*data.rows, data.bma] if row and row.has_result}
    unit_pages = result_rows(Assessment.objects.filter(fiscal_year=fiscal_year))

    assert listed
    fields = ("year", "overall", "level", "passed", "previous", "pass_mark", "tools", "indicators")
    for expected in unit_pages:
        row = listed[expected.unit.code]
        assert [getattr(row, f) for f in fields] == [getattr(expected, f) for f in fields]


def test_a_tool_without_indicators_keeps_its_published_score_and_a_band_can_pass_below_85(
    year_without_oit_indicators,
):
    data = bma_overview(year_without_oit_indicators)
    dusit = next(r for r in data.rows if r.unit.code == "dusit")
    unit_page = result_rows(Assessment.objects.filter(fiscal_year__year=2599))[0]

    assert dusit.tools == {"IIT": D("70.00"), "EIT": None, "OIT": D("90.00")}
    assert (dusit.level, dusit.passed) == ("ผ่าน (ทดสอบ)", True)
    assert (unit_page.tools, unit_page.level, unit_page.passed) == (
        dusit.tools,
        dusit.level,
        dusit.passed,
    )
