"""The rules the score and plan imports share (portal_core.excel): only what a person sees is read,
a sheet too large is refused before its rows are read, merged and percent cells read as they show,
dates follow one rule, and every message is Thai and says what to fix. Every workbook is built
here; each bad one leaves the database as it was."""

import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from assessments import resources
from assessments.models import FiscalYear, QuestionScore
from assessments.score_sheets import (
    ITEMS_HEADERS,
    ITEMS_SHEET,
    QUESTIONS_HEADERS,
    QUESTIONS_SHEET,
    import_score_workbook,
)
from measures.models import Measure
from measures.plan_sheets import import_plan_workbook
from measures.resources import PLAN_COLUMNS
from portal_core import excel
from portal_core.excel import ENCRYPTED, MAX_SHEET_ROWS, SAVE_FAILED, check_xlsx

PLAN_HEADERS = PLAN_COLUMNS[1:]


def question(code="I7", score=70, share=None, unit="dusit"):
    return [unit, "", 2564, 2, code, "", score, share, None]


def measure(activity="กิจกรรมทดสอบ", deadline="30/03/2566"):
    return ["1", "ประเด็น", activity, "ผลผลิต", "ประชาสัมพันธ์", deadline, "ทุกฝ่าย", "ทุก 1 เดือน"]


def score_book(questions) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    items = book.active
    items.title = ITEMS_SHEET
    items.append(ITEMS_HEADERS)
    sheet = book.create_sheet(QUESTIONS_SHEET)
    sheet.append(QUESTIONS_HEADERS)
    for row in questions:
        sheet.append(row)
    return book


def plan_book(rows) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "มาตรการ"
    sheet.append(PLAN_HEADERS)
    for row in rows:
        sheet.append(row)
    return book


def saved(book: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def import_scores(data: bytes, user, unit, *, dry_run=False):
    return import_score_workbook(
        data,
        units=[unit],
        fiscal_year=FiscalYear.objects.get(year=2564),
        user=user,
        dry_run=dry_run,
    )


def import_plan(data: bytes, user, unit, *, dry_run=False):
    return import_plan_workbook(
        data, unit=unit, fiscal_year=FiscalYear.objects.get(year=2566), user=user, dry_run=dry_run
    )


def errors(report):
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors]


def i7_score():
    return QuestionScore.objects.get(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564, question__code="I7"
    )


def plan_measures():
    return Measure.objects.filter(unit__code="dusit", fiscal_year__year=2566)


@pytest.fixture
def state(db):
    """What an import could change: I7's score and the plan's measures, with their history."""

    def current():
        return (i7_score().score, plan_measures().count(), Measure.history.count())

    return current


# --- only what a person sees ---------------------------------------------------------------------


@pytest.mark.parametrize("hidden_state", ["hidden", "veryHidden"])
def test_a_hidden_score_sheet_of_the_expected_name_is_refused_not_read(
    dusit, staff_dusit, state, hidden_state
):
    book = score_book([question(score=10)])
    book[QUESTIONS_SHEET].sheet_state = hidden_state
    visible = book.create_sheet(f"{QUESTIONS_SHEET} (2)")
    visible.append(QUESTIONS_HEADERS)
    visible.append(question(score=90))
    before = state()

    report = import_scores(saved(book), staff_dusit, dusit)

    assert errors(report) == [
        (
            "",
            None,
            "",
            f"แผ่นงาน “{QUESTIONS_SHEET}” ถูกซ่อนไว้ ระบบอ่านเฉพาะสิ่งที่มองเห็นใน Excel "
            "กรุณายกเลิกการซ่อนแผ่นงานนี้ (หรือลบออกแล้วตั้งชื่อแผ่นงานที่ใช้ให้ตรง) แล้วนำเข้าใหม่",
        )
    ]
    assert state() == before


def test_a_hidden_plan_sheet_of_the_expected_name_is_refused_not_read(dusit, staff_dusit, state):
    book = plan_book([measure("ข้อมูลที่ซ่อนไว้")])
    book["มาตรการ"].sheet_state = "veryHidden"
    visible = book.create_sheet("มาตรการ ฉบับแก้ไข")
    visible.append(PLAN_HEADERS)
    visible.append(measure("ข้อมูลที่มองเห็น"))
    before = state()

    report = import_plan(saved(book), staff_dusit, dusit)

    assert [e.message for e in report.errors] == [
        "แผ่นงาน “มาตรการ” ถูกซ่อนไว้ ระบบอ่านเฉพาะสิ่งที่มองเห็นใน Excel "
        "กรุณายกเลิกการซ่อนแผ่นงานนี้ (หรือลบออกแล้วตั้งชื่อแผ่นงานที่ใช้ให้ตรง) แล้วนำเข้าใหม่"
    ]
    assert state() == before


def test_a_renamed_plan_sheet_is_read_when_it_is_the_first_one_a_person_sees(dusit, staff_dusit):
    book = plan_book([measure("ข้อมูลที่ซ่อนไว้")])
    book["มาตรการ"].title = "เก่า"
    book["เก่า"].sheet_state = "hidden"
    visible = book.create_sheet("แผน")
    visible.append(PLAN_HEADERS)
    visible.append(measure("ข้อมูลที่มองเห็น"))

    report = import_plan(saved(book), staff_dusit, dusit, dry_run=True)

    assert report.ok
    assert [(row.sheet, row.label) for row in report.rows] == [("แผน", "ข้อมูลที่มองเห็น")]


def test_hidden_score_rows_are_refused_with_the_sheet_and_rows_named(dusit, staff_dusit, state):
    book = score_book([question("I7", 90), question("I8", 10), question("I9", 10), question("I10")])
    for number in (3, 4):
        book[QUESTIONS_SHEET].row_dimensions[number].hidden = True
    before = state()

    report = import_scores(saved(book), staff_dusit, dusit)

    assert errors(report) == [
        (
            QUESTIONS_SHEET,
            None,
            "",
            f"แผ่นงาน “{QUESTIONS_SHEET}” มีแถวที่ซ่อนไว้ (รวมถึงแถวที่ถูกกรองออก): แถว 3–4 "
            "กรุณายกเลิกการซ่อนหรือลบแถวเหล่านั้น แล้วนำเข้าใหม่",
        )
    ]
    assert state() == before


def test_hidden_plan_rows_are_refused_with_the_rows_named(dusit, staff_dusit, state):
    book = plan_book([measure("ก"), measure("ข"), measure("ค")])
    book["มาตรการ"].row_dimensions[3].hidden = True
    before = state()

    report = import_plan(saved(book), staff_dusit, dusit)

    assert [(e.row, e.message) for e in report.errors] == [
        (
            None,
            "แผ่นงาน “มาตรการ” มีแถวที่ซ่อนไว้ (รวมถึงแถวที่ถูกกรองออก): แถว 3 "
            "กรุณายกเลิกการซ่อนหรือลบแถวเหล่านั้น แล้วนำเข้าใหม่",
        )
    ]
    assert state() == before


def test_an_empty_hidden_row_is_harmless(dusit, staff_dusit):
    book = score_book([question("I7", 70)])
    book[QUESTIONS_SHEET].row_dimensions[5].hidden = True

    report = import_scores(saved(book), staff_dusit, dusit)

    assert report.ok
    assert i7_score().score == 70


def test_a_hidden_column_under_a_header_is_refused(dusit, staff_dusit, state):
    book = score_book([question("I7", 90) + [10]])
    sheet = book[QUESTIONS_SHEET]
    sheet["J1"] = "คะแนน"  # a second score column, hidden, would win over the visible one
    sheet.column_dimensions["J"].hidden = True
    before = state()

    report = import_scores(saved(book), staff_dusit, dusit)

    assert [e.message for e in report.errors] == [
        f"แผ่นงาน “{QUESTIONS_SHEET}” มีคอลัมน์ที่ซ่อนไว้: คอลัมน์ J "
        "กรุณายกเลิกการซ่อนหรือลบคอลัมน์เหล่านั้น แล้วนำเข้าใหม่"
    ]
    assert state() == before


# --- the size rule -------------------------------------------------------------------------------


def far_cell_book(kind: str) -> openpyxl.Workbook:
    """An ordinary workbook whose only other filled cell is in Excel's last row, 1,048,576."""
    book = score_book([]) if kind == "score" else plan_book([])
    title = QUESTIONS_SHEET if kind == "score" else "มาตรการ"
    book[title]["A1048576"] = "x"
    return book


def too_large(title: str, reach: str) -> str:
    return (
        f"แผ่นงาน “{title}” ใช้พื้นที่ถึง{reach} เกินที่ระบบรับได้ "
        "(ไม่เกิน 20,000 แถว และ 100 คอลัมน์ต่อแผ่นงาน) "
        "กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช้ออก (กด Ctrl+End ใน Excel เพื่อดูเซลล์สุดท้ายที่ใช้) แล้วนำเข้าใหม่"
    )


def without_dimension(data: bytes) -> bytes:
    """The workbook with every sheet's declared size (<dimension>) taken out."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                content = re.sub(rb"<dimension [^>]*/>", b"", content)
            archive.writestr(name, content)
    return stream.getvalue()


@pytest.mark.parametrize("declared", [True, False], ids=["declared size", "no declared size"])
def test_a_score_sheet_reaching_the_last_row_is_refused_before_its_rows_are_read(
    dusit, staff_dusit, state, declared, monkeypatch
):
    data = saved(far_cell_book("score"))
    data = data if declared else without_dimension(data)
    parsed = []
    real_parse_row = excel._SheetParser.parse_row

    def counting(parser, row):
        parsed.append(row.get("r"))
        return real_parse_row(parser, row)

    monkeypatch.setattr(excel._SheetParser, "parse_row", counting)
    before = state()

    report = import_scores(data, staff_dusit, dusit, dry_run=True)

    assert errors(report) == [("", None, "", too_large(QUESTIONS_SHEET, "แถว 1,048,576"))]
    # the item sheet's header row; then the declared size decides before any row of the
    # question sheet, or without one the far row itself, parsed right after the header row
    assert parsed == (["1"] if declared else ["1", "1", "1048576"])
    assert state() == before


@pytest.mark.parametrize("declared", [True, False], ids=["declared size", "no declared size"])
def test_a_plan_sheet_reaching_the_last_row_is_refused_in_the_dry_run_and_the_confirmation(
    dusit, staff_dusit, state, declared
):
    data = saved(far_cell_book("plan"))
    data = data if declared else without_dimension(data)
    before = state()

    for dry_run in (True, False):
        report = import_plan(data, staff_dusit, dusit, dry_run=dry_run)

        assert [e.message for e in report.errors] == [too_large("มาตรการ", "แถว 1,048,576")]
    assert state() == before


def test_a_sheet_at_the_row_limit_is_read(dusit, staff_dusit):
    book = score_book([question("I7", 70)])
    for col, value in enumerate(question("I8", 80), 1):
        book[QUESTIONS_SHEET].cell(MAX_SHEET_ROWS, col, value)

    report = import_scores(saved(book), staff_dusit, dusit, dry_run=True)

    assert report.ok
    assert [row.row for row in report.rows] == [2, MAX_SHEET_ROWS]


def test_a_sheet_too_wide_is_refused(dusit, staff_dusit):
    book = score_book([question("I7", 70)])
    book[QUESTIONS_SHEET]["CW2"] = "x"  # column 101

    report = import_scores(saved(book), staff_dusit, dusit, dry_run=True)

    assert [e.message for e in report.errors] == [too_large(QUESTIONS_SHEET, "คอลัมน์ CW")]


# --- cells read as they show ---------------------------------------------------------------------


def test_a_merged_score_cell_counts_for_every_row_it_spans(dusit, staff_dusit):
    book = score_book([question("I7", 70), question("I8", None)])
    book[QUESTIONS_SHEET].merge_cells("G2:G3")

    report = import_scores(saved(book), staff_dusit, dusit)

    assert report.ok
    assert [(row.label, row.outcome) for row in report.rows] == [
        ("dusit ข้อ I7", "changed"),
        ("dusit ข้อ I8", "new"),
    ]
    scores = QuestionScore.objects.filter(
        assessment__unit=dusit, assessment__fiscal_year__year=2564, question__code__in=["I7", "I8"]
    )
    assert sorted(s.score for s in scores) == [70, 70]


def test_a_merged_range_fills_no_row_that_holds_nothing_of_its_own(dusit, staff_dusit):
    book = plan_book([measure("ก"), measure("ข")])
    book["มาตรการ"].merge_cells("A2:A40")

    report = import_plan(saved(book), staff_dusit, dusit, dry_run=True)

    assert report.ok
    assert [row.row for row in report.rows] == [2, 3]


@pytest.mark.parametrize(
    ("cell", "number_format", "stored"),
    [
        ("G2", "0%", Decimal("85")),  # shows 85%, holds 0.85
        ("H2", "0.00%", Decimal("19.28")),  # shows 19.28% (0% would show 19%), holds 0.1928
    ],
)
def test_a_percent_cell_is_read_as_the_number_it_shows(
    dusit, staff_dusit, cell, number_format, stored
):
    book = score_book([question("I7", 0.85, 0.1928)])
    book[QUESTIONS_SHEET]["G2"].number_format = book[QUESTIONS_SHEET]["H2"].number_format = "0%"
    book[QUESTIONS_SHEET][cell].number_format = number_format

    report = import_scores(saved(book), staff_dusit, dusit)

    assert report.ok
    score = i7_score()
    assert (score.score if cell == "G2" else score.lowest_option_share) == stored


def test_a_percent_with_more_places_than_a_score_has_is_refused_saying_why(
    dusit, staff_dusit, state
):
    book = score_book([question("I7", 70, 0.19285)])
    book[QUESTIONS_SHEET]["H2"].number_format = "0.00%"
    before = state()

    report = import_scores(saved(book), staff_dusit, dusit)

    assert errors(report) == [
        (
            QUESTIONS_SHEET,
            2,
            "H",
            "ร้อยละผู้ตอบตัวเลือกน้อยที่สุดมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง: '19.285%' "
            "(เซลล์จัดรูปแบบเป็นร้อยละ ระบบอ่านเป็นตัวเลขที่แสดง)",
        )
    ]
    assert state() == before


# --- dates: one rule for the form and the import -------------------------------------------------

FAR_OFF = (
    "ระยะเวลาแล้วเสร็จ {day} ห่างจากปีงบประมาณ 2566 (01/10/2565 – 30/09/2566) เกิน 2 ปี "
    "กรุณาตรวจสอบปี พ.ศ. (เช่น 30/03/2566 หรือ 30/03/66)"
)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("30/03/23", FAR_OFF.format(day="30/03/2523")),
        ("30/3/2700", FAR_OFF.format(day="30/03/2700")),
        (datetime.datetime(2700, 3, 30), FAR_OFF.format(day="30/03/2700")),
        (datetime.datetime(2568, 2, 29), "ไม่มีวันที่นี้ในปฏิทิน: '29/02/2568'"),
    ],
    ids=["two-digit 23", "2700", "a date cell in 2700", "a date cell of 29/02/2568"],
)
def test_a_plan_deadline_far_off_or_impossible_is_refused_in_thai(
    dusit, staff_dusit, state, typed, message
):
    before = state()

    report = import_plan(saved(plan_book([measure(deadline=typed)])), staff_dusit, dusit)

    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "F", message)]
    assert state() == before


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("30/03/66", datetime.date(2023, 3, 30)),
        (datetime.datetime(2566, 3, 30), datetime.date(2023, 3, 30)),
        (datetime.datetime(2023, 3, 30), datetime.date(2023, 3, 30)),
    ],
    ids=["two-digit 66", "a date cell in the Buddhist era", "a date cell in the Christian era"],
)
def test_a_plan_deadline_is_read_as_the_form_reads_it(dusit, staff_dusit, typed, stored):
    report = import_plan(saved(plan_book([measure("วันที่", typed)])), staff_dusit, dusit)

    assert report.ok
    assert plan_measures().get(activity="วันที่").deadline == stored


# --- messages a person can act on ----------------------------------------------------------------


def test_an_invisible_character_in_a_code_is_named(dusit, staff_dusit, state):
    before = state()

    report = import_scores(saved(score_book([question(unit="dusit\u200b")])), staff_dusit, dusit)

    assert errors(report) == [
        (
            QUESTIONS_SHEET,
            2,
            "A",
            "“dusit” มีอักขระที่มองไม่เห็นปนอยู่ (U+200B ZERO WIDTH SPACE) กรุณาลบแล้วพิมพ์ใหม่ในเซลล์นั้น",
        )
    ]
    assert state() == before


def test_an_invisible_character_in_a_plan_division_is_named(dusit, staff_dusit, state):
    row = measure()
    row[6] = "ฝ่ายทะเบียน\u200b"
    before = state()

    report = import_plan(saved(plan_book([row])), staff_dusit, dusit)

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            2,
            "G",
            "“ฝ่ายทะเบียน” มีอักขระที่มองไม่เห็นปนอยู่ (U+200B ZERO WIDTH SPACE) กรุณาลบแล้วพิมพ์ใหม่ในเซลล์นั้น",
        )
    ]
    assert state() == before


def encrypted(data: bytes) -> bytes:
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("รหัสลับ", out)
    return out.getvalue()


def test_a_password_protected_workbook_is_named_as_such_not_as_an_old_xls(dusit, staff_dusit):
    data = encrypted(saved(score_book([question()])))

    with pytest.raises(excel.ExcelFileError) as refused:
        check_xlsx(data)
    report = import_scores(data, staff_dusit, dusit)

    assert str(refused.value) == ENCRYPTED
    assert errors(report) == [("", None, "", ENCRYPTED)]


def test_a_database_error_while_saving_reaches_the_report_in_thai_only(
    dusit, staff_dusit, state, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("connection reset by peer")

    monkeypatch.setattr(resources, "bulk_update_with_history", broken)
    before = state()

    report = import_scores(saved(score_book([question("I7", 70)])), staff_dusit, dusit)

    assert [e.message for e in report.errors] == [SAVE_FAILED]
    assert "connection reset by peer" in caplog.text
    assert state() == before
