"""Opening a fiscal year: a provisional copy of the year before, cleared, confirmed."""

import pytest
import tablib
from django.core.exceptions import ValidationError

from assessments.frameworks import (
    clear_questions,
    confirm_framework,
    copy_framework,
    next_fiscal_year,
    open_fiscal_year,
)
from assessments.models import Confidence, FiscalYear, Framework, QuestionScore
from assessments.resources import QuestionResource
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _items(framework: Framework) -> dict:
    """Everything a framework holds, without ids, for comparing a copy with its source."""
    return {
        "targets": (framework.pass_mark, framework.weakness_target),
        "levels": list(framework.levels.values_list("code", "label", "min_score", "passed")),
        "tools": list(framework.tools.values_list("code", "name", "weight", "parts", "order")),
        "indicators": list(
            framework.indicators.values_list("number", "name", "tool__code", "weight")
        ),
        "sub_indicators": sorted(
            framework.indicators.values_list(
                "sub_indicators__code", "sub_indicators__name"
            ).exclude(sub_indicators=None)
        ),
        "questions": list(
            framework.questions.values_list(
                "code", "indicator__number", "sub_indicator__code", "text", "group", "order"
            )
        ),
    }


def test_a_copy_holds_every_item_of_its_source_and_is_provisional():
    source = Framework.objects.get(code="ita2566")  # has sub-indicators and two-part EIT
    copy = copy_framework(source, code="copy-2566", name="สำเนา")
    assert _items(copy) == _items(source)
    assert _items(copy)["sub_indicators"] and _items(copy)["questions"]
    assert copy.provisional and copy.copied_from == source
    assert copy.confidence == Confidence.UNKNOWN
    for items in (copy.questions, copy.levels, copy.tools, copy.indicators):
        assert set(items.values_list("confidence", flat=True)) == {Confidence.UNKNOWN}
    assert copy.questions.get(code="E1").source.startswith("คัดลอกจาก ita2566")


def test_a_copy_points_only_at_its_own_items():
    copy = copy_framework(Framework.objects.get(code="ita2566"), code="own", name="สำเนา")
    assert not copy.indicators.exclude(tool__framework=copy).exists()
    assert not copy.questions.exclude(indicator__framework=copy).exists()
    assert (
        not copy.questions.exclude(sub_indicator=None)
        .exclude(sub_indicator__indicator__framework=copy)
        .exists()
    )


def test_copying_onto_a_code_in_use_is_refused():
    with pytest.raises(ValidationError):
        copy_framework(Framework.objects.get(code="ita2566"), code="ita2568", name="ซ้ำ")


def test_opening_the_next_year_copies_the_latest_years_framework():
    assert next_fiscal_year() == 2571
    fiscal_year = open_fiscal_year(2571)
    framework = fiscal_year.framework
    assert (framework.code, framework.name) == ("ita2571", "เกณฑ์การประเมิน ITA ปีงบประมาณ พ.ศ. ๒๕๗๑")
    assert framework.copied_from == FiscalYear.objects.get(year=2570).framework
    assert _items(framework) == _items(framework.copied_from)
    assert framework.provisional
    assert next_fiscal_year() == 2572


def test_a_year_is_opened_once_and_only_after_the_year_before():
    open_fiscal_year(2571)
    with pytest.raises(ValidationError):
        open_fiscal_year(2571)
    with pytest.raises(ValidationError):
        open_fiscal_year(2580)


def test_confirming_ends_the_provisional_state_and_its_note():
    framework = open_fiscal_year(2571).framework
    assert framework.provisional_note() == (
        "เกณฑ์ปี ๒๕๗๑ เป็นฉบับชั่วคราว (คัดลอกจากปี ๒๕๗๐) ยังไม่ยืนยันกับคู่มือ ป.ป.ช."
    )
    confirm_framework(framework)
    framework.refresh_from_db()
    assert framework.status == Framework.Status.CONFIRMED
    assert framework.provisional_note() == ""
    with pytest.raises(ValidationError):
        confirm_framework(framework)


def test_clearing_removes_the_copied_questions_until_a_score_points_at_one():
    framework = open_fiscal_year(2571).framework
    assert framework.questions.exists()
    assert clear_questions(framework) > 0
    assert not framework.questions.exists()
    assert framework.indicators.count() == 10  # the import's indicator rows still find them

    other = Framework.objects.get(code="ita2570")
    assessment = AssessmentFactory(fiscal_year=FiscalYear.objects.get(year=2570))
    QuestionScore.objects.create(assessment=assessment, question=other.questions.first(), score=90)
    with pytest.raises(ValidationError):
        clear_questions(other)


def test_a_confirmed_framework_is_never_cleared():
    with pytest.raises(ValidationError):
        clear_questions(Framework.objects.get(code="ita2568"))


def test_2569_ships_its_own_provisional_list_and_2570_a_provisional_copy_of_it():
    f2569 = FiscalYear.objects.get(year=2569).framework
    assert f2569.provisional and f2569.copied_from is None
    assert f2569.provisional_note() == "เกณฑ์ปี ๒๕๖๙ เป็นฉบับชั่วคราว ยังไม่ยืนยันกับคู่มือ ป.ป.ช."
    f2570 = FiscalYear.objects.get(year=2570).framework
    assert f2570.provisional and f2570.copied_from == f2569
    assert _items(f2570) == _items(f2569)
    assert f2570.provisional_note() == (
        "เกณฑ์ปี ๒๕๗๐ เป็นฉบับชั่วคราว (คัดลอกจากปี ๒๕๖๙) ยังไม่ยืนยันกับคู่มือ ป.ป.ช."
    )


def test_the_official_list_imported_over_a_cleared_copy_replaces_it_after_a_dry_run():
    framework = Framework.objects.get(code="ita2570")
    clear_questions(framework)
    official = tablib.Dataset(
        ("ita2570", "I1", 1, "", "ข้อคำถามของ ป.ป.ช. ปี ๒๕๗๐", 1),
        ("ita2570", "O1", 9, "", "โครงสร้างหน่วยงาน", 2),
        headers=["รหัสเกณฑ์", "รหัสข้อ", "ตัวชี้วัดที่", "ตัวชี้วัดย่อยที่", "ข้อคำถาม/ข้อมูลที่เปิดเผย", "ลำดับ"],
    )
    dry = QuestionResource().import_data(official, dry_run=True)
    assert not dry.has_errors() and not framework.questions.exists()
    QuestionResource().import_data(official, dry_run=False)
    assert list(framework.questions.values_list("code", "text")) == [
        ("I1", "ข้อคำถามของ ป.ป.ช. ปี ๒๕๗๐"),
        ("O1", "โครงสร้างหน่วยงาน"),
    ]
    assert framework.questions.get(code="O1").indicator.framework == framework
