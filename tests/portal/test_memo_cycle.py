"""Memo drafting follows the cycle: year N's results and year N+1's measures, wherever started;
an empty table says why on the page (never in the PDF); a provisional framework is noted."""

import subprocess

import pytest
from django.urls import reverse

from assessments.models import FiscalYear
from ita_portal import pdf
from measures.memo_content import memo_content
from measures.models import Measure, Memo, Weakness
from tests.factories import AssessmentFactory
from tests.measures.test_memo_workflow import _memo_form_data

pytestmark = pytest.mark.django_db


def _create_link(client, page_url: str, create_url: str) -> str:
    """The memo-creation link as the page offers it (with its query string)."""
    page = client.get(page_url).content.decode()
    start = page.index(f'href="{create_url}') + len('href="')
    return page[start : page.index('"', start)].replace("&amp;", "&")


@pytest.mark.parametrize(
    "page",
    [
        reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}),
        reverse("measures:memo-list", kwargs={"code": "dusit", "year": 2565}),
    ],
)
def test_a_memo_drafted_from_either_years_page_cites_2564_results_and_2565_measures(
    client, staff_dusit, dusit, dusit_2564, page
):
    client.force_login(staff_dusit)
    create = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2565})
    link = _create_link(client, page, create)

    form = client.get(link).context["form"]
    assert form.initial["assessment"] == dusit_2564.pk

    data = _memo_form_data(
        kind=Memo.Kind.ANALYSIS, subject="วิเคราะห์ผลปี ๒๕๖๔", assessment=dusit_2564.pk
    )
    client.post(link, data)
    memo = Memo.objects.get(unit=dusit, subject="วิเคราะห์ผลปี ๒๕๖๔")
    assert (memo.fiscal_year.year, memo.assessment) == (2565, dusit_2564)

    content = memo_content(memo)
    weaknesses = set(Weakness.objects.filter(assessment=dusit_2564).values_list("pk", flat=True))
    assert {item.weakness.pk for item in content.weak_items} == weaknesses
    shown = {m.measure.pk for g in content.tools for r in g.rows for m in r.measures}
    assert shown and all(
        year == 2565
        for year in Measure.objects.filter(pk__in=shown).values_list("fiscal_year__year", flat=True)
    )


def test_the_memo_form_of_this_years_work_offers_last_years_results(client, staff_dusit, dusit):
    result_2569 = AssessmentFactory(unit=dusit, fiscal_year=FiscalYear.objects.get(year=2569))
    client.force_login(staff_dusit)
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2570})
    form = client.get(f"{url}?kind=analysis").context["form"]
    assert form.initial["assessment"] == result_2569.pk
    assert form.initial["kind"] == Memo.Kind.ANALYSIS


def test_a_year_without_last_years_result_offers_none(client, staff_dusit):
    client.force_login(staff_dusit)
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2567})
    assert client.get(url).context["form"].initial["assessment"] is None


@pytest.fixture
def empty_memo(dusit) -> Memo:
    """A 2570 analysis of the 2569 results, before any weakness or measure is recorded."""
    return Memo.objects.create(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2570),
        assessment=AssessmentFactory(unit=dusit, fiscal_year=FiscalYear.objects.get(year=2569)),
        kind=Memo.Kind.ANALYSIS,
        subject="วิเคราะห์ผลปี ๒๕๖๙",
        addressee="ผู้อำนวยการเขตดุสิต",
    )


def test_an_empty_table_says_why_on_the_page_and_links_to_where_rows_are_added(
    client, staff_dusit, empty_memo
):
    client.force_login(staff_dusit)
    page = client.get(empty_memo.get_absolute_url()).content.decode()
    assert "ตารางมาตรการว่าง: ยังไม่มีมาตรการของสำนักงานเขตดุสิต ปีงบประมาณ 2570" in page
    assert "(มาตรการที่ตอบผลการประเมินปี 2569)" in page
    measures = reverse("measures:measure-list", kwargs={"code": "dusit", "year": 2570})
    assert f'<a href="{measures}">เพิ่มมาตรการปี 2570</a>' in page
    weaknesses = reverse("measures:weakness-list", kwargs={"pk": empty_memo.assessment_id})
    assert f'<a href="{weaknesses}">ทะเบียนจุดอ่อน</a>' in page


def test_the_pdf_never_says_why_a_table_is_empty(monkeypatch, empty_memo):
    rendered = []
    monkeypatch.setattr(pdf, "render_html_to_pdf", lambda html: rendered.append(html) or b"")
    pdf.render_memo_pdf(empty_memo)
    assert "ว่าง:" not in rendered[0]
    assert "memo-screen-note" not in rendered[0]


def test_the_page_note_on_empty_tables_is_hidden_in_print():
    css = open("static/css/memo.css", encoding="utf-8").read()
    hidden = css.index(".memo-panel, .memo-screen-note { display: none; }")
    assert hidden < css.index("@media screen")


def test_a_memo_on_a_provisional_framework_notes_it_on_the_page_and_in_the_pdf(
    client, staff_dusit, empty_memo, tmp_path
):
    note = "เกณฑ์ปี ๒๕๖๙ เป็นฉบับชั่วคราว ยังไม่ยืนยันกับคู่มือ ป.ป.ช."
    client.force_login(staff_dusit)
    assert note in client.get(empty_memo.get_absolute_url()).content.decode()
    path = tmp_path / "memo.pdf"
    path.write_bytes(pdf.render_memo_pdf(empty_memo))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "ยังไม่ยืนยันกับคู่มือ" in " ".join(text.split())


def test_arabic_numeral_memos_get_the_note_in_arabic_digits(client, staff_dusit, empty_memo):
    empty_memo.thai_numerals = False
    empty_memo.save()
    client.force_login(staff_dusit)
    page = client.get(empty_memo.get_absolute_url()).content.decode()
    assert "เกณฑ์ปี 2569 เป็นฉบับชั่วคราว ยังไม่ยืนยัน" in page


def test_the_seed_memos_carry_no_provisional_note(client):
    for memo in Memo.objects.published():
        assert "ฉบับชั่วคราว" not in client.get(memo.get_absolute_url()).content.decode()
