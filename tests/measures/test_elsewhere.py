"""Measures that worked elsewhere: other units strongest on or most improved on a weak item,
their published measures for it (never drafts or unpublished units'), and copying one as a
draft of the weak unit's next year, once, by its staff only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, FiscalYear, OrgUnit, Question, QuestionScore
from measures.elsewhere import measures_elsewhere
from measures.models import Measure, Weakness
from tests.factories import (
    AssessmentFactory,
    MeasureFactory,
    MeasureStepFactory,
    WeaknessFactory,
    indicator_of,
)

pytestmark = pytest.mark.django_db
D = Decimal


def question_score(unit_code: str, year: int, code: str, score: str, *, published=True):
    """The unit's score on question ``code`` in ``year``, with the assessment made if needed."""
    fiscal_year = FiscalYear.objects.get(year=year)
    assessment, _ = Assessment.objects.get_or_create(
        unit=OrgUnit.objects.get(code=unit_code), fiscal_year=fiscal_year
    )
    if published and assessment.published_at is None:
        Assessment.objects.filter(pk=assessment.pk).update(published_at="2024-01-01T00:00Z")
    question = Question.objects.get(framework_id=fiscal_year.framework_id, code=code)
    QuestionScore.objects.update_or_create(
        assessment=assessment, question=question, defaults={"score": D(score)}
    )
    return assessment


def e1_weakness_of_dusit() -> Weakness:
    """Dusit's 2566 weakness on E1 (65.00) beside the demo's Pathum Wan (79.99, published, with
    a published 2567 measure on E1 and 70.00 in 2565), Phra Nakhon (88.00, published, no
    measures) and Bang Rak (95.00, not published, with a measure on E1)."""
    dusit = question_score("dusit", 2566, "E1", "65.00", published=False)
    question_score("phra-nakhon", 2566, "E1", "88.00")
    question_score("pathum-wan", 2565, "E1", "70.00")
    bang_rak = question_score("bang-rak", 2566, "E1", "95.00", published=False)
    hidden = WeaknessFactory(
        assessment=bang_rak,
        indicator=indicator_of(bang_rak.fiscal_year, 6),
        question=Question.objects.get(framework=bang_rak.fiscal_year.framework, code="E1"),
        score="95.00",
    )
    MeasureFactory(
        unit=bang_rak.unit,
        fiscal_year=FiscalYear.objects.get(year=2567),
        indicator=None,
        weakness=hidden,
        title="มาตรการของหน่วยงานที่ยังไม่เผยแพร่",
    )
    pathum_wan_e1 = Weakness.objects.get(assessment__unit__code="pathum-wan", question__code="E1")
    MeasureFactory(
        unit=pathum_wan_e1.assessment.unit,
        fiscal_year=FiscalYear.objects.get(year=2567),
        indicator=None,
        weakness=pathum_wan_e1,
        title="ร่างที่ยังไม่ยืนยัน",
        draft=True,
    )
    return WeaknessFactory(
        assessment=dusit,
        indicator=indicator_of(dusit.fiscal_year, 6),
        question=Question.objects.get(framework=dusit.fiscal_year.framework, code="E1"),
        score="65.00",
        topic="คุณภาพการดำเนินงาน",
    )


@pytest.fixture
def weakness() -> Weakness:
    return e1_weakness_of_dusit()


def _pathum_wan_measure() -> Measure:
    return Measure.objects.get(unit__code="pathum-wan", weakness__question__code="E1", draft=False)


def test_the_highest_scorers_are_other_units_with_published_results(weakness):
    data = measures_elsewhere(weakness)

    assert [(p.unit.code, p.score) for p in data.highest] == [
        ("phra-nakhon", D("88.00")),
        ("pathum-wan", D("79.99")),
    ]


def test_the_most_improved_need_a_published_score_in_both_years(weakness):
    data = measures_elsewhere(weakness)

    assert [(p.unit.code, p.previous, p.change) for p in data.improved] == [
        ("pathum-wan", D("70.00"), D("9.99"))
    ]


def test_only_published_measures_for_the_same_question_are_offered(weakness):
    peers = {p.unit.code: p for p in measures_elsewhere(weakness).highest}

    assert [m.title for m in peers["pathum-wan"].measures] == [_pathum_wan_measure().title]
    assert peers["phra-nakhon"].measures == []


def test_a_published_measure_answers_a_published_result_and_is_no_draft(weakness):
    published = set(Measure.objects.published().values_list("title", flat=True))

    assert _pathum_wan_measure().title in published
    assert "ร่างที่ยังไม่ยืนยัน" not in published
    assert "มาตรการของหน่วยงานที่ยังไม่เผยแพร่" not in published


def test_an_indicator_weakness_finds_measures_on_that_indicator(staff_dusit):
    # Dusit's 2565 measures (published: its 2564 result is) answer indicator 2 of 2564.
    bma_2564 = AssessmentFactory(
        unit=OrgUnit.objects.get(code="bma"), fiscal_year=FiscalYear.objects.get(year=2564)
    )
    weakness = WeaknessFactory(assessment=bma_2564, score="70.00")

    peers = measures_elsewhere(weakness).highest

    assert [p.unit.code for p in peers] == ["dusit"]
    assert [m.fiscal_year.year for m in peers[0].measures] == [2565]
    assert all(m.indicator.number == 2 for m in peers[0].measures)


def test_the_page_lists_peers_and_a_copy_button_for_the_unit_staff(client, staff_dusit, weakness):
    client.force_login(staff_dusit)

    page = client.get(reverse("measures:weakness-elsewhere", args=[weakness.pk]))

    text = page.content.decode()
    assert "มาตรการจากหน่วยงานอื่นที่ได้ผล: ข้อ E1" in text
    assert "สำนักงานเขตพระนคร" in text or "เขตพระนคร" in text
    assert "คัดลอกเป็นร่างมาตรการ" in text
    assert "มาตรการของหน่วยงานที่ยังไม่เผยแพร่" not in text
    assert "ร่างที่ยังไม่ยืนยัน" not in text


def test_a_director_sees_the_page_without_copy_buttons(client, director_dusit, weakness):
    client.force_login(director_dusit)

    page = client.get(reverse("measures:weakness-elsewhere", args=[weakness.pk]))

    assert page.status_code == 200
    assert "คัดลอกเป็นร่างมาตรการ</button>" not in page.content.decode()


def test_another_units_staff_get_404(client, staff_pathumwan, weakness):
    client.force_login(staff_pathumwan)
    source = _pathum_wan_measure()

    assert client.get(reverse("measures:weakness-elsewhere", args=[weakness.pk])).status_code == 404
    url = reverse("measures:weakness-copy-measure", args=[weakness.pk, source.pk])
    assert client.post(url).status_code == 404


def test_copying_makes_one_draft_of_the_next_year_answering_the_weakness(
    client, staff_dusit, weakness
):
    source = _pathum_wan_measure()
    MeasureStepFactory(measure=source, order=1, text="จัดทำคู่มือ", result="จัดทำแล้ว")
    source.responsible_divisions.set(OrgUnit.objects.divisions_of(source.unit)[:1])
    client.force_login(staff_dusit)
    url = reverse("measures:weakness-copy-measure", args=[weakness.pk, source.pk])

    first = client.post(url)
    again = client.post(url)

    draft = Measure.objects.get(unit__code="dusit", weakness=weakness)
    assert first.status_code == again.status_code == 302
    assert (
        first["Location"]
        == again["Location"]
        == reverse("measures:measure-detail", args=[draft.pk])
    )
    assert (draft.fiscal_year.year, draft.draft, draft.status) == (2567, True, "not_started")
    assert (draft.title, draft.result, draft.indicator) == (
        source.title,
        "",
        indicator_of(draft.fiscal_year, 6),
    )
    assert [(s.text, s.result) for s in draft.steps.all()] == [("จัดทำคู่มือ", "")]
    assert not draft.responsible_divisions.exists()


def test_a_copy_needs_a_post_by_the_units_staff_of_a_published_measure(
    client, staff_dusit, director_dusit, weakness
):
    source = _pathum_wan_measure()
    url = reverse("measures:weakness-copy-measure", args=[weakness.pk, source.pk])
    hidden = Measure.objects.get(title="มาตรการของหน่วยงานที่ยังไม่เผยแพร่")
    draft = Measure.objects.get(title="ร่างที่ยังไม่ยืนยัน")

    client.force_login(director_dusit)
    assert client.post(url).status_code == 403
    client.force_login(staff_dusit)
    assert client.get(url).status_code == 405
    for other in (hidden, draft):
        copy_url = reverse("measures:weakness-copy-measure", args=[weakness.pk, other.pk])
        assert client.post(copy_url).status_code == 404
    assert not Measure.objects.filter(unit__code="dusit", weakness=weakness).exists()
