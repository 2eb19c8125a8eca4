"""The central ITA team's admin of units, the framework and the scores."""

import re
from decimal import Decimal
from html import unescape

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, Question, QuestionScore

# Every model of assessments.models, with its Thai plural name as the changelist title shows it.
CHANGELISTS = [
    ("orgunit", "หน่วยงาน"),
    ("membership", "สมาชิกหน่วยงาน"),
    ("framework", "เกณฑ์การประเมิน"),
    ("fiscalyear", "ปีงบประมาณ"),
    ("tool", "เครื่องมือการประเมิน"),
    ("indicator", "ตัวชี้วัด"),
    ("subindicator", "ตัวชี้วัดย่อย"),
    ("question", "ข้อคำถาม"),
    ("levelband", "ระดับผลการประเมิน"),
    ("assessment", "ผลการประเมิน"),
    ("toolscore", "คะแนนรายเครื่องมือ"),
    ("indicatorscore", "คะแนนรายตัวชี้วัด"),
    ("subindicatorscore", "คะแนนรายตัวชี้วัดย่อย"),
    ("questionscore", "คะแนนรายข้อ"),
]


def readonly_value(html: str, field: str) -> str:
    """The text of one read-only field on an admin change page."""
    match = re.search(
        rf'<div class="form-row field-{field}">.*?<div class="readonly">(.*?)</div>', html, re.S
    )
    assert match, f"read-only field {field} not on the page"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def change_page(client, user, assessment: Assessment):
    client.force_login(user)
    response = client.get(reverse("admin:assessments_assessment_change", args=[assessment.pk]))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("model_name", "title"), CHANGELISTS)
def test_central_team_sees_every_assessments_changelist_in_thai(
    client, central_team, model_name, title
):
    client.force_login(central_team)

    response = client.get(reverse(f"admin:assessments_{model_name}_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].opts.verbose_name_plural == title
    assert f"<h1>เลือก {response.context['cl'].opts.verbose_name} เพื่อเปลี่ยนแปลง</h1>" in (
        response.content.decode()
    )


def test_question_changelist_filters_by_framework_and_searches_codes(client, central_team):
    client.force_login(central_team)
    framework_id = Question.objects.get(framework__code="ita2563-2565", code="I7").framework_id
    url = reverse("admin:assessments_question_changelist")

    response = client.get(url, {"framework__id__exact": framework_id, "q": "I7"})

    assert [q.code for q in response.context["cl"].result_list] == ["I7"]


def test_assessment_search_finds_a_unit_by_thai_name_and_year(client, central_team, dusit_2564):
    client.force_login(central_team)

    response = client.get(reverse("admin:assessments_assessment_changelist"), {"q": "ดุสิต 2564"})

    assert list(response.context["cl"].result_list) == [dusit_2564]


def test_dusit_2564_page_shows_its_scores_and_that_the_computed_overall_matches(
    client, central_team, dusit_2564
):
    html = change_page(client, central_team, dusit_2564).content.decode()

    assert 'value="61.49"' in html  # I7, question score inline
    assert 'value="19.28"' in html  # I7, lowest-option share
    assert 'value="92.35"' in html  # indicator 1
    assert 'value="83.33"' in html  # sub-indicator 9.1
    assert "มีผังองค์กรแต่ไม่พบรายละเอียดส่วนย่อยของฝ่าย" in html  # O1 remark
    assert readonly_value(html, "computed_overall") == "90.40"
    assert readonly_value(html, "overall_check") == "ตรงกัน"


def test_bma_2566_page_shows_its_tool_parts_and_a_matching_overall(client, central_team, bma_2566):
    html = change_page(client, central_team, bma_2566).content.decode()

    assert 'value="79.40"' in html  # EIT ส่วนที่ 1
    assert 'value="82.24"' in html  # EIT ส่วนที่ 2
    assert readonly_value(html, "computed_overall") == "88.98"
    assert readonly_value(html, "overall_check") == "ตรงกัน"


def test_a_changed_official_score_is_flagged_as_mismatch(client, central_team, dusit_2564):
    Assessment.objects.filter(pk=dusit_2564.pk).update(official_score="91.00")

    html = change_page(client, central_team, dusit_2564).content.decode()

    assert readonly_value(html, "overall_check") == (
        "ไม่ตรงกัน: คำนวณได้ 90.40 แต่ประกาศ 91.00 (ต่างกัน -0.60)"
    )
    assert '<span class="errornote">ไม่ตรงกัน' in html


def test_an_assessment_without_parts_reports_incomplete_data(client, central_team):
    pathumwan_2566 = Assessment.objects.get(unit__code="pathum-wan", fiscal_year__year=2566)

    html = change_page(client, central_team, pathumwan_2566).content.decode()

    assert readonly_value(html, "computed_overall") == "ข้อมูลไม่ครบ"
    assert readonly_value(html, "overall_check") == "ข้อมูลไม่ครบ"


def test_score_inlines_offer_only_items_of_the_assessments_framework(
    client, central_team, dusit_2564
):
    response = change_page(client, central_team, dusit_2564)

    inline = next(
        inline
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is QuestionScore
    )
    questions = inline.formset.forms[0].fields["question"].queryset
    assert {q.framework.code for q in questions} == {"ita2563-2565"}
    framework_id = dusit_2564.fiscal_year.framework_id
    assert f"framework__id__exact={framework_id}" in response.content.decode()  # raw-id pop-up


def test_saving_a_question_of_another_years_framework_is_refused(client, central_team, dusit_2564):
    client.force_login(central_team)
    url = reverse("admin:assessments_questionscore_change", args=[_i7_score(dusit_2564).pk])
    other_i7 = Question.objects.get(framework__code="ita2566", code="I7")

    response = client.post(
        url,
        {"assessment": dusit_2564.pk, "question": other_i7.pk, "score": "61.49", "remark": ""},
    )

    assert response.status_code == 200  # the form again, with its error
    assert "question" in response.context["adminform"].form.errors
    assert _i7_score(dusit_2564).question.framework.code == "ita2563-2565"


def _i7_score(assessment: Assessment) -> QuestionScore:
    return QuestionScore.objects.get(assessment=assessment, question__code="I7")


def test_anonymous_user_is_sent_to_the_admin_login(client, dusit_2564):
    url = reverse("admin:assessments_assessment_change", args=[dusit_2564.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={url}"


def xlsx_upload(name: str, headers: list[str], *rows) -> SimpleUploadedFile:
    content = tablib.Dataset(*rows, headers=headers).export("xlsx")
    return SimpleUploadedFile(name, content)


def test_admin_import_lists_the_thai_columns_of_the_score_sheet(client, central_team):
    client.force_login(central_team)

    response = client.get(reverse("admin:assessments_questionscore_import"))

    assert response.status_code == 200
    html = response.content.decode()
    for column in ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน", "ข้อสังเกตของผู้ประเมิน"]:
        assert column in html
    assert [label for _, label in response.context["form"].fields["format"].choices] == [
        "---",
        "xlsx",
        "csv",
    ]


def test_admin_import_of_a_bad_score_sheet_shows_thai_errors_and_writes_nothing(
    client, central_team, dusit_2564
):
    client.force_login(central_team)
    upload = xlsx_upload(
        "scores.xlsx",
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"],
        ("dusit", 2564, "I7", 150),
        ("dusit", 2564, "O99", 50),
    )

    response = client.post(
        reverse("admin:assessments_questionscore_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )

    assert response.status_code == 200
    result = response.context["result"]
    assert {row.number: row.field_specific_errors for row in result.invalid_rows} == {
        1: {"คะแนน": ["คะแนนต้องอยู่ระหว่าง 0 ถึง 100"]},
        2: {"รหัสข้อ": ["ไม่พบข้อคำถาม O99 ในเกณฑ์ปี 2564"]},
    }
    assert "ไม่พบข้อคำถาม O99 ในเกณฑ์ปี 2564" in response.content.decode()
    assert _i7_score(dusit_2564).score == Decimal("61.49")


# A search that narrows each changelist to a row or two.
NARROW_SEARCHES = {
    "questionscore": "O29",
    "indicatorscore": "ดุสิต",
    "subindicatorscore": "9.1",
    "toolscore": "IIT",
    "question": "I7",
    "assessment": "ดุสิต",
}


@pytest.mark.parametrize(("model_name", "search"), NARROW_SEARCHES.items())
def test_changelist_queries_do_not_grow_with_the_rows_shown(
    client, central_team, model_name, search
):
    """A row or a full page: the same number of queries (list_select_related at work)."""
    client.force_login(central_team)
    url = reverse(f"admin:assessments_{model_name}_changelist")

    def rows_and_queries(params) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        return len(response.context["cl"].result_list), len(queries)

    few_rows, few_queries = rows_and_queries({"q": search})
    many_rows, many_queries = rows_and_queries({})

    assert many_rows > few_rows >= 1
    assert many_queries == few_queries


def test_admin_import_refuses_a_file_that_is_not_a_workbook_in_thai(client, central_team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal_core.excel import NOT_XLSX

    client.force_login(central_team)
    before = QuestionScore.objects.count()
    response = client.post(
        reverse("admin:assessments_questionscore_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("scores.xlsx", b"this is not a zip"),
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [NOT_XLSX]
    assert QuestionScore.objects.count() == before


def _admin_import(client, content: bytes):
    return client.post(
        reverse("admin:assessments_questionscore_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("scores.xlsx", content),
        },
    )


def _workbook(headers: list[str], *rows, hide_sheet: bool = False) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    if hide_sheet:
        book.create_sheet("อื่น")
        sheet.sheet_state = "hidden"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_admin_import_refuses_a_formula_cell_without_a_value_in_thai_and_writes_nothing(
    client, central_team, dusit_2564
):
    client.force_login(central_team)
    # openpyxl writes the formula without the value Excel would have cached
    content = _workbook(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"], ("dusit", 2564, "I7", "=40+50")
    )

    response = _admin_import(client, content)

    assert response.status_code == 200
    assert response.context["form"].errors["import_file"] == [
        "แผ่นงาน “Sheet” แถว 2 คอลัมน์ D (คะแนน): เซลล์สูตรไม่มีค่าที่คำนวณไว้"
    ]
    assert _i7_score(dusit_2564).score == Decimal("61.49")


def test_admin_import_refuses_a_hidden_first_sheet_in_thai(client, central_team, dusit_2564):
    client.force_login(central_team)
    content = _workbook(
        ["รหัสหน่วยงาน", "ปีงบประมาณ", "รหัสข้อ", "คะแนน"], ("dusit", 2564, "I7", 90), hide_sheet=True
    )

    response = _admin_import(client, content)

    assert "ถูกซ่อนไว้" in response.context["form"].errors["import_file"][0]
    assert _i7_score(dusit_2564).score == Decimal("61.49")


def test_admin_import_reads_headers_with_stray_spaces_and_line_breaks_as_the_staff_pages_do(
    client, central_team, dusit_2564
):
    client.force_login(central_team)
    content = _workbook(
        [" รหัสหน่วยงาน", "ปีงบประมาณ\n", "รหัสข้อ ", "คะแนน"], ("dusit", 2564, "I7", 90)
    )

    response = _admin_import(client, content)

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update"]
