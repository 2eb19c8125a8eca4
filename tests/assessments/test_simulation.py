"""What-if simulation: target scores give the tool scores, overall, level and pass of the
framework's own rules, and the smallest changes that reach the pass mark or a unit's target."""

from decimal import Decimal

import pytest

from assessments.models import Indicator, Question, SubIndicator
from assessments.scoring import compute_overall
from assessments.simulation import FrameworkItems, Goal, Targets, goals, plan, simulate

D = Decimal


def _indicator(assessment, number: int) -> Indicator:
    return Indicator.objects.get(framework=assessment.fiscal_year.framework, number=number)


def _tools(outcome) -> dict[str, Decimal]:
    return {r.tool.code: round(r.value, 2) for r in outcome.tools}


@pytest.mark.django_db
def test_without_targets_bma_2566_comes_out_at_the_published_88_98(bma_2566):
    result = simulate(bma_2566, Targets())

    assert result.before.overall == result.after.overall == D("88.98")
    assert result.before.overall == compute_overall(bma_2566)
    assert _tools(result.before) == {"IIT": D("82.44"), "EIT": D("80.82"), "OIT": D("100.00")}
    assert (result.before.level.label, result.before.passed) == ("ผ่าน", True)


@pytest.mark.django_db
def test_an_eit_indicator_target_moves_the_eit_parts_by_the_change_of_their_mean(bma_2566):
    # EIT 2566 is the mean of its two parts; indicator 6 from 82.88 to 52.88 takes 10 points off
    # the mean of indicators 6–8, so EIT falls to 70.82 and the overall by 3.00.
    result = simulate(bma_2566, Targets(indicators={_indicator(bma_2566, 6).pk: D("52.88")}))

    assert _tools(result.after)["EIT"] == D("70.82")
    assert result.after.overall == D("85.98")
    assert result.before.overall == D("88.98")


@pytest.mark.django_db
def test_targets_that_sink_the_overall_below_85_fail_under_the_2566_bands(bma_2566):
    targets = Targets(indicators={_indicator(bma_2566, 9).pk: D("80.00")})

    result = simulate(bma_2566, targets)

    # OIT = mean(80, 100) = 90: 0.3 × 82.442 + 0.3 × 80.82 + 0.4 × 90 = 84.9786
    assert result.after.overall == D("84.98")
    assert (result.after.level.label, result.after.passed) == ("ต้องปรับปรุง", False)


@pytest.mark.django_db
def test_each_indicator_gives_its_share_of_the_overall_per_point(bma_2566):
    gains = {g.indicator.number: g.per_point for g in simulate(bma_2566, Targets()).gains}

    # IIT 30 % over 5 indicators, EIT 30 % over 3, OIT 40 % over 2 (reference §2)
    assert gains == {
        **{n: D("0.06") for n in range(1, 6)},
        **{n: D("0.1") for n in range(6, 9)},
        9: D("0.2"),
        10: D("0.2"),
    }
    assert [g.indicator.number for g in simulate(bma_2566, Targets()).gains][:2] == [9, 10]


@pytest.mark.django_db
def test_the_smallest_change_to_pass_raises_the_indicator_with_the_largest_gain(bma_2566):
    items = FrameworkItems(bma_2566.fiscal_year.framework)
    sunk = simulate(bma_2566, Targets(indicators={_indicator(bma_2566, 9).pk: D("80.00")}))

    result = plan(items, sunk.after.scores, Goal("ผ่าน", D("85.00")))

    assert not result.reached
    # 84.9786 needs 0.0164 more (84.995 rounds to 85.00): 0.09 points on indicator 9 or 10
    assert [(c.indicator.number, c.target) for c in result.combined] == [(9, D("80.09"))]
    assert result.combined_points == D("0.09")
    alone = {gain.indicator.number: change for gain, change in result.alone}
    assert alone[6].target == D("83.05")  # 0.1 per point: 0.17 points
    assert alone[1].target == D("92.55")  # 0.06 per point: 0.28 points


@pytest.mark.django_db
def test_a_goal_out_of_reach_of_one_indicator_is_met_by_several(bma_2566):
    items = FrameworkItems(bma_2566.fiscal_year.framework)
    scores = simulate(bma_2566, Targets()).after.scores

    result = plan(items, scores, Goal("ค่าเป้าหมายของหน่วยงาน", D("95.00")))

    # 9 and 10 are at 100; EIT indicators give 0.1 a point, IIT ones 0.06: 6.0164 more is
    # 6, 7 and 8 raised to 100 (5.753) and 0.2634 / 0.06 = 4.39 points on indicator 1.
    alone = {gain.indicator.number: change for gain, change in result.alone}
    assert all(change is None for change in alone.values())
    assert [(c.indicator.number, c.target) for c in result.combined] == [
        (6, D("100.00")),
        (7, D("100.00")),
        (8, D("100.00")),
        (1, D("96.66")),
    ]
    final = simulate(
        bma_2566, Targets(indicators={c.indicator.pk: c.target for c in result.combined})
    )
    assert final.after.overall >= D("95.00")
    assert final.after.level.label == "ดีเยี่ยม"


@pytest.mark.django_db
def test_no_combination_reaches_more_than_100(bma_2566):
    items = FrameworkItems(bma_2566.fiscal_year.framework)
    scores = simulate(bma_2566, Targets()).after.scores

    assert plan(items, scores, Goal("เกิน", D("100.01"))).combined is None


@pytest.mark.django_db
def test_a_unit_target_is_a_goal_beside_the_pass_mark(bma_2566):
    framework = bma_2566.fiscal_year.framework

    assert [g.value for g in goals(framework)] == [D("85.00")]
    assert [g.label for g in goals(framework, D("92.00"))] == [
        "คะแนนผ่านเกณฑ์",
        "ค่าเป้าหมายของหน่วยงาน",
    ]
    result = simulate(bma_2566, Targets(), unit_target=D("92.00"))
    assert [p.reached for p in result.plans] == [True, False]


@pytest.mark.django_db
def test_a_failed_oit_item_passing_moves_its_sub_indicator_indicator_and_overall(dusit_2564):
    # Dusit 2564: O1 = 0 in 9.1 = 83.33. 9.1 has nine items (O1–O9), so passing one more adds
    # 100 / 9 = 11.11 to it; indicator 9 is the mean of 9.1–9.5 and OIT of indicators 9 and 10.
    o1 = Question.objects.get(framework=dusit_2564.fiscal_year.framework, code="O1")
    sub = SubIndicator.objects.get(indicator__framework=o1.framework, code="9.1")

    result = simulate(dusit_2564, Targets(questions={o1.pk: D("100")}))

    assert result.after.scores.sub_indicators[sub.pk] == D("94.44")
    nine = _indicator(dusit_2564, 9).pk
    assert result.after.scores.indicators[nine] == D("93.78") + D("11.11") / 5
    assert result.before.overall == D("90.40")
    assert result.after.exact - result.before.exact == D("0.4") * (D("11.11") / 5) / 2


@pytest.mark.django_db
def test_a_survey_question_moves_its_indicator_by_its_share_of_the_mean(dusit_2564):
    # I7 is one of six questions of indicator 2 (I7–I12): +30 points on it is +5 on indicator 2.
    i7 = Question.objects.get(framework=dusit_2564.fiscal_year.framework, code="I7")

    result = simulate(dusit_2564, Targets(questions={i7.pk: D("91.49")}))

    assert result.after.scores.indicators[_indicator(dusit_2564, 2).pk] == D("86.96")


@pytest.mark.django_db
def test_an_indicator_target_wins_over_what_its_questions_give(dusit_2564):
    i7 = Question.objects.get(framework=dusit_2564.fiscal_year.framework, code="I7")
    two = _indicator(dusit_2564, 2).pk

    result = simulate(dusit_2564, Targets(indicators={two: D("90.00")}, questions={i7.pk: D("0")}))

    assert result.after.scores.indicators[two] == D("90.00")
