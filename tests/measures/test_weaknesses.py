"""The weakness register: proposals at the 85 edge, staff decisions, per-indicator analysis."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
)
from measures.models import IndicatorAnalysis, Weakness
from measures.weaknesses import propose_weaknesses
from tests.factories import AssessmentFactory, MeasureFactory, MembershipFactory, WeaknessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(db) -> Assessment:
    """Bang Rak 2566 with scores on both sides of the 85.00 target."""
    assessment = AssessmentFactory(
        unit=OrgUnit.objects.get(code="bang-rak"), fiscal_year=FiscalYear.objects.get(year=2566)
    )
    framework = assessment.framework
    for number, score in [(1, "84.99"), (2, "85.00"), (3, "60.00"), (4, "99.00")]:
        IndicatorScore.objects.create(
            assessment=assessment, indicator=framework.indicators.get(number=number), score=score
        )
    SubIndicatorScore.objects.create(
        assessment=assessment,
        sub_indicator=SubIndicator.objects.get(indicator__framework=framework, code="9.1"),
        score="80.00",
    )
    for code, score in [("I8", "84.99"), ("I9", "85.00")]:
        QuestionScore.objects.create(
            assessment=assessment, question=framework.questions.get(code=code), score=score
        )
    return assessment


@pytest.fixture
def staff_bangrak(scored):
    return MembershipFactory(unit=scored.unit).user


def _item(w: Weakness) -> str:
    if w.question_id:
        return w.question.code
    if w.sub_indicator_id:
        return w.sub_indicator.code
    return f"ind{w.indicator.number}"


def test_items_strictly_below_85_are_proposed_lowest_first(scored, staff_bangrak):
    created = propose_weaknesses(scored, by=staff_bangrak)

    assert [(_item(w), w.score) for w in created] == [
        ("ind3", Decimal("60.00")),
        ("9.1", Decimal("80.00")),
        ("ind1", Decimal("84.99")),
        ("I8", Decimal("84.99")),
    ]
    assert {w.status for w in created} == {Weakness.Status.PROPOSED}
    assert [w.order for w in created] == [1, 2, 3, 4]
    assert created[3].topic == Question.objects.get(framework=scored.framework, code="I8").text
    assert created[0].created_by == staff_bangrak


def test_a_score_of_exactly_85_is_not_a_weakness(scored, staff_bangrak):
    propose_weaknesses(scored, by=staff_bangrak)

    items = {_item(w) for w in Weakness.objects.filter(assessment=scored)}
    assert "ind2" not in items
    assert "I9" not in items


def test_the_target_is_the_frameworks_field(scored, staff_bangrak):
    framework = scored.framework
    framework.weakness_target = Decimal("85.01")
    framework.save()

    created = propose_weaknesses(scored, by=staff_bangrak)

    assert {"ind2", "I9"} <= {_item(w) for w in created}


def test_proposing_again_skips_what_is_already_registered(scored, staff_bangrak):
    first = propose_weaknesses(scored, by=staff_bangrak)
    first[0].status = Weakness.Status.CONFIRMED
    first[0].save()

    second = propose_weaknesses(scored, by=staff_bangrak)

    assert second == []
    assert Weakness.objects.filter(assessment=scored).count() == 4


def test_the_propose_button_reports_how_many_were_proposed(client, scored, staff_bangrak):
    client.force_login(staff_bangrak)

    response = client.post(
        reverse("measures:weakness-propose", kwargs={"pk": scored.pk}), follow=True
    )

    assert [str(m) for m in response.context["messages"]] == [
        "เสนอจุดอ่อนใหม่ 4 รายการ ที่ได้คะแนนต่ำกว่าเป้าหมาย (ใช้เป้าหมายคะแนนผ่านเกณฑ์ ป.ป.ช. ๘๕.๐๐ คะแนน)"
    ]
    assert len(response.context["proposed"]) == 4


def test_staff_confirm_a_proposal(client, scored, staff_bangrak):
    proposal = propose_weaknesses(scored, by=staff_bangrak)[0]
    client.force_login(staff_bangrak)

    client.post(reverse("measures:weakness-confirm", kwargs={"pk": proposal.pk}))

    assert Weakness.objects.get(pk=proposal.pk).status == Weakness.Status.CONFIRMED


def test_staff_edit_a_proposal_and_it_stays_a_proposal(client, scored, staff_bangrak):
    proposal = propose_weaknesses(scored, by=staff_bangrak)[0]
    client.force_login(staff_bangrak)

    response = client.post(
        reverse("measures:weakness-edit", kwargs={"pk": proposal.pk}),
        {
            "indicator": proposal.indicator_id,
            "score": "60.00",
            "topic": "การใช้อำนาจ",
            "analysis": "บุคลากรเห็นว่าการมอบหมายงานไม่เป็นธรรม",
            "urgent": "on",
            "order": 1,
        },
    )

    proposal.refresh_from_db()
    assert response.status_code == 302
    assert (proposal.analysis, proposal.urgent, proposal.status) == (
        "บุคลากรเห็นว่าการมอบหมายงานไม่เป็นธรรม",
        True,
        Weakness.Status.PROPOSED,
    )


def test_staff_discard_a_proposal(client, scored, staff_bangrak):
    proposal = propose_weaknesses(scored, by=staff_bangrak)[0]
    client.force_login(staff_bangrak)

    client.post(reverse("measures:weakness-delete", kwargs={"pk": proposal.pk}))

    assert not Weakness.objects.filter(pk=proposal.pk).exists()


def test_discarding_a_weakness_keeps_its_measure_pointing_at_the_indicator(staff_dusit, dusit_2564):
    weakness = WeaknessFactory(assessment=dusit_2564)
    measure = MeasureFactory(weakness=weakness, indicator=None)

    from measures.weaknesses import discard_weakness

    discard_weakness(weakness, by=staff_dusit)

    measure.refresh_from_db()
    assert (measure.weakness_id, measure.indicator.number) == (None, weakness.indicator.number)
    assert measure.indicator.framework_id == measure.fiscal_year.framework_id


def test_staff_add_a_weakness_by_hand_and_it_is_confirmed(client, scored, staff_bangrak):
    client.force_login(staff_bangrak)
    i8 = scored.framework.questions.get(code="I8")

    response = client.post(
        reverse("measures:weakness-create", kwargs={"pk": scored.pk}),
        {
            "indicator": i8.indicator_id,
            "question": i8.pk,
            "score": "84.99",
            "topic": "การรับรู้งบประมาณ",
            "order": 0,
        },
    )

    weakness = Weakness.objects.get(assessment=scored)
    assert response["Location"] == reverse("measures:weakness-detail", kwargs={"pk": weakness.pk})
    assert (weakness.question, weakness.status, weakness.created_by) == (
        i8,
        Weakness.Status.CONFIRMED,
        staff_bangrak,
    )


def test_a_question_of_another_indicator_is_refused_in_thai(client, scored, staff_bangrak):
    client.force_login(staff_bangrak)
    i8 = scored.framework.questions.get(code="I8")
    indicator_1 = scored.framework.indicators.get(number=1)

    response = client.post(
        reverse("measures:weakness-create", kwargs={"pk": scored.pk}),
        {"indicator": indicator_1.pk, "question": i8.pk, "order": 0},
    )

    assert response.context["form"].errors["question"] == ["ข้อคำถามไม่อยู่ในตัวชี้วัดที่เลือก"]
    assert not Weakness.objects.filter(assessment=scored).exists()


def test_an_indicator_of_another_years_framework_is_not_a_choice(client, scored, staff_bangrak):
    client.force_login(staff_bangrak)
    old = FiscalYear.objects.get(year=2564).framework.indicators.get(number=1)

    response = client.post(
        reverse("measures:weakness-create", kwargs={"pk": scored.pk}),
        {"indicator": old.pk, "order": 0},
    )

    assert "indicator" in response.context["form"].errors
    assert not Weakness.objects.filter(assessment=scored).exists()


def _analysis_post(assessment: Assessment, texts: dict[int, tuple[str, str]]) -> dict:
    data = {}
    for indicator in assessment.framework.indicators.all():
        result, analysis = texts.get(indicator.number, ("", ""))
        data[f"ind{indicator.number}-result_text"] = result
        data[f"ind{indicator.number}-analysis"] = analysis
    return data


def test_the_analysis_page_has_a_form_for_every_indicator_not_only_weak_ones(
    client, scored, staff_bangrak
):
    client.force_login(staff_bangrak)

    response = client.get(reverse("measures:indicator-analysis", kwargs={"pk": scored.pk}))

    assert [indicator.number for indicator, _, _ in response.context["rows"]] == list(range(1, 11))


def test_staff_save_the_analysis_of_strong_and_weak_indicators_at_once(
    client, scored, staff_bangrak
):
    client.force_login(staff_bangrak)

    client.post(
        reverse("measures:indicator-analysis", kwargs={"pk": scored.pk}),
        _analysis_post(
            scored,
            {
                3: ("ผลคะแนน 60.00 ต่ำกว่าเกณฑ์", "การมอบหมายงานไม่เป็นธรรม"),
                4: ("ผลคะแนน 99.00 สูงกว่าเกณฑ์", ""),
            },
        ),
    )

    saved = {
        a.indicator.number: (a.result_text, a.analysis)
        for a in IndicatorAnalysis.objects.filter(assessment=scored).select_related("indicator")
    }
    assert saved == {
        3: ("ผลคะแนน 60.00 ต่ำกว่าเกณฑ์", "การมอบหมายงานไม่เป็นธรรม"),
        4: ("ผลคะแนน 99.00 สูงกว่าเกณฑ์", ""),
    }


def test_clearing_an_indicators_analysis_removes_it(client, scored, staff_bangrak):
    client.force_login(staff_bangrak)
    url = reverse("measures:indicator-analysis", kwargs={"pk": scored.pk})
    client.post(url, _analysis_post(scored, {1: ("ก", "ข"), 2: ("ค", "ง")}))

    client.post(url, _analysis_post(scored, {2: ("ค", "ง")}))

    numbers = IndicatorAnalysis.objects.filter(assessment=scored).values_list(
        "indicator__number", flat=True
    )
    assert list(numbers) == [2]


def test_the_weakness_page_shows_its_history_with_thai_field_names(client, staff_dusit, dusit_2564):
    weakness = WeaknessFactory(assessment=dusit_2564, analysis="เดิม")
    client.force_login(staff_dusit)
    client.post(
        reverse("measures:weakness-edit", kwargs={"pk": weakness.pk}),
        {
            "indicator": weakness.indicator_id,
            "score": "81.96",
            "topic": weakness.topic,
            "analysis": "ใหม่",
            "order": weakness.order,
        },
    )

    response = client.get(reverse("measures:weakness-detail", kwargs={"pk": weakness.pk}))

    latest = response.context["history"][0]
    assert latest.who == "นายพัฒนา อังศุกสิกร"
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("การวิเคราะห์", "เดิม", "ใหม่")]
