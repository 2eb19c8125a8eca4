"""ITA scoring rules: levels, tool scores, the weighted overall score and OIT items."""

from decimal import Decimal

import pytest

from assessments.models import Assessment, FiscalYear, IndicatorScore, Tool
from assessments.scoring import (
    OverallCheck,
    check_overall,
    compute_overall,
    level_for,
    mean,
    standing,
    sub_indicator_score,
    tool_score,
    weighted_overall,
)

D = Decimal


def _level_label(year: int, score: str) -> str:
    return level_for(FiscalYear.objects.get(year=year).framework, D(score)).label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("score", "label"),
    [
        ("100.00", "AA"),
        ("95.00", "AA"),
        ("94.99", "A"),
        ("85.00", "A"),
        ("84.99", "B"),
        ("75.00", "B"),
        ("74.99", "C"),
        ("65.00", "C"),
        ("55.00", "D"),
        ("54.99", "E"),
        ("50.00", "E"),
        ("49.99", "F"),
        ("0.00", "F"),
    ],
)
def test_letter_levels_apply_from_2562_to_2565(score, label):
    for year in (2562, 2563, 2564, 2565):
        assert _level_label(year, score) == label


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("score", "label", "passed"),
    [
        ("100.00", "ดีเยี่ยม", True),
        ("95.00", "ดีเยี่ยม", True),
        ("94.99", "ผ่าน", True),
        ("85.00", "ผ่าน", True),
        ("84.99", "ต้องปรับปรุง", False),
        ("70.00", "ต้องปรับปรุง", False),
        ("69.99", "ต้องปรับปรุงอย่างเร่งด่วน", False),
        ("0.00", "ต้องปรับปรุงอย่างเร่งด่วน", False),
    ],
)
def test_pass_and_excellent_levels_apply_in_2566(score, label, passed):
    fiscal_year = FiscalYear.objects.get(year=2566)
    for framework in fiscal_year.frameworks():  # the general and the district framework
        band = level_for(framework, D(score))
        assert (band.label, band.passed) == (label, passed)


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2567, 2568])
@pytest.mark.parametrize(
    ("score", "tools", "label"),
    [
        ("96.00", ["95.00", "96.00", "97.00"], "ผ่านดีเยี่ยม"),
        ("96.00", ["94.99", "96.00", "98.00"], "ผ่านดี"),  # one tool below 95
        ("90.00", ["85.00", "92.00", "93.00"], "ผ่านดี"),
        ("90.00", ["84.99", "92.00", "93.00"], "ผ่าน"),  # one tool below 85
        ("96.00", None, "ผ่าน"),  # without the tools' scores no per-tool band is given
        ("84.99", ["99.00", "99.00", "60.00"], "ต้องปรับปรุง"),
    ],
)
def test_from_2567_the_higher_levels_ask_every_tool_to_reach_them_too(year, score, tools, label):
    framework = FiscalYear.objects.get(year=year).framework
    band = level_for(framework, D(score), [D(t) for t in tools] if tools else None)
    assert band.label == label


@pytest.mark.django_db
def test_no_score_has_no_level():
    assert level_for(FiscalYear.objects.get(year=2566).framework, None) is None


def test_the_level_of_an_assessment_follows_its_years_framework(dusit_2564, bma_2566):
    assert level_for(dusit_2564.framework, dusit_2564.official_score).label == "A"
    assert level_for(bma_2566.framework, bma_2566.official_score).label == "ผ่าน"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("year", "score", "passed"),
    [
        (2566, "85.00", True),
        (2566, "84.99", False),
        (2564, "85.00", True),
        (2564, "84.99", False),
        (2566, None, None),
    ],
)
def test_a_score_passes_from_the_pass_mark_up(year, score, passed):
    framework = FiscalYear.objects.get(year=year).framework

    band, passes = standing(framework, None if score is None else D(score))

    assert passes is passed
    assert (band is None) == (score is None)


@pytest.mark.parametrize(
    ("parts", "indicators", "published", "expected"),
    [
        ([D("80"), D("90")], [D("70"), None], D("60"), (D("85"), "parts")),
        ([D("80"), None], [D("70"), D("72")], D("60"), (D("71"), "indicators")),
        ([], [D("70"), None], D("60"), (D("60"), "official")),
        ([], [], None, (None, "missing")),
    ],
)
def test_a_tool_score_prefers_its_parts_then_its_indicators_then_the_published_score(
    parts, indicators, published, expected
):
    tool = Tool(pk=1, code="EIT", parts=len(parts))
    scores = {(1, part): value for part, value in enumerate(parts, start=1) if value is not None}
    if published is not None:
        scores[(1, 0)] = published

    assert tool_score(tool, scores, indicators) == expected


def test_overall_is_weighted_tool_means_rounded_only_at_the_end():
    # Trat 2564 (reference §4.4): rounding the tool means first would give 81.46.
    iit = mean([D("93.55"), D("87.72"), D("91.01"), D("87.93"), D("89.52")])
    eit = mean([D("90.55"), D("88.68"), D("88.58")])
    oit = mean([D("72.89"), D("65.56")])
    assert weighted_overall([(D(30), iit), (D(30), eit), (D(40), oit)]) == D("81.45")


def test_overall_reproduces_trat_2563():
    iit = mean([D("92.57"), D("86.13"), D("90.08"), D("85.98"), D("88.04")])
    eit = mean([D("83.67"), D("82.11"), D("79.29")])
    oit = mean([D("69.94"), D("52.78")])
    assert weighted_overall([(D(30), iit), (D(30), eit), (D(40), oit)]) == D("75.62")


def test_overall_reproduces_bangkok_2566_with_two_eit_parts():
    eit = mean([D("79.40"), D("82.24")])
    assert weighted_overall([(D(30), D("82.44")), (D(30), eit), (D(40), D("100"))]) == D("88.98")


def test_mean_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        mean([])


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["100"] * 8 + ["0"], "88.89"),  # Pichit 2564 9.1: 8 of 9 items
        (["100"] * 7 + ["0"], "87.50"),
        (["100"] * 4 + ["0"], "80.00"),  # 9.5 with one of five items missed
        (["100"] * 5, "100.00"),
        (["0"] * 3, "0.00"),
        (["100", "99.99"], "50.00"),  # an item passes only with the full 100
    ],
)
def test_oit_sub_indicator_is_the_share_of_items_passed(items, expected):
    assert sub_indicator_score([D(s) for s in items]) == D(expected)


def test_oit_sub_indicator_needs_items():
    with pytest.raises(ValueError):
        sub_indicator_score([])


@pytest.mark.django_db
def test_dusit_2564_computed_overall_matches_the_official_90_40(dusit_2564):
    check = check_overall(dusit_2564)
    assert (check.official, check.computed, check.mismatch) == (D("90.40"), D("90.40"), False)


@pytest.mark.django_db
def test_bangkok_2566_computed_overall_matches_the_official_88_98(bma_2566):
    assert compute_overall(bma_2566) == D("88.98")
    assert check_overall(bma_2566).mismatch is False


@pytest.mark.django_db
def test_a_changed_indicator_is_flagged_and_the_official_score_is_kept(dusit_2564):
    IndicatorScore.objects.filter(assessment=dusit_2564, indicator__number=2).update(
        score=D("81.86")
    )
    check = check_overall(dusit_2564)
    assert (check.computed, check.difference, check.mismatch) == (D("90.39"), D("-0.01"), False)
    IndicatorScore.objects.filter(assessment=dusit_2564, indicator__number=4).update(
        score=D("75.96")
    )
    check = check_overall(Assessment.objects.get(pk=dusit_2564.pk))
    assert (check.computed, check.mismatch) == (D("90.09"), True)
    assert Assessment.objects.get(pk=dusit_2564.pk).official_score == D("90.40")


@pytest.mark.parametrize(
    ("official", "computed", "mismatch"),
    [
        ("90.40", "90.40", False),
        ("90.40", "90.41", False),
        ("90.40", "90.39", False),
        ("90.40", "90.42", True),
        ("90.40", "90.38", True),
        (None, "90.40", False),
        ("90.40", None, False),
    ],
)
def test_mismatch_is_flagged_only_beyond_one_hundredth(official, computed, mismatch):
    check = OverallCheck(
        official=D(official) if official else None, computed=D(computed) if computed else None
    )
    assert check.mismatch is mismatch


@pytest.mark.django_db
def test_an_assessment_without_indicator_scores_cannot_be_computed():
    bma_2565 = Assessment.objects.get(unit__code="bma", fiscal_year__year=2565)
    assert compute_overall(bma_2565) is None
    assert check_overall(bma_2565).mismatch is False
