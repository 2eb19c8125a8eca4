"""A corpus of bad score workbooks, each built here: every one gets its own exact Thai message
at its cell, and none leaves a single row behind (each also holds a good row that would change
dusit's I7 from 61.49 to 70 if anything were written)."""

import io
import zipfile

import openpyxl
import pytest

from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    QuestionScore,
    SubIndicatorScore,
    ToolScore,
)
from assessments.score_sheets import (
    ITEMS_HEADERS,
    ITEMS_SHEET,
    QUESTIONS_HEADERS,
    QUESTIONS_SHEET,
    import_score_workbook,
)
from portal_core.excel import MACRO_XLSM, NOT_XLSX, OLD_XLS

Q = QUESTIONS_SHEET
I = ITEMS_SHEET  # noqa: E741


def good_question():
    return ["dusit", "", 2564, 2, "I7", "", 70, 19.28, None]


def good_item():
    return ["dusit", "", 2564, "ตัวชี้วัด", 1, None, "", 95, None]


def book(questions=None, items=None) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = ITEMS_SHEET
    sheet.append(ITEMS_HEADERS)
    for row in [good_item(), *(items or [])]:
        sheet.append(row)
    sheet = workbook.create_sheet(QUESTIONS_SHEET)
    sheet.append(QUESTIONS_HEADERS)
    for row in [good_question(), *(questions or [])]:
        sheet.append(row)
    return workbook


def saved(workbook: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def question(**cells):
    row = good_question()
    for index, value in cells.items():
        row["ABCDEFGHI".index(index)] = value
    return row


def item(**cells):
    row = good_item()
    for index, value in cells.items():
        row["ABCDEFGHI".index(index)] = value
    return row


def with_cell(sheet: str, cell: str, value) -> bytes:
    workbook = book()
    workbook[sheet][cell] = value
    return saved(workbook)


def without_sheet(title: str) -> bytes:
    workbook = book()
    workbook.remove(workbook[title])
    return saved(workbook)


def without_header(title: str, header: str) -> bytes:
    workbook = book()
    sheet = workbook[title]
    for cell in sheet[1]:
        if cell.value == header:
            cell.value = "อื่น ๆ"
    return saved(workbook)


def rezipped(add: dict[str, bytes] | None = None, drop: str = "") -> bytes:
    source = zipfile.ZipFile(io.BytesIO(saved(book())))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as target:
        for name in source.namelist():
            if name != drop:
                target.writestr(name, source.read(name))
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return stream.getvalue()


def file_error(message):
    return [("", None, "", message)]


CASES = {
    "plain text": (b"this is not a workbook", file_error(NOT_XLSX)),
    "empty file": (b"", file_error(NOT_XLSX)),
    "csv saved as .xlsx": ("รหัสหน่วยงาน,คะแนน\ndusit,70\n".encode(), file_error(NOT_XLSX)),
    "old .xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, file_error(OLD_XLS)),
    "macro-enabled .xlsm": (
        rezipped(add={"xl/vbaProject.bin": b"\0macro"}),
        file_error(MACRO_XLSM),
    ),
    "zip without a workbook": (rezipped(drop="xl/workbook.xml"), file_error(NOT_XLSX)),
    "question sheet missing": (
        without_sheet(QUESTIONS_SHEET),
        file_error("ไม่พบแผ่นงาน “คะแนนรายข้อ” ในไฟล์"),
    ),
    "item sheet missing": (
        without_sheet(ITEMS_SHEET),
        file_error("ไม่พบแผ่นงาน “คะแนนรายตัวชี้วัด” ในไฟล์"),
    ),
    "score header missing": (
        without_header(QUESTIONS_SHEET, "คะแนน"),
        [(Q, 1, "", "แผ่นงาน “คะแนนรายข้อ” ไม่มีคอลัมน์ “คะแนน” ในแถวหัวตาราง")],
    ),
    "kind header missing": (
        without_header(ITEMS_SHEET, "ประเภท"),
        [(I, 1, "", "แผ่นงาน “คะแนนรายตัวชี้วัด” ไม่มีคอลัมน์ “ประเภท” ในแถวหัวตาราง")],
    ),
    "unknown unit code": (
        saved(book([question(A="nowhere")])),
        [(Q, 3, "A", "ไม่พบรหัสหน่วยงาน nowhere")],
    ),
    "another unit's code": (
        saved(book([question(A="pathum-wan")])),
        [(Q, 3, "A", "ท่านไม่มีสิทธิ์นำเข้าคะแนนของหน่วยงาน pathum-wan")],
    ),
    "a division's code": (
        saved(book([question(A="dusit-admin")])),
        [(Q, 3, "A", "dusit-admin เป็นฝ่ายภายในหน่วยงาน ไม่ใช่หน่วยงานที่รับการประเมิน")],
    ),
    "unknown question code": (
        saved(book([question(E="O99")])),
        [(Q, 3, "E", "ไม่พบข้อคำถาม O99 ในเกณฑ์ปี 2564")],
    ),
    "question repeated": (
        saved(book([question(E="i7", G=80)])),
        [(Q, 3, "", "รหัสหน่วยงาน / รหัสข้อ ซ้ำกับแถวที่ 2")],
    ),
    "indicator repeated": (
        saved(book(items=[item(H=96)])),
        [(I, 3, "", "รหัสหน่วยงาน / ตัวชี้วัดที่ ซ้ำกับแถวที่ 2")],
    ),
    "score above 100": (
        saved(book([question(E="I8", G=150)])),
        [(Q, 3, "G", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100")],
    ),
    "negative score": (
        saved(book(items=[item(E=2, H=-1)])),
        [(I, 3, "H", "คะแนนต้องอยู่ระหว่าง 0 ถึง 100")],
    ),
    "lowest share above 100": (
        saved(book([question(E="I8", H=101)])),
        [(Q, 3, "H", "ร้อยละผู้ตอบตัวเลือกน้อยที่สุดต้องอยู่ระหว่าง 0 ถึง 100")],
    ),
    "text in a number cell": (
        saved(book([question(E="I8", G="ดีมาก")])),
        [(Q, 3, "G", "คะแนนต้องเป็นตัวเลข: 'ดีมาก'")],
    ),
    "three decimal places": (
        saved(book([question(E="I8", G="61.499")])),
        [(Q, 3, "G", "คะแนนมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง: '61.499'")],
    ),
    "formula without a cached value": (
        with_cell(QUESTIONS_SHEET, "G2", "=60+10"),
        [(Q, 2, "G", "เซลล์สูตรไม่มีค่าที่คำนวณไว้")],
    ),
    "empty unit code": (
        saved(book([question(A=None, E="I8")])),
        [(Q, 3, "A", "ต้องระบุรหัสหน่วยงาน")],
    ),
    "empty question code": (
        saved(book([question(E=None)])),
        [(Q, 3, "E", "ต้องระบุรหัสข้อ")],
    ),
    "remark without a score": (
        saved(book([question(E="O1", G=None, H=None, I="ไม่พบข้อมูล")])),
        [(Q, 3, "G", "ต้องระบุคะแนน")],
    ),
    "empty year": (
        saved(book([question(C=None, E="I8")])),
        [(Q, 3, "C", "ต้องระบุปีงบประมาณ")],
    ),
    "text year": (
        saved(book([question(C="ปีนี้", E="I8")])),
        [(Q, 3, "C", "ปีงบประมาณต้องเป็นตัวเลข: 'ปีนี้'")],
    ),
    "another year": (
        saved(book([question(C=2565, E="I8")])),
        [(Q, 3, "C", "ปีงบประมาณ 2565 ไม่ตรงกับปีที่นำเข้า (2564)")],
    ),
    "unknown kind": (
        saved(book(items=[item(D="คะแนนพิเศษ")])),
        [
            (
                I,
                3,
                "D",
                "ไม่รู้จักประเภท “คะแนนพิเศษ” (ใช้ คะแนนรวม, เครื่องมือ, ตัวชี้วัด, ตัวชี้วัดย่อย)",
            )
        ],
    ),
    "empty kind": (saved(book(items=[item(D=None)])), [(I, 3, "D", "ต้องระบุประเภท")]),
    "unknown indicator": (
        saved(book(items=[item(E=11)])),
        [(I, 3, "E", "ไม่พบตัวชี้วัดที่ 11 ในเกณฑ์ปี 2564")],
    ),
    "unknown sub-indicator": (
        saved(book(items=[item(D="ตัวชี้วัดย่อย", E="9.9")])),
        [(I, 3, "E", "ไม่พบตัวชี้วัดย่อยที่ 9.9 ในเกณฑ์ปี 2564")],
    ),
    "unknown tool": (
        saved(book(items=[item(D="เครื่องมือ", E="XIT")])),
        [(I, 3, "E", "ไม่พบเครื่องมือ XIT ในเกณฑ์ปี 2564")],
    ),
    "a part the tool does not have": (
        saved(book(items=[item(D="เครื่องมือ", E="EIT", F=3)])),
        [(I, 3, "F", "EIT ไม่มีส่วนที่ 3")],
    ),
}


def snapshot() -> dict:
    models = [Assessment, ToolScore, IndicatorScore, SubIndicatorScore, QuestionScore]
    state = {model.__name__: model.objects.count() for model in models}
    state.update({f"{model.__name__} history": model.history.count() for model in models})
    state["scores"] = sorted(
        QuestionScore.objects.values_list("pk", "score", "lowest_option_share", "remark")
    )
    return state


@pytest.mark.parametrize(("content", "expected"), CASES.values(), ids=CASES.keys())
def test_a_bad_file_gets_its_own_thai_message_and_writes_nothing(
    dusit, staff_dusit, content, expected
):
    before = snapshot()

    report = import_score_workbook(
        content,
        units=[dusit],
        fiscal_year=FiscalYear.objects.get(year=2564),
        user=staff_dusit,
        dry_run=False,
    )

    assert [(e.sheet, e.row, e.column, e.message) for e in report.errors] == expected
    assert snapshot() == before


def test_the_good_rows_alone_would_have_been_written(dusit, staff_dusit):
    report = import_score_workbook(
        saved(book()),
        units=[dusit],
        fiscal_year=FiscalYear.objects.get(year=2564),
        user=staff_dusit,
        dry_run=False,
    )

    assert report.ok
    assert [row.outcome for row in report.rows] == ["changed", "changed"]
    assert (
        QuestionScore.objects.get(
            assessment__unit=dusit, assessment__fiscal_year__year=2564, question__code="I7"
        ).score
        == 70
    )
