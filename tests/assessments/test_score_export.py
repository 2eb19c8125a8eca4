"""Score exports: a unit-year, every unit of a year; they import back unchanged, are safe from
formula injection, and have a UTF-8 CSV variant."""

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.urls import reverse

from assessments.admin import EscapedCSV, EscapedXLSX
from assessments.models import Assessment, FiscalYear, OrgUnit, QuestionScore
from assessments.resources import QuestionScoreResource
from assessments.score_sheets import (
    ITEMS_SHEET,
    QUESTIONS_HEADERS,
    QUESTIONS_SHEET,
    import_score_workbook,
    score_export,
)
from portal_core.excel import OutSheet, csv_bytes, unescape_text, workbook_bytes

INJECTIONS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "'=quoted", "- ข้อสังเกต"]


def fiscal_year(year) -> FiscalYear:
    return FiscalYear.objects.get(year=year)


def reimport(data, user, units, year):
    return import_score_workbook(
        data, units=units, fiscal_year=fiscal_year(year), user=user, dry_run=False
    )


@pytest.mark.parametrize(("code", "year"), [("dusit", 2564), ("bma", 2566), ("pathum-wan", 2566)])
def test_a_units_export_imports_back_unchanged(central_team, code, year):
    unit = OrgUnit.objects.get(code=code)
    history = QuestionScore.history.count()

    report = reimport(score_export(fiscal_year(year), [unit]), central_team, [unit], year)

    assert report.ok
    assert report.rows
    assert {row.outcome for row in report.rows} == {"unchanged"}
    assert QuestionScore.history.count() == history


def test_an_export_of_every_unit_of_a_year_imports_back_unchanged(central_team):
    units = list(OrgUnit.objects.exclude(kind=OrgUnit.Kind.DIVISION))
    year = 2566
    exported = score_export(fiscal_year(year), units)

    report = reimport(exported, central_team, units, year)

    book = openpyxl.load_workbook(io.BytesIO(exported))
    exported_units = {row[0] for row in book[ITEMS_SHEET].iter_rows(min_row=2, values_only=True)}
    with_scores = set(
        Assessment.objects.filter(fiscal_year__year=year).values_list("unit__code", flat=True)
    )
    assert exported_units == with_scores
    assert report.ok
    assert {row.outcome for row in report.rows} == {"unchanged"}


def test_the_dusit_export_holds_its_scores_with_thai_headers(dusit):
    book = openpyxl.load_workbook(io.BytesIO(score_export(fiscal_year(2564), [dusit])))

    rows = list(book[QUESTIONS_SHEET].iter_rows(values_only=True))
    assert list(rows[0]) == QUESTIONS_HEADERS
    i7 = next(row for row in rows if row[4] == "I7")
    assert (i7[0], i7[2], i7[3], i7[6], i7[7]) == ("dusit", 2564, 2, 61.49, 19.28)
    overall = next(book[ITEMS_SHEET].iter_rows(min_row=2, values_only=True))
    assert (overall[3], overall[7], overall[8]) == ("คะแนนรวม", 90.4, "A")


@pytest.mark.parametrize("remark", INJECTIONS)
def test_a_remark_that_looks_like_a_formula_stays_text_and_comes_back_unchanged(
    dusit_2564, central_team, remark
):
    score = dusit_2564.question_scores.get(question__code="O1")
    score.remark = remark
    score.save()
    exported = score_export(fiscal_year(2564), [dusit_2564.unit])

    sheet = openpyxl.load_workbook(io.BytesIO(exported))[QUESTIONS_SHEET]
    cell = next(row[8] for row in sheet.iter_rows(min_row=2) if row[4].value == "O1")
    report = reimport(exported, central_team, [dusit_2564.unit], 2564)

    assert cell.data_type == "s"
    assert unescape_text(cell.value) == remark
    assert cell.quotePrefix == remark.startswith(("=", "+", "-", "@"))
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(exported)).read("xl/worksheets/sheet2.xml")
    assert report.ok
    assert {row.outcome for row in report.rows} == {"unchanged"}


def test_csv_files_start_with_a_byte_order_mark_and_escape_formula_text():
    content = csv_bytes(["ข้อสังเกต"], [["=1+1"], ["ปกติ"], [Decimal("61.49")]])

    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["ข้อสังเกต"], ["'=1+1"], ["ปกติ"], ["61.49"]]


def test_workbooks_write_numbers_as_numbers_and_text_as_text():
    content = workbook_bytes([OutSheet("ก", ["คะแนน", "ข้อความ"], [[Decimal("61.49"), "=A1"]])])

    cells = next(openpyxl.load_workbook(io.BytesIO(content))["ก"].iter_rows(min_row=2))
    assert (cells[0].value, cells[0].data_type) == (61.49, "n")
    assert (cells[1].value, cells[1].data_type) == ("=A1", "s")


def test_the_question_csv_download_is_utf8_with_a_byte_order_mark(client, staff_dusit):
    client.force_login(staff_dusit)
    url = reverse("assessments:scores-export", kwargs={"code": "dusit", "year": 2564})

    response = client.get(url, {"format": "csv", "sheet": "questions"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ita-2564-dusit-scores-questions.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert rows[0] == QUESTIONS_HEADERS
    assert ["dusit", "สำนักงานเขตดุสิต", "2564", "2", "I7"] == rows[1][:5]


def test_the_admin_formats_escape_with_an_apostrophe_that_imports_back(
    dusit_2564, central_team, settings
):
    settings.IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
    score = dusit_2564.question_scores.get(question__code="O1")
    score.remark = "=cmd|' /C calc'!A0"
    score.save()
    queryset = QuestionScore.objects.filter(pk=score.pk)
    for file_format in (EscapedCSV(), EscapedXLSX()):
        exported = file_format.export_data(QuestionScoreResource().export(queryset=queryset))
        dataset = tablib.Dataset().load(exported, format=file_format.get_title())

        result = QuestionScoreResource().import_data(dataset, dry_run=True, user=central_team)

        assert dataset.dict[0]["ข้อสังเกตของผู้ประเมิน"] == "'=cmd|' /C calc'!A0"
        assert [row.import_type for row in result.rows] == ["skip"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_dusit", 200), ("director_dusit", 200), ("staff_pathumwan", 404), (None, 302)],
)
def test_a_units_export_is_for_those_who_see_the_unit(db, client, request, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    url = reverse("assessments:scores-export", kwargs={"code": "dusit", "year": 2564})

    assert client.get(url).status_code == status


@pytest.mark.parametrize("name", ["scores-export-all", "scores-template-all"])
@pytest.mark.parametrize(("persona", "status"), [("central_team", 200), ("staff_dusit", 403)])
def test_every_units_export_and_template_are_for_the_central_team(
    db, client, request, name, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(f"assessments:{name}", kwargs={"year": 2566}))

    assert response.status_code == status
