"""Importing score workbooks: dry run, all-or-nothing confirmation, scope, pages and speed."""

import io
import math
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    OrgUnit,
    Question,
    QuestionScore,
    ToolScore,
)
from assessments.score_sheets import (
    ITEMS_HEADERS,
    ITEMS_SHEET,
    QUESTIONS_HEADERS,
    QUESTIONS_SHEET,
    import_score_workbook,
    score_template,
)
from portal_core import excel


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx(items=(), questions=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = ITEMS_SHEET
    sheet.append(ITEMS_HEADERS)
    for row in items:
        sheet.append(list(row))
    sheet = book.create_sheet(QUESTIONS_SHEET)
    sheet.append(QUESTIONS_HEADERS)
    for row in questions:
        sheet.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def question_row(unit, code, score, share=None, remark=None, year=2564):
    return [unit, "", year, None, code, "", score, share, remark]


def item_row(unit, kind, code, score, part=None, level=None, year=2564):
    return [unit, "", year, kind, code, part, "", score, level]


def fiscal_year(year=2564) -> FiscalYear:
    return FiscalYear.objects.get(year=year)


def dusit_score(code: str) -> QuestionScore:
    return QuestionScore.objects.get(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2564, question__code=code
    )


def run(data, user, *, units, year=2564, dry_run=False):
    return import_score_workbook(
        data, units=units, fiscal_year=fiscal_year(year), user=user, dry_run=dry_run
    )


# --- the template ------------------------------------------------------------------------------


def test_the_template_lists_every_item_of_the_units_framework_with_empty_scores(dusit):
    book = openpyxl.load_workbook(io.BytesIO(score_template(fiscal_year(2566), [dusit])))

    items = list(book[ITEMS_SHEET].iter_rows(values_only=True))
    questions = list(book[QUESTIONS_SHEET].iter_rows(values_only=True))
    assert book.sheetnames == [ITEMS_SHEET, QUESTIONS_SHEET]
    assert list(items[0]) == ITEMS_HEADERS
    assert list(questions[0]) == QUESTIONS_HEADERS
    kinds = [(row[3], row[4], row[5], row[6]) for row in items[1:6]]
    assert kinds == [
        ("คะแนนรวม", None, None, "คะแนนรวม ITA"),
        ("เครื่องมือ", "IIT", None, "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน"),
        ("เครื่องมือ", "EIT", 1, "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก ส่วนที่ 1"),
        ("เครื่องมือ", "EIT", 2, "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก ส่วนที่ 2"),
        ("เครื่องมือ", "OIT", None, "แบบตรวจการเปิดเผยข้อมูลสาธารณะ"),
    ]
    # a district office's 2566 items are those of the district framework of 2566
    district = Question.objects.filter(framework__district_fiscal_years__year=2566)
    assert len(questions) - 1 == district.count() == 67
    assert {row[0] for row in questions[1:]} == {"dusit"}
    assert all(row[6] is None and row[7] is None for row in questions[1:])
    assert all(row[7] is None for row in items[1:])


def test_a_template_imported_as_downloaded_changes_nothing(dusit, staff_dusit):
    before = QuestionScore.history.count()

    report = run(score_template(fiscal_year(), [dusit]), staff_dusit, units=[dusit])

    assert report.ok
    assert report.writes == 0
    assert {row.outcome for row in report.rows} == {"empty"}
    assert QuestionScore.history.count() == before


# --- dry run and confirmation ------------------------------------------------------------------


def test_a_dry_run_reports_each_row_and_writes_nothing(dusit, staff_dusit):
    data = xlsx(
        items=[item_row("dusit", "ตัวชี้วัด", 2, 81.96), item_row("dusit", "ตัวชี้วัด", 4, 82)],
        questions=[question_row("dusit", "I7", 70, 19.28), question_row("dusit", "I8", 50)],
    )

    report = run(data, staff_dusit, units=[dusit], dry_run=True)

    assert report.ok
    assert [(r.sheet, r.row, r.outcome, r.label, r.changes) for r in report.rows] == [
        (ITEMS_SHEET, 2, "unchanged", "dusit ตัวชี้วัด 2", []),
        (ITEMS_SHEET, 3, "changed", "dusit ตัวชี้วัด 4", [("คะแนน", "80.96", "82")]),
        (QUESTIONS_SHEET, 2, "changed", "dusit ข้อ I7", [("คะแนน", "61.49", "70")]),
        (QUESTIONS_SHEET, 3, "new", "dusit ข้อ I8", [("คะแนน", "–", "50")]),
    ]
    assert dusit_score("I7").score == Decimal("61.49")
    assert not QuestionScore.objects.filter(question__code="I8", assessment__unit=dusit).exists()


def test_confirming_writes_every_row_with_history_and_a_second_import_changes_nothing(
    dusit, staff_dusit
):
    data = xlsx(
        items=[item_row("dusit", "คะแนนรวม", None, 90.4, level="A")],
        questions=[
            question_row("dusit", "I7", 70, 19.28, "ทบทวนแล้ว"),
            question_row("dusit", "I8", 50),
        ],
    )
    history = QuestionScore.history.count()

    first = run(data, staff_dusit, units=[dusit])
    after_first = (QuestionScore.history.count(), Assessment.history.count())
    second = run(data, staff_dusit, units=[dusit])

    assert first.ok and first.writes == 2
    i7 = dusit_score("I7")
    assert (i7.score, i7.remark) == (Decimal("70.00"), "ทบทวนแล้ว")
    assert i7.history.first().history_user == staff_dusit
    assert dusit_score("I8").score == Decimal("50.00")
    assert after_first[0] == history + 2
    assert second.ok
    assert {row.outcome for row in second.rows} == {"unchanged"}
    assert (QuestionScore.history.count(), Assessment.history.count()) == after_first


def test_a_missing_assessment_is_created_for_the_units_year(dusit, staff_dusit):
    data = xlsx(
        items=[item_row("dusit", "เครื่องมือ", "EIT", 80.5, part=1, year=2566)],
        questions=[question_row("dusit", "I8", 75, year=2566)],
    )

    report = run(data, staff_dusit, units=[dusit], year=2566)

    assert report.ok
    assert report.notes == ["สร้างผลการประเมินของ เขตดุสิต ปีงบประมาณ 2566"]
    assessment = Assessment.objects.get(unit=dusit, fiscal_year__year=2566)
    assert ToolScore.objects.get(assessment=assessment, tool__code="EIT", part=1).score == Decimal(
        "80.50"
    )
    assert assessment.history.first().history_user == staff_dusit


def test_a_staff_file_naming_another_unit_is_refused_and_writes_nothing(
    dusit, pathumwan, staff_dusit
):
    data = xlsx(questions=[question_row("dusit", "I7", 70), question_row("pathum-wan", "I7", 10)])
    before = QuestionScore.objects.filter(assessment__unit=pathumwan).count()

    report = run(data, staff_dusit, units=[dusit])

    assert [(e.sheet, e.row, e.column, e.message) for e in report.errors] == [
        (QUESTIONS_SHEET, 3, "A", "ท่านไม่มีสิทธิ์นำเข้าคะแนนของหน่วยงาน pathum-wan")
    ]
    assert dusit_score("I7").score == Decimal("61.49")
    assert QuestionScore.objects.filter(assessment__unit=pathumwan).count() == before
    assert not Assessment.objects.filter(unit=pathumwan, fiscal_year__year=2564).exists()


def test_the_central_team_imports_one_file_for_several_units(central_team):
    units = list(OrgUnit.objects.filter(code__in=["dusit", "bang-rak", "phra-nakhon"]))
    data = xlsx(
        items=[item_row(unit.code, "ตัวชี้วัด", 1, 88) for unit in units],
        questions=[question_row(unit.code, "I1", 90) for unit in units],
    )

    report = run(data, central_team, units=units)

    assert report.ok
    assert (
        IndicatorScore.objects.filter(
            assessment__fiscal_year__year=2564, indicator__number=1, assessment__unit__in=units
        ).count()
        == 3
    )
    assert (
        QuestionScore.objects.filter(
            assessment__fiscal_year__year=2564, question__code="I1", score=90
        ).count()
        == 3
    )


# --- speed: one bulk write, not a query per row -------------------------------------------------


def district_file(units, questions) -> bytes:
    return xlsx(
        questions=[
            question_row(unit.code, q.code, 50 + (i % 50), i % 30)
            for unit in units
            for i, q in enumerate(questions)
        ]
    )


def insert_batches(model, rows: int) -> int:
    """The INSERT statements one bulk write of so many rows may take: the database splits it to
    stay under its bound-parameter limit (999 on SQLite, 65,535 on PostgreSQL)."""
    fields = len(model._meta.concrete_fields)
    limit = 999 if connection.vendor == "sqlite" else 65535
    return math.ceil(rows / max(limit // fields, 1))


LOOKUP_QUERIES = 20  # units, years, assessments, questions, existing scores, savepoints …
# The year's missing assessments and their history, and the history of updated scores (Dusit's
# demo I7, I20, O1, O29 are among the 50 districts): one bulk write each.
OTHER_WRITES = 3


@pytest.mark.parametrize("districts", [5, 50])
def test_a_year_of_district_question_scores_imports_in_a_fixed_number_of_queries(
    central_team, districts
):
    units = list(OrgUnit.objects.districts().order_by("code")[:districts])
    questions = list(Question.objects.filter(framework__fiscal_years__year=2564).order_by("order"))
    data = district_file(units, questions)
    rows = districts * len(questions)
    writes = insert_batches(QuestionScore, rows) + insert_batches(QuestionScore.history.model, rows)

    with CaptureQueriesContext(connection) as captured:
        report = run(data, central_team, units=units)

    inserts = [q for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    lookups = len(captured.captured_queries) - len(inserts)
    assert lookups <= LOOKUP_QUERIES  # the same for 5 and for 50 districts
    assert len(inserts) <= writes + OTHER_WRITES  # bulk writes, never one per row
    assert report.ok
    assert len(questions) == 88
    assert len(report.rows) == rows
    assert (
        QuestionScore.objects.filter(
            assessment__fiscal_year__year=2564, assessment__unit__in=units
        ).count()
        == rows
    )


def test_a_dry_run_checks_every_row_without_writing_a_score_or_its_history(dusit, staff_dusit):
    data = xlsx(questions=[question_row("dusit", "I7", 70), question_row("dusit", "I8", 50)])

    with CaptureQueriesContext(connection) as captured:
        report = run(data, staff_dusit, units=[dusit], dry_run=True)

    assert [row.outcome for row in report.rows] == ["changed", "new"]
    writes = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []


def test_a_unit_or_year_that_is_wrong_on_many_rows_is_reported_on_each(dusit, staff_dusit):
    data = xlsx(
        questions=[
            question_row("dusit", "I7", 70, year=2565),
            question_row("dusit", "I8", 50, year=2565),
            question_row("nowhere", "I9", 50),
            question_row("nowhere", "I10", 50),
        ]
    )

    report = run(data, staff_dusit, units=[dusit], dry_run=True)

    assert [(e.row, e.column, e.message) for e in report.sorted_errors()] == [
        (2, "C", "ปีงบประมาณ 2565 ไม่ตรงกับปีที่นำเข้า (2564)"),
        (3, "C", "ปีงบประมาณ 2565 ไม่ตรงกับปีที่นำเข้า (2564)"),
        (4, "A", "ไม่พบรหัสหน่วยงาน nowhere"),
        (5, "A", "ไม่พบรหัสหน่วยงาน nowhere"),
    ]


# --- reading the file: once, formulas without a value included -----------------------------------


def with_formula(data: bytes, cell: str, xml: bytes) -> bytes:
    """The file with a cell of the question sheet replaced by raw XML (a formula as Excel or
    another program wrote it, which openpyxl cannot write)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet2.xml":
                start = content.index(f'<c r="{cell}"'.encode())
                end = content.index(b"</c>", start) + len(b"</c>")
                content = content[:start] + xml + content[end:]
            archive.writestr(name, content)
    return stream.getvalue()


@pytest.fixture
def workbook_loads(monkeypatch):
    """The load_workbook calls of the import, by their data_only argument."""
    calls = []

    def counting(*args, **kwargs):
        calls.append(kwargs.get("data_only"))
        return openpyxl.load_workbook(*args, **kwargs)

    monkeypatch.setattr(excel, "load_workbook", counting)
    return calls


def test_a_file_without_formulas_is_read_once_per_import(dusit, staff_dusit, workbook_loads):
    data = xlsx(questions=[question_row("dusit", "I7", 70)])

    run(data, staff_dusit, units=[dusit], dry_run=True)
    report = run(data, staff_dusit, units=[dusit])

    assert report.ok
    assert workbook_loads == [True, True]
    assert dusit_score("I7").score == 70


def test_a_formula_excel_calculated_is_read_once_as_its_cached_value(
    dusit, staff_dusit, workbook_loads
):
    data = with_formula(
        xlsx(questions=[question_row("dusit", "I7", 70)]),
        "G2",
        b'<c r="G2"><f>70+5</f><v>75</v></c>',
    )

    report = run(data, staff_dusit, units=[dusit])

    assert report.ok
    assert workbook_loads == [True]
    assert dusit_score("I7").score == 75


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="G2"><f>70+5</f></c>',
        b'<c r="G2"><f>70+5</f><v></v></c>',
        b'<c r="G2" t="str"><f>"7"&amp;"5"</f><v/></c>',
    ],
    ids=["no value", "empty value", "empty text value"],
)
def test_a_formula_without_a_cached_value_is_reported_at_its_cell_from_the_one_read(
    dusit, staff_dusit, workbook_loads, cell
):
    data = with_formula(xlsx(questions=[question_row("dusit", "I7", 70)]), "G2", cell)

    report = run(data, staff_dusit, units=[dusit])

    assert [(e.sheet, e.row, e.column, e.message) for e in report.errors] == [
        (QUESTIONS_SHEET, 2, "G", excel.FORMULA_WITHOUT_VALUE)
    ]
    assert workbook_loads == [True]
    assert dusit_score("I7").score == Decimal("61.49")


@pytest.mark.parametrize(
    ("cell", "lacks_value"),
    [
        (b'<c r="G2"><f>70+5</f><v>75</v></c>', False),
        (b'<c r="G2"><f t="shared" ref="G2:G3" si="0">70+5</f><v>75</v></c>', False),
        (b'<c r="G2"><f>70+5</f><v><![CDATA[75]]></v></c>', False),
        (b'<c r="G2"><f>70+5</f></c>', True),
        (b'<c r="G2"><f t="shared" si="0"/></c>', True),
        (b'<c r="G2" t="inlineStr"><f>A2</f><v>75</v></c>', True),
    ],
)
def test_the_one_read_finds_every_formula_without_a_cached_value(cell, lacks_value):
    data = with_formula(xlsx(questions=[question_row("dusit", "I7", 70)]), "G2", cell)

    row = excel.read_sheets(data)[QUESTIONS_SHEET].rows[0]

    assert row.formulas_without_value == (["คะแนน"] if lacks_value else [])


# --- the pages ---------------------------------------------------------------------------------


def upload(client, url, data: bytes, name="scores.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def import_url(code="dusit", year=2564):
    return reverse("assessments:scores-import", kwargs={"code": code, "year": year})


def test_staff_upload_shows_the_dry_run_and_confirm_imports_the_stored_file(client, staff_dusit):
    client.force_login(staff_dusit)
    response = upload(client, import_url(), xlsx(questions=[question_row("dusit", "I7", 70)]))
    preview_url = response["Location"]

    page = client.get(preview_url)
    confirm = client.post(preview_url + "confirm/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "ยืนยันการนำเข้า (1 รายการ)" in html
    assert "dusit ข้อ I7" in html and "61.49 → 70" in html
    assert dusit_score("I7").score == Decimal("70.00")
    assessment = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    assert confirm["Location"] == reverse("assessments:score-entry", kwargs={"pk": assessment.pk})
    assert default_storage.listdir("imports")[1] == []


def test_a_bad_upload_shows_each_error_and_offers_no_confirmation(client, staff_dusit):
    client.force_login(staff_dusit)
    data = xlsx(questions=[question_row("dusit", "I7", 70), question_row("dusit", "O99", 150)])
    preview = client.get(upload(client, import_url(), data)["Location"])

    html = preview.content.decode()
    assert "พบข้อผิดพลาด 2 รายการ" in html
    assert "ไม่พบข้อคำถาม O99 ในเกณฑ์ปี 2564" in html
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 100" in html
    assert "ยืนยันการนำเข้า (" not in html


def test_confirming_a_bad_file_writes_nothing(client, staff_dusit):
    client.force_login(staff_dusit)
    data = xlsx(questions=[question_row("dusit", "I7", 70), question_row("dusit", "I8", "abc")])
    preview_url = upload(client, import_url(), data)["Location"]

    response = client.post(preview_url + "confirm/")

    assert response["Location"] == preview_url
    assert dusit_score("I7").score == Decimal("61.49")


def test_a_file_that_is_not_xlsx_is_refused_at_upload(client, staff_dusit):
    client.force_login(staff_dusit)

    response = upload(client, import_url(), "รหัสหน่วยงาน,คะแนน\n".encode(), name="scores.xlsx")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาบันทึกเป็นไฟล์ Excel Workbook (.xlsx) แล้วนำเข้าใหม่"
    ]


def test_confirm_needs_post_and_the_uploaders_own_session(client, staff_dusit, central_team):
    client.force_login(staff_dusit)
    preview_url = upload(client, import_url(), xlsx(questions=[question_row("dusit", "I7", 70)]))[
        "Location"
    ]

    get_confirm = client.get(preview_url + "confirm/")
    client.force_login(central_team)
    other_user = client.post(preview_url + "confirm/")

    assert get_confirm.status_code == 405
    assert other_user.status_code == 404
    assert dusit_score("I7").score == Decimal("61.49")


def test_cancel_drops_the_stored_file(client, staff_dusit):
    client.force_login(staff_dusit)
    preview_url = upload(client, import_url(), xlsx(questions=[question_row("dusit", "I7", 70)]))[
        "Location"
    ]

    response = client.post(preview_url + "cancel/")

    assert response["Location"] == import_url()
    assert default_storage.listdir("imports")[1] == []
    assert client.get(preview_url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_dusit", 200), ("staff_pathumwan", 404), ("director_dusit", 403), (None, 302)],
)
def test_only_the_units_editors_open_its_import_page(db, client, request, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    assert client.get(import_url()).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("central_team", 200), ("staff_dusit", 403), ("director_dusit", 403)]
)
def test_only_the_central_team_imports_every_unit(db, client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))

    url = reverse("assessments:scores-import-all", kwargs={"year": 2564})

    assert client.get(url).status_code == status


def test_central_upload_for_every_unit_confirms_in_one_step(client, central_team):
    client.force_login(central_team)
    data = xlsx(questions=[question_row("dusit", "I7", 70), question_row("bang-rak", "I7", 65)])
    url = reverse("assessments:scores-import-all", kwargs={"year": 2564})
    preview_url = upload(client, url, data)["Location"]

    response = client.post(preview_url + "confirm/")

    assert response["Location"] == url
    assert QuestionScore.objects.get(
        assessment__unit__code="bang-rak", assessment__fiscal_year__year=2564, question__code="I7"
    ).score == Decimal("65.00")
