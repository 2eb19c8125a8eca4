"""How the frameworks are known: confidence and source on every item, the district framework of
2566, the unit's target, and the reference's arithmetic (framework_sources_2566_2569.md)."""

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from assessments.frameworks import framework_for, unit_target
from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    IndicatorScore,
    OrgUnit,
    SubIndicatorScore,
)
from assessments.reference_data import FIXTURES_DIR
from assessments.scoring import check_sub_indicators, compute_overall
from measures.weaknesses import propose_weaknesses

pytestmark = pytest.mark.django_db
FIXTURES = sorted((FIXTURES_DIR / "frameworks").glob("*.yaml"))
SECTIONS = ("levels", "tools", "indicators", "sub_indicators", "questions")


def _fixture(name: str) -> dict:
    return yaml.safe_load((FIXTURES_DIR / "frameworks" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_item_of_every_fixture_carries_its_confidence_and_source(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "copy_of" in data:  # a provisional copy: every item unknown, made by copy_framework
        return
    items = [data] + [item for section in SECTIONS for item in data.get(section) or []]
    for item in items:
        assert item["confidence"] in Confidence.values, item
        assert item["source"].strip(), item


def test_a_copied_year_is_unknown_item_by_item_and_names_what_it_was_copied_from():
    f2570 = Framework.objects.get(code="ita2570")
    for items in (f2570.questions, f2570.indicators, f2570.tools, f2570.levels):
        assert set(items.values_list("confidence", flat=True)) == {Confidence.UNKNOWN}
    assert all(q.source.startswith("คัดลอกจาก ita2569") for q in f2570.questions.all())


def test_an_unknown_item_is_never_filled_with_another_years_text():
    by_code = {}
    for framework in Framework.objects.prefetch_related("questions"):
        for question in framework.questions.all():
            by_code.setdefault(question.code, []).append((framework.code, question))
    for framework in Framework.objects.exclude(copied_from__isnull=False):
        for question in framework.questions.filter(confidence=Confidence.UNKNOWN):
            if not question.text:
                continue
            others = [
                q.text for code, q in by_code[question.code] if code != framework.code and q.text
            ]
            assert question.text not in others, (framework.code, question.code)


def test_from_2566_a_district_office_uses_the_district_framework_and_others_the_general():
    fy = FiscalYear.objects.get(year=2566)
    district = framework_for(OrgUnit.objects.get(code="pathum-wan"), fy)
    general = framework_for(OrgUnit.objects.get(code="bma"), fy)
    council = framework_for(OrgUnit.objects.get(code="council-secretariat"), fy)
    assert (district.code, district.unit_kind) == ("ita2566-district", "district")
    assert general.code == council.code == "ita2566"
    fy2564 = FiscalYear.objects.get(year=2564)
    assert framework_for(OrgUnit.objects.get(code="dusit"), fy2564).code == "ita2563-2565"


def test_the_2566_district_framework_has_indicator_9_as_o1_to_o22_with_unknown_items():
    district = Framework.objects.get(code="ita2566-district")
    oit = district.questions.filter(indicator__number=9).order_by("order")
    assert [q.code for q in oit] == [f"O{n}" for n in range(1, 23)]
    assert {(q.text, q.confidence) for q in oit} == {("", Confidence.UNKNOWN)}
    assert not district.questions.filter(indicator__number=10).exists()
    assert oit.first().display_text.startswith("ไม่ทราบถ้อยคำ")


def test_the_2566_district_wording_comes_from_seed_003_and_the_rest_is_unknown():
    district = Framework.objects.get(code="ita2566-district")
    official = set(
        district.questions.filter(confidence=Confidence.OFFICIAL).values_list("code", flat=True)
    )
    assert official == {"I8", "I17", "E1", "E2", "E3", "E7", "E8"} | {
        f"E{n}" for n in range(10, 16)
    }
    for code in ("I1", "I7", "I9", "I30", "E4", "E5", "E6", "E9"):
        question = district.questions.get(code=code)
        assert (question.text, question.confidence) == ("", Confidence.UNKNOWN)


def test_the_2566_general_list_is_marked_as_the_obec_school_list_not_verified():
    general = Framework.objects.get(code="ita2566")
    o_items = general.questions.filter(code__startswith="O")
    assert set(o_items.values_list("confidence", flat=True)) == {Confidence.OTHER_AGENCY_KIND}
    assert "OBEC" in o_items.get(code="O1").source
    assert general.questions.get(code="I1").text == ""  # the 2564 wording is gone
    assert general.confidence == Confidence.ARITHMETIC  # weights: BMA 2566 = 88.98


def test_the_e12_and_e13_ocr_corrections_of_seed_003():
    for code in ("ita2566", "ita2566-district"):
        framework = Framework.objects.get(code=code)
        e13 = framework.questions.get(code="E13").text
        assert "การจองคิว" in e13 and "การจ้องคิว" not in e13
        assert "การอำนวยความสะดวกให้แก่ประชาชน" in e13
        e12 = framework.questions.get(code="E12")
        assert "เพื่อให้ประชาชนเสียเวลา" in e12.text  # flagged, not auto-fixed
        assert "เพื่อไม่ให้" in e12.source


def test_the_2568_o3_and_o23_texts_follow_rtrda():
    f2568 = Framework.objects.get(code="ita2568")
    assert f2568.questions.get(code="O3").text == "ข้อมูลการติดต่อ"
    o23 = f2568.questions.get(code="O23").text
    assert o23 == "การประเมินความเสี่ยงที่อาจเกิดการให้หรือรับสินบนจากการดำเนินงานตามภารกิจของหน่วยงาน"
    assert f2568.questions.get(code="O5").confidence == Confidence.UNKNOWN


def test_2569_has_its_own_sourced_oit_list_and_no_iit_or_eit_text():
    f2569 = Framework.objects.get(code="ita2569")
    assert f2569.provisional and f2569.copied_from is None
    assert f2569.questions.get(code="O25").text == "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร"
    assert not f2569.questions.exclude(code__startswith="O").exists()
    assert f2569.questions.get(code="O2").confidence == Confidence.UNKNOWN


def test_the_confidence_note_counts_what_is_not_confirmed():
    district = Framework.objects.get(code="ita2566-district")
    counts = district.unconfirmed
    assert (
        counts[Confidence.UNKNOWN]
        == district.questions.filter(confidence=Confidence.UNKNOWN).count()
        + district.levels.filter(confidence=Confidence.UNKNOWN).count()
    )
    assert "ยังไม่ยืนยันจากแหล่งทางการ" in district.confidence_note
    assert Framework.objects.get(code="ita2563-2565").confidence_note  # EIT wording unknown


def test_a_unit_works_to_its_frameworks_pass_mark_unless_it_has_its_own_target():
    dusit = OrgUnit.objects.get(code="dusit")
    framework = Framework.objects.get(code="ita2563-2565")
    target = unit_target(dusit, framework)
    assert (target.score, target.own) == (D("85.00"), False)
    assert target.note == "ใช้เป้าหมายคะแนนผ่านเกณฑ์ ป.ป.ช. ๘๕.๐๐ คะแนน"
    dusit.target_score, dusit.target_label = D("95.00"), "ตัวชี้วัด KPI กรุงเทพมหานคร (ระดับ AA)"
    target = unit_target(dusit, framework)
    assert (target.score, target.own) == (D("95.00"), True)
    assert target.note == "ใช้เป้าหมายตัวชี้วัด KPI กรุงเทพมหานคร (ระดับ AA) ๙๕.๐๐ คะแนน"


def test_weakness_proposals_use_the_units_own_target(staff_dusit):
    dusit = OrgUnit.objects.get(code="dusit")
    assessment = Assessment.objects.get(unit=dusit, fiscal_year__year=2564)
    propose_weaknesses(assessment, by=staff_dusit)  # at the pass mark, 85
    indicator_1 = {"indicator__number": 1, "sub_indicator": None, "question": None}
    assert not assessment.weaknesses.filter(**indicator_1).exists()  # 92.35
    dusit.target_score = D("95.00")
    dusit.save()
    assessment = Assessment.objects.get(pk=assessment.pk)
    added = propose_weaknesses(assessment, by=staff_dusit)
    assert "การปฏิบัติหน้าที่" in {w.topic for w in added}
    assert assessment.weaknesses.filter(**indicator_1).exists()


# --- the reference's arithmetic ---------------------------------------------------------------


def test_bma_2566_is_88_98_from_its_ten_indicators():
    bma = Assessment.objects.get(unit__code="bma", fiscal_year__year=2566)
    bma.tool_scores.all().delete()  # to the indicator: no published tool score used
    assert compute_overall(bma) == D("88.98")


@pytest.mark.parametrize(
    ("ind2", "ind4", "overall"),
    [("81.96", "80.96", "90.40"), ("81.86", "80.86", "90.39")],
)
def test_dusit_2564_is_90_40_only_with_81_96_and_80_96(ind2, ind4, overall):
    dusit = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    IndicatorScore.objects.filter(assessment=dusit, indicator__number=2).update(score=D(ind2))
    IndicatorScore.objects.filter(assessment=dusit, indicator__number=4).update(score=D(ind4))
    assert compute_overall(dusit) == D(overall)


def _dusit_indicator_9():
    dusit = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    check = next(c for c in check_sub_indicators(dusit) if c.indicator.number == 9)
    return dusit, check


def test_indicator_9_is_93_78_from_8_of_9_and_4_of_5_items():
    _dusit, check = _dusit_indicator_9()
    assert check.indicator.number == 9
    assert (check.computed, check.official, check.consistent) == (D("93.78"), D("93.78"), True)
    subs = {s.sub_indicator.code: (s.items, s.failed, s.computed) for s in check.subs}
    assert subs["9.1"] == (9, 1, D("88.89"))
    assert subs["9.5"] == (5, 1, D("80.00"))
    assert {subs[c][2] for c in ("9.2", "9.3", "9.4")} == {D("100.00")}


def test_seed_001s_9_1_of_83_33_is_shown_beside_the_computed_88_89_and_flagged():
    dusit, check = _dusit_indicator_9()
    nine_one = next(s for s in check.subs if s.sub_indicator.code == "9.1")
    assert (nine_one.official, nine_one.computed, nine_one.mismatch) == (
        D("83.33"),
        D("88.89"),
        True,
    )
    assert SubIndicatorScore.objects.get(assessment=dusit, sub_indicator__code="9.1").score == D(
        "83.33"
    )  # the seed's own figure stays as published


def test_the_score_entry_page_shows_the_computed_sub_indicator_beside_the_official(
    client, staff_dusit
):
    client.force_login(staff_dusit)
    dusit = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    page = client.get(reverse("assessments:score-entry", args=[dusit.pk])).content.decode()
    assert "ค่าที่ประกาศ 83.33 ไม่ตรงกับที่คำนวณได้ 88.89" in page
    assert "ใช้เป้าหมายคะแนนผ่านเกณฑ์ ป.ป.ช." in page


def test_a_district_score_entry_page_carries_the_confidence_note(client, staff_pathumwan):
    client.force_login(staff_pathumwan)
    result = Assessment.objects.get(unit__code="pathum-wan", fiscal_year__year=2566)
    page = client.get(reverse("assessments:score-entry", args=[result.pk])).content.decode()
    assert "มีรายการที่ยังไม่ยืนยันจากแหล่งทางการ" in page
    assert "สำนักงานเขต ปีงบประมาณ" in page  # the district framework's name


def test_the_central_teams_list_of_years_counts_the_unconfirmed_items(client, central_team):
    client.force_login(central_team)
    page = client.get(reverse("assessments:fiscal-years")).content.decode()
    district = Framework.objects.get(code="ita2566-district")
    assert district.name in page
    row = page[page.index(district.name) :].split("</tr>")[0]
    assert f'<td class="num">{district.unconfirmed[Confidence.UNKNOWN]}</td>' in row


def test_a_load_moves_a_district_offices_2566_scores_recorded_on_the_general_framework():
    from assessments.frameworks import rehome_district_results
    from assessments.models import QuestionScore

    result = Assessment.objects.get(unit__code="pathum-wan", fiscal_year__year=2566)
    general_i8 = Framework.objects.get(code="ita2566").questions.get(code="I8")
    QuestionScore.objects.filter(assessment=result, question__code="I8").update(
        question=general_i8
    )  # as a database from before district frameworks holds it

    assert rehome_district_results() == 1
    score = QuestionScore.objects.get(assessment=result, question__code="I8")
    assert score.question.framework.code == "ita2566-district"
    assert rehome_district_results() == 0
