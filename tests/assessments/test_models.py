"""Database rules of the assessments models: score ranges, uniqueness, fiscal-year dates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import (
    Assessment,
    FiscalYear,
    Framework,
    IndicatorScore,
    OrgUnit,
    Question,
    QuestionScore,
    ToolScore,
)

pytestmark = pytest.mark.django_db


def _fails_in_database(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("score", ["-0.01", "100.01"])
def test_scores_outside_0_to_100_are_refused_by_the_database(dusit_2564, score):
    i1 = dusit_2564.framework.questions.get(code="I1")
    ind = dusit_2564.framework.indicators.get(number=1)
    iit = dusit_2564.framework.tools.get(code="IIT")
    assert _fails_in_database(
        lambda: QuestionScore.objects.create(assessment=dusit_2564, question=i1, score=score)
    )
    assert _fails_in_database(
        lambda: IndicatorScore.objects.filter(assessment=dusit_2564, indicator=ind).update(
            score=score
        )
    )
    assert _fails_in_database(
        lambda: ToolScore.objects.create(assessment=dusit_2564, tool=iit, score=score)
    )
    assert _fails_in_database(
        lambda: Assessment.objects.filter(pk=dusit_2564.pk).update(official_score=score)
    )


@pytest.mark.parametrize("score", ["0.00", "100.00"])
def test_scores_of_exactly_0_and_100_are_accepted(dusit_2564, score):
    i1 = dusit_2564.framework.questions.get(code="I1")
    created = QuestionScore.objects.create(assessment=dusit_2564, question=i1, score=score)
    assert QuestionScore.objects.get(pk=created.pk).score == Decimal(score)


def test_a_lowest_option_share_over_100_is_refused(dusit_2564):
    i1 = dusit_2564.framework.questions.get(code="I1")
    assert _fails_in_database(
        lambda: QuestionScore.objects.create(
            assessment=dusit_2564, question=i1, score="50", lowest_option_share="100.5"
        )
    )


def test_a_score_over_100_gets_a_thai_validation_message(dusit_2564):
    i1 = dusit_2564.framework.questions.get(code="I1")
    score = QuestionScore(assessment=dusit_2564, question=i1, score=Decimal("150"))
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert error.value.message_dict["score"] == ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]


def test_a_unit_has_one_assessment_per_fiscal_year(dusit_2564):
    assert _fails_in_database(
        lambda: Assessment.objects.create(unit=dusit_2564.unit, fiscal_year=dusit_2564.fiscal_year)
    )


def test_a_question_is_scored_once_per_assessment(dusit_2564):
    i7 = dusit_2564.framework.questions.get(code="I7")
    assert _fails_in_database(
        lambda: QuestionScore.objects.create(assessment=dusit_2564, question=i7, score="70")
    )


def test_an_indicator_is_scored_once_per_assessment(dusit_2564):
    ind = dusit_2564.framework.indicators.get(number=1)
    assert _fails_in_database(
        lambda: IndicatorScore.objects.create(assessment=dusit_2564, indicator=ind, score="70")
    )


def test_a_question_code_is_unique_within_its_framework_only(dusit_2564):
    framework = dusit_2564.framework
    ind = framework.indicators.get(number=1)
    assert _fails_in_database(
        lambda: Question.objects.create(framework=framework, indicator=ind, code="I1", text="ซ้ำ")
    )
    with_iit = Framework.objects.filter(questions__code__startswith="I").distinct()
    assert Question.objects.filter(code="I1").count() == with_iit.count()  # one each


def test_a_score_must_use_a_question_of_its_own_years_framework(dusit_2564):
    question_2566 = FiscalYear.objects.get(year=2566).framework.questions.get(code="I1")
    score = QuestionScore(assessment=dusit_2564, question=question_2566, score=Decimal("50"))
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert error.value.message_dict["question"] == ["รายการนี้ไม่อยู่ในเกณฑ์การประเมินของปีงบประมาณนี้"]


def test_a_fiscal_year_runs_from_1_october_to_30_september():
    fy = FiscalYear.objects.get(year=2564)
    assert (fy.start, fy.end) == (datetime.date(2020, 10, 1), datetime.date(2021, 9, 30))


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2020, 9, 30), 2563),
        (datetime.date(2020, 10, 1), 2564),
        (datetime.date(2021, 9, 30), 2564),
        (datetime.date(2026, 11, 22), 2570),
    ],
)
def test_a_date_belongs_to_the_fiscal_year_that_contains_it(day, year):
    assert FiscalYear.year_of(day) == year


def test_every_model_reads_in_thai(dusit_2564):
    i7 = dusit_2564.question_scores.get(question__code="I7")
    assert str(dusit_2564) == "ผลการประเมิน ITA สำนักงานเขตดุสิต ปีงบประมาณ พ.ศ. 2564"
    assert str(dusit_2564.fiscal_year) == "ปีงบประมาณ พ.ศ. 2564"
    assert str(i7) == "I7: 61.49"
    assert str(dusit_2564.indicator_scores.get(indicator__number=2)) == "ตัวชี้วัดที่ 2: 81.96"
    assert str(OrgUnit.objects.get(code="dusit-admin")) == "ฝ่ายปกครอง"
    assert str(dusit_2564.framework.levels.get(code="A")) == "A (≥ 85.00)"


def test_a_framework_without_scores_can_be_deleted_with_its_items():
    from assessments.models import Framework

    source = Framework.objects.get(code="ita2567")
    copy = Framework.objects.create(code="ita2599", name="ทดลอง")
    tool = copy.tools.create(code="IIT", name="IIT", weight=30)
    indicator = copy.indicators.create(number=1, name="ทดลอง", tool=tool, weight=6)
    copy.questions.create(code="I1", text="ทดลอง", indicator=indicator)
    copy.delete()
    assert not Framework.objects.filter(code="ita2599").exists()
    assert source.questions.exists()


def test_a_framework_with_scores_cannot_be_deleted(dusit_2564):
    from django.db.models import ProtectedError, RestrictedError

    with pytest.raises((ProtectedError, RestrictedError)):
        dusit_2564.framework.delete()


def test_a_question_must_belong_to_an_indicator_of_its_own_framework(dusit_2564):
    other = FiscalYear.objects.get(year=2566).framework.indicators.get(number=1)
    question = Question(framework=dusit_2564.framework, indicator=other, code="I99", text="x")
    with pytest.raises(ValidationError) as error:
        question.full_clean()
    assert error.value.message_dict["indicator"] == ["ตัวชี้วัดต้องอยู่ในเกณฑ์การประเมินเดียวกับข้อคำถาม"]


def test_an_indicator_must_use_a_tool_of_its_own_framework(dusit_2564):
    from assessments.models import Indicator

    other_tool = FiscalYear.objects.get(year=2566).framework.tools.get(code="IIT")
    indicator = Indicator(framework=dusit_2564.framework, tool=other_tool, number=11, name="x")
    indicator.weight = Decimal("1")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert error.value.message_dict["tool"] == ["เครื่องมือต้องอยู่ในเกณฑ์การประเมินเดียวกับตัวชี้วัด"]


def test_a_tool_score_part_must_exist_on_the_tool(dusit_2564, bma_2566):
    eit_2564 = dusit_2564.framework.tools.get(code="EIT")
    score = ToolScore(assessment=dusit_2564, tool=eit_2564, part=1, score=Decimal("80"))
    with pytest.raises(ValidationError) as error:
        score.full_clean()
    assert error.value.message_dict["part"] == ["EIT ไม่มีส่วนที่ 1"]
    eit_2566 = bma_2566.framework.tools.get(code="EIT")
    ToolScore(assessment=bma_2566, tool=eit_2566, part=2, score=Decimal("80")).clean()


def test_a_framework_code_is_stored_in_lower_case():
    from assessments.models import Framework

    framework = Framework(code="ITA2599", name="ทดลอง")
    framework.full_clean()
    assert framework.code == "ita2599"


def test_sub_indicator_scores_sort_9_before_10(dusit_2564):
    sub_10 = dusit_2564.framework.indicators.get(number=10).sub_indicators.get(code="10.1")
    dusit_2564.sub_indicator_scores.create(sub_indicator=sub_10, score=Decimal("100"))
    codes = list(dusit_2564.sub_indicator_scores.values_list("sub_indicator__code", flat=True))
    assert codes == ["9.1", "9.5", "10.1"]
