"""Excel sheets of the framework and the scores: Thai headers, natural keys, all-or-nothing."""

from decimal import Decimal

import pytest
import tablib
from django.contrib.auth import get_user_model

from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
)
from assessments.resources import (
    AssessmentScoreResource,
    FiscalYearResource,
    FrameworkResource,
    IndicatorResource,
    IndicatorScoreResource,
    LevelBandResource,
    QuestionResource,
    QuestionScoreResource,
    SubIndicatorResource,
    SubIndicatorScoreResource,
    ToolResource,
    ToolScoreResource,
)

OLD_FRAMEWORK = "ita2563-2565"
QUESTION_SCORE_HEADERS = [
    "รหัสหน่วยงาน",
    "ปีงบประมาณ",
    "รหัสข้อ",
    "คะแนน",
    "ร้อยละผู้ตอบตัวเลือกน้อยที่สุด",
    "ข้อสังเกตของผู้ประเมิน",
]


def sheet(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def central():
    return get_user_model().objects.get(username="central")


def import_all_or_nothing(resource, dataset, user=None):
    """The confirm step of an import: write everything, or nothing when any row is bad.

    Score sheets write only the units of the importing user: the central ITA team by default.
    """
    return resource.import_data(dataset, dry_run=False, user=user or central())


def field_errors(result) -> dict[int, dict[str, list[str]]]:
    return {row.number: row.field_specific_errors for row in result.invalid_rows}


def counts() -> dict[str, int]:
    """Rows of every model an import here could write, history included."""
    models = [Framework, FiscalYear, Tool, Indicator, SubIndicator, Question, LevelBand]
    result = {model.__name__: model.objects.count() for model in models}
    result["Assessment"] = Assessment.objects.count()
    result["QuestionScore"] = QuestionScore.objects.count()
    result["QuestionScore history"] = QuestionScore.history.count()
    result["IndicatorScore"] = IndicatorScore.objects.count()
    return result


def dusit_score(code: str) -> QuestionScore:
    return QuestionScore.objects.get(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564, question__code=code
    )


# --- round trip ------------------------------------------------------------------------------


def test_exported_questions_imported_back_change_nothing(db):
    before = counts()
    questions = Question.objects.filter(framework__code=OLD_FRAMEWORK)
    exported = QuestionResource().export(queryset=questions)

    result = import_all_or_nothing(QuestionResource(), exported)

    assert exported.headers == [
        "รหัสเกณฑ์",
        "รหัสข้อ",
        "ตัวชี้วัดที่",
        "ตัวชี้วัดย่อยที่",
        "ข้อคำถาม/ข้อมูลที่เปิดเผย",
        "กลุ่มข้อมูล",
        "ลำดับ",
        "ความน่าเชื่อถือ",
        "แหล่งที่มา",
    ]
    assert len(exported) == questions.count() == 88
    assert result.totals["skip"] == 88
    assert result.totals["new"] + result.totals["update"] + result.totals["invalid"] == 0
    assert not result.has_errors()
    assert counts() == before


def test_questions_survive_a_round_trip_through_an_xlsx_file(db):
    questions = Question.objects.filter(framework__code=OLD_FRAMEWORK)
    exported = QuestionResource().export(queryset=questions, force_native_type=True)
    from_excel = tablib.Dataset().load(exported.export("xlsx"), format="xlsx")

    result = import_all_or_nothing(QuestionResource(), from_excel)

    assert from_excel[0][2] == 1  # the indicator number comes back from Excel as an int
    assert result.totals["skip"] == 88
    assert field_errors(result) == {}


# --- a new year's framework ------------------------------------------------------------------


def test_central_team_loads_a_new_framework_from_sheets(db):
    framework = sheet(
        ["รหัสเกณฑ์", "ชื่อเกณฑ์", "คะแนนผ่านเกณฑ์", "ค่าเป้าหมายจุดอ่อน", "ตรวจสอบกับคู่มือ ป.ป.ช. แล้ว"],
        ("ITA2599", "เกณฑ์ทดลอง ๒๕๙๙", "85", "85", "ไม่ใช่"),
    )
    tools = sheet(
        ["รหัสเกณฑ์", "เครื่องมือ", "ชื่อเครื่องมือ", "น้ำหนัก (ร้อยละ)", "จำนวนส่วน", "ลำดับ"],
        ("ITA2599", "IIT", "ภายใน", 30, 0, 1),
        ("ITA2599", "EIT", "ภายนอก", 30, 2, 2),
        ("ITA2599", "OIT", "เปิดเผยข้อมูล", 40, 0, 3),
    )
    indicators = sheet(
        ["รหัสเกณฑ์", "ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "เครื่องมือ", "น้ำหนัก (ร้อยละ)"],
        ("ITA2599", 1, "การปฏิบัติหน้าที่", "IIT", "30"),
        ("ITA2599", 9, "การเปิดเผยข้อมูล", "OIT", "40"),
    )
    sub_indicators = sheet(
        ["รหัสเกณฑ์", "ตัวชี้วัดที่", "ตัวชี้วัดย่อยที่", "ชื่อตัวชี้วัดย่อย"],
        ("ITA2599", 9, "9.1", "ข้อมูลพื้นฐาน"),
    )
    questions = sheet(
        ["รหัสเกณฑ์", "รหัสข้อ", "ตัวชี้วัดที่", "ตัวชี้วัดย่อยที่", "ข้อคำถาม/ข้อมูลที่เปิดเผย", "ลำดับ"],
        ("ITA2599", "O1", 9, "9.1", "โครงสร้าง", 1),
    )
    years = sheet(["ปีงบประมาณ", "รหัสเกณฑ์"], (2599, "ITA2599"))

    for resource, dataset in [
        (FrameworkResource(), framework),
        (ToolResource(), tools),
        (IndicatorResource(), indicators),
        (SubIndicatorResource(), sub_indicators),
        (QuestionResource(), questions),
        (FiscalYearResource(), years),
    ]:
        result = import_all_or_nothing(resource, dataset)
        assert field_errors(result) == {}
        assert not result.has_errors(), [e.error for _, errs in result.row_errors() for e in errs]

    new = Framework.objects.get(code="ita2599")
    assert new.name == "เกณฑ์ทดลอง ๒๕๙๙"
    assert new.pass_mark == Decimal("85.00")
    assert [(t.code, t.weight, t.parts) for t in new.tools.all()] == [
        ("IIT", Decimal("30.00"), 0),
        ("EIT", Decimal("30.00"), 2),
        ("OIT", Decimal("40.00"), 0),
    ]
    assert [(i.number, i.tool.code, i.tool.framework_id) for i in new.indicators.all()] == [
        (1, "IIT", new.pk),
        (9, "OIT", new.pk),
    ]
    question = new.questions.get(code="O1")
    assert (question.indicator.number, question.sub_indicator.code) == (9, "9.1")
    assert question.sub_indicator.indicator.framework == new
    assert FiscalYear.objects.get(year=2599).framework == new


def test_level_bands_import_with_thai_yes_and_no(db):
    framework = Framework.objects.get(code=OLD_FRAMEWORK)
    bands = sheet(
        ["รหัสเกณฑ์", "รหัสระดับ", "ระดับ", "คะแนนขั้นต่ำ", "ผ่านเกณฑ์", "ความน่าเชื่อถือ"],
        (OLD_FRAMEWORK, "A", "A", "85.00", "ใช่", "ไม่ทราบ"),
    )

    result = import_all_or_nothing(LevelBandResource(), bands)

    assert result.totals["update"] == 1
    band = framework.levels.get(code="A")
    assert (band.min_score, band.passed, band.confidence) == (
        Decimal("85.00"),
        True,
        Confidence.UNKNOWN,
    )


# --- bad rows: a Thai field error, and nothing written ---------------------------------------

# Each case: a good row that would change something if committed, then a row naming nothing.
UNKNOWN_CODES = {
    "framework code": (
        ToolResource,
        ["รหัสเกณฑ์", "เครื่องมือ", "ชื่อเครื่องมือ", "น้ำหนัก (ร้อยละ)"],
        (OLD_FRAMEWORK, "IIT", "ชื่อใหม่", "30"),
        ("ITA2599", "IIT", "ภายใน", "30"),
        {"รหัสเกณฑ์": ["ไม่พบรหัสเกณฑ์ ITA2599"]},
    ),
    "tool code": (
        IndicatorResource,
        ["รหัสเกณฑ์", "ตัวชี้วัดที่", "ชื่อตัวชี้วัด", "เครื่องมือ", "น้ำหนัก (ร้อยละ)"],
        (OLD_FRAMEWORK, 1, "ชื่อใหม่", "IIT", "6"),
        (OLD_FRAMEWORK, 2, "การใช้งบประมาณ", "XIT", "6"),
        {"เครื่องมือ": [f"ไม่พบเครื่องมือ XIT ในเกณฑ์ {OLD_FRAMEWORK}"]},
    ),
    "indicator number": (
        QuestionResource,
        ["รหัสเกณฑ์", "รหัสข้อ", "ตัวชี้วัดที่", "ข้อคำถาม/ข้อมูลที่เปิดเผย"],
        (OLD_FRAMEWORK, "I1", 1, "ถ้อยคำใหม่"),
        (OLD_FRAMEWORK, "I99", 99, "ข้อใหม่"),
        {"ตัวชี้วัดที่": [f"ไม่พบตัวชี้วัดที่ 99 ในเกณฑ์ {OLD_FRAMEWORK}"]},
    ),
    "sub-indicator code": (
        QuestionResource,
        ["รหัสเกณฑ์", "รหัสข้อ", "ตัวชี้วัดที่", "ตัวชี้วัดย่อยที่", "ข้อคำถาม/ข้อมูลที่เปิดเผย"],
        (OLD_FRAMEWORK, "I1", 1, "", "ถ้อยคำใหม่"),
        (OLD_FRAMEWORK, "O99", 9, "9.9", "ข้อใหม่"),
        {"ตัวชี้วัดย่อยที่": [f"ไม่พบตัวชี้วัดย่อยที่ 9.9 ของตัวชี้วัดที่ 9 ในเกณฑ์ {OLD_FRAMEWORK}"]},
    ),
    "question code": (
        QuestionScoreResource,
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"],
        ("dusit", 2564, "I7", "70"),
        ("dusit", 2564, "O99", "50"),
        {"รหัสข้อ": ["ไม่พบข้อคำถาม O99 ในเกณฑ์ปี 2564"]},
    ),
    "unit code": (
        QuestionScoreResource,
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"],
        ("dusit", 2564, "I7", "70"),
        ("nowhere", 2564, "I20", "50"),
        {"รหัสหน่วยงาน": ["ไม่พบรหัสหน่วยงาน nowhere"]},
    ),
}


@pytest.mark.parametrize("case", UNKNOWN_CODES.values(), ids=UNKNOWN_CODES.keys())
def test_an_unknown_code_is_a_thai_field_error_and_nothing_is_written(db, case):
    resource_class, headers, good_row, bad_row, expected = case
    before = counts()

    result = import_all_or_nothing(resource_class(), sheet(headers, good_row, bad_row))

    assert field_errors(result) == {2: expected}
    assert not result.has_errors()  # a clean field error, not a crash
    assert result.totals["update"] == 1  # the good row was accepted, then rolled back
    assert counts() == before
    assert Tool.objects.get(framework__code=OLD_FRAMEWORK, code="IIT").name != "ชื่อใหม่"
    assert Indicator.objects.get(framework__code=OLD_FRAMEWORK, number=1).name != "ชื่อใหม่"
    assert Question.objects.get(framework__code=OLD_FRAMEWORK, code="I1").text != "ถ้อยคำใหม่"
    assert dusit_score("I7").score == Decimal("61.49")


def test_a_question_score_above_100_is_refused_with_the_thai_column_named(db):
    before = counts()
    scores = sheet(
        QUESTION_SCORE_HEADERS,
        ("dusit", 2564, "I20", "60.00", "27.20", ""),
        ("dusit", 2564, "I7", "150", "19.28", ""),
    )

    result = import_all_or_nothing(QuestionScoreResource(), scores)

    assert field_errors(result) == {2: {"คะแนน": ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]}}
    assert counts() == before
    assert dusit_score("I20").score == Decimal("55.69")
    assert dusit_score("I7").score == Decimal("61.49")


def test_score_text_that_is_not_a_number_gets_a_thai_message(db):
    scores = sheet(["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"], ("dusit", 2564, "I7", "abc"))

    result = import_all_or_nothing(QuestionScoreResource(), scores)

    assert field_errors(result) == {1: {"คะแนน": ["คะแนนต้องเป็นตัวเลข: 'abc'"]}}
    assert dusit_score("I7").score == Decimal("61.49")


def test_a_key_repeated_in_one_file_is_refused_rather_than_last_row_wins(db):
    scores = sheet(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"],
        ("dusit", 2564, "I7", "70"),
        ("dusit", 2564, "i7", "80"),
    )

    result = import_all_or_nothing(QuestionScoreResource(), scores)

    assert {row.number: row.non_field_specific_errors for row in result.invalid_rows} == {
        2: ["รหัสหน่วยงาน / รหัสข้อ ซ้ำกับแถวที่ 2"]  # the Excel row, under the header
    }
    assert dusit_score("I7").score == Decimal("61.49")


def test_a_file_without_the_year_column_is_refused_as_a_whole(db):
    scores = sheet(["รหัสหน่วยงาน", "รหัสข้อ", "คะแนน"], ("dusit", "I7", "70"))

    result = import_all_or_nothing(QuestionScoreResource(), scores)

    assert [str(error.error) for error in result.base_errors] == ["ไฟล์ไม่มีคอลัมน์: ปีงบประมาณ"]
    assert dusit_score("I7").score == Decimal("61.49")


# --- score sheets ----------------------------------------------------------------------------


def test_a_score_sheet_updates_dusit_2564_i7_and_records_history(db):
    history_before = dusit_score("I7").history.count()
    scores = sheet(QUESTION_SCORE_HEADERS, ("dusit", 2564, "I7", "63.10", "18.00", "ทบทวนแล้ว"))

    result = import_all_or_nothing(QuestionScoreResource(), scores)

    assert result.totals["update"] == 1
    i7 = dusit_score("I7")
    assert (i7.score, i7.lowest_option_share, i7.remark) == (
        Decimal("63.10"),
        Decimal("18.00"),
        "ทบทวนแล้ว",
    )
    assert i7.history.count() == history_before + 1


def test_codes_typed_as_numbers_or_with_spaces_in_excel_are_understood(db):
    scores = sheet(["รหัสหน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดที่", "คะแนน"], (" dusit ", 2564.0, 7.0, 88.5))

    result = import_all_or_nothing(IndicatorScoreResource(), scores)

    assert field_errors(result) == {}
    assert result.totals["update"] == 1
    assert IndicatorScore.objects.get(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564, indicator__number=7
    ).score == Decimal("88.50")


def test_a_score_sheet_creates_the_missing_assessment_of_a_unit_year(db, central_team):
    scores = sheet(["รหัสหน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดที่", "คะแนน"], ("dusit", 2566, 1, "90"))

    result = import_all_or_nothing(IndicatorScoreResource(), scores)

    assert field_errors(result) == {}
    assessment = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2566)
    assert assessment.indicator_scores.get().score == Decimal("90.00")
    assert assessment.history.get().history_user == central_team


def test_staff_cannot_write_another_unit_through_a_score_sheet(db, staff_dusit):
    before = counts()
    scores = sheet(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดที่", "คะแนน"],
        ("dusit", 2564, 1, "90"),
        ("pathum-wan", 2566, 1, "10"),
    )

    result = import_all_or_nothing(IndicatorScoreResource(), scores, user=staff_dusit)

    assert field_errors(result) == {2: {"รหัสหน่วยงาน": ["ท่านไม่มีสิทธิ์นำเข้าคะแนนของหน่วยงาน pathum-wan"]}}
    assert counts() == before


def test_a_score_sheet_without_a_user_writes_no_unit(db):
    scores = sheet(["รหัสหน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดที่", "คะแนน"], ("dusit", 2564, 1, "90"))

    result = QuestionScoreResource().import_data(scores, dry_run=False)

    assert result.has_validation_errors()
    assert IndicatorScore.objects.get(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564, indicator__number=1
    ).score == Decimal("92.35")


def test_import_data_rolls_back_every_row_even_when_the_caller_does_not_ask(db):
    scores = sheet(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"],
        ("dusit", 2564, "I7", "70"),
        ("dusit", 2564, "I20", "700"),
    )

    QuestionScoreResource().import_data(scores, dry_run=False, user=central())

    assert dusit_score("I7").score == Decimal("61.49")


def test_overall_tool_and_sub_indicator_sheets_import_with_thai_columns(db):
    overall = sheet(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "คะแนนรวมที่ประกาศ", "ระดับที่ประกาศ"],
        ("bma", 2566, "89.00", "ผ่าน"),
    )
    tools = sheet(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "เครื่องมือ", "ส่วนที่", "คะแนน"],
        ("bma", 2566, "eit", 2, "83"),
        ("bma", 2566, "IIT", "", "82.44"),
    )
    subs = sheet(["รหัสหน่วยงาน", "ปีงบประมาณ", "ตัวชี้วัดย่อยที่", "คะแนน"], ("dusit", 2564, 9.1, "84"))

    results = [
        import_all_or_nothing(AssessmentScoreResource(), overall),
        import_all_or_nothing(ToolScoreResource(), tools),
        import_all_or_nothing(SubIndicatorScoreResource(), subs),
    ]

    assert [r.totals["update"] + r.totals["skip"] for r in results] == [1, 2, 1]
    bma = Assessment.objects.get(unit__code="bma", fiscal_year__year=2566)
    assert (bma.official_score, bma.official_level) == (Decimal("89.00"), "ผ่าน")
    assert bma.tool_scores.get(tool__code="EIT", part=2).score == Decimal("83.00")
    assert SubIndicatorScore.objects.get(
        assessment__unit__code="dusit", sub_indicator__code="9.1"
    ).score == Decimal("84.00")


def test_exported_scores_name_units_and_questions_by_code(db):
    queryset = QuestionScore.objects.filter(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564
    )

    exported = QuestionScoreResource().export(queryset=queryset)

    assert exported.headers == QUESTION_SCORE_HEADERS
    assert exported.dict[0] == {
        "รหัสหน่วยงาน": "dusit",
        "ปีงบประมาณ": "2564",
        "รหัสข้อ": "I7",
        "คะแนน": "61.49",
        "ร้อยละผู้ตอบตัวเลือกน้อยที่สุด": "19.28",
        "ข้อสังเกตของผู้ประเมิน": "",
    }
