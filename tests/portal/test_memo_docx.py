"""The memo's editable Word copy: every text of the HTML memo, its layout, download and freezing."""

import io
import re
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from docx import Document
from docx.shared import Cm
from lxml import html as lxml_html

from assessments.models import OrgUnit
from ita_portal.memo_document import memo_document_context
from ita_portal.memo_docx import DOCX_TYPE, FONT, render_memo_docx
from ita_portal.memo_revisions import renderer
from measures.memo_workflow import transition_memo
from measures.models import Memo

Status = Memo.Status
BLOCKS = "//h1 | //h3 | //p | //th | //td | //li | //figcaption"


def _key(text: str) -> str:
    """Text compared without white space: Word and HTML break and space lines differently."""
    return re.sub(r"\s+", "", text)


def _html_blocks(memo: Memo) -> list[str]:
    """The visible text of every paragraph, heading and table cell of the memo's HTML."""
    tree = lxml_html.fromstring(
        render_to_string("memos/_memo_article.html", memo_document_context(memo))
    )
    for br in tree.iter("br"):
        br.tail = " " + (br.tail or "")
    texts = [_key(node.text_content()) for node in tree.xpath(BLOCKS)]
    return [text for text in texts if text]


def _docx_blocks(data: bytes) -> set[str]:
    """The text of every paragraph and every table cell python-docx reads back."""
    document = Document(io.BytesIO(data))
    blocks = {_key(p.text) for p in document.paragraphs}

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                yield _key(cell.text)
                blocks.update(_key(p.text) for p in cell.paragraphs)
                for inner in cell.tables:
                    yield from cells(inner)

    for table in document.tables:
        blocks.update(cells(table))
    return blocks


@pytest.mark.parametrize("pk", [1, 2, 3, 4, 5])
def test_the_word_copy_of_every_seed_memo_holds_every_text_of_its_html(db, pk):
    memo = Memo.objects.get(pk=pk)
    html_blocks = _html_blocks(memo)
    docx_blocks = _docx_blocks(render_memo_docx(memo))

    missing = [text for text in html_blocks if text not in docx_blocks]

    assert len(html_blocks) > 20
    assert missing == []


def test_the_word_copy_uses_the_thai_font_a4_margins_and_thai_page_numbers(db):
    memo = Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)
    document = Document(io.BytesIO(render_memo_docx(memo)))
    section = document.sections[0]
    normal = document.styles["Normal"].element.rPr

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert round(section.left_margin.cm, 1) == 3.0
    assert round(section.right_margin.cm, 1) == 2.0
    assert round(section.top_margin.cm, 1) == 1.5
    fonts = normal.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in ("ascii", "cs")} == {FONT}
    assert document.styles["Normal"].font.size.pt == 16
    assert section.different_first_page_header_footer
    header = section.header._element.xml
    assert "PAGE \\* ThaiArabic" in header
    assert "บันทึกข้อความ" in document.tables[0].rows[0].cells[1].text


def test_the_wide_plan_is_landscape(db):
    memo = Memo.objects.get(unit__code="bangkok-noi", kind=Memo.Kind.MEASURES_PLAN)
    section = Document(io.BytesIO(render_memo_docx(memo))).sections[0]

    assert section.page_width > section.page_height
    assert round(section.left_margin.cm, 1) == 2.5


def test_a_memo_in_arabic_numerals_numbers_its_word_pages_in_arabic(db):
    memo = Memo.objects.get(pk=1)
    memo.thai_numerals = False
    document = Document(io.BytesIO(render_memo_docx(memo)))

    assert "ThaiArabic" not in document.sections[0].header._element.xml
    text = " ".join(p.text for p in document.paragraphs)
    assert "จุดบกพร่องมีทั้งหมด 3 ตัวชี้วัด 4 จุด" in text


def test_the_word_copy_downloads_beside_the_pdf_with_a_thai_file_name(client, db, staff_dusit):
    memo = Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)
    client.force_login(staff_dusit)
    page = client.get(f"/memos/{memo.pk}/").content.decode()

    response = client.get(f"/memos/{memo.pk}.docx")

    assert f'href="/memos/{memo.pk}.docx"' in page
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    name = f"บันทึกข้อความ-เขตดุสิต-2565-{memo.pk}.docx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert Document(io.BytesIO(response.content)).paragraphs


def test_a_draft_word_copy_only_for_users_of_the_unit(client, db, dusit, staff_dusit):
    memo = Memo.objects.filter(unit=dusit).first()
    memo.status = Status.DRAFT
    memo.save()

    assert client.get(f"/memos/{memo.pk}.docx").status_code == 404
    client.force_login(staff_dusit)
    assert client.get(f"/memos/{memo.pk}.docx").status_code == 200


def test_approval_stores_the_word_copy_and_later_edits_never_reach_it(client, db, central_team):
    memo = Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)
    for to in (Status.APPROVED, Status.DRAFT, Status.SUBMITTED):
        memo = transition_memo(memo, to=to, by=central_team, comment="ตรวจทาน")
    memo = transition_memo(
        memo, to=Status.APPROVED, by=central_team, render=renderer("http://testserver")
    )
    stored = bytes(memo.revisions.get(number=1).docx)
    memo.subject = "เรื่องที่แก้หลังอนุมัติ"
    memo.save()
    client.force_login(central_team)

    response = client.get(f"/memos/{memo.pk}.docx")

    assert stored.startswith(b"PK")
    assert response.content == stored
    texts = [p.text for p in Document(io.BytesIO(stored)).paragraphs]
    assert not any("เรื่องที่แก้หลังอนุมัติ" in text for text in texts)


def test_charts_go_into_the_word_copy_as_pictures(db):
    memo = Memo.objects.get(unit__code="council-secretariat", kind=Memo.Kind.MEASURES_PLAN)
    document = Document(io.BytesIO(render_memo_docx(memo)))
    pictures = document.inline_shapes

    assert len(pictures) >= 2
    assert all(picture.width <= Cm(16.1) for picture in pictures)


def test_the_word_copy_of_a_plan_names_the_units_own_target_as_the_html_does(db):
    memo = Memo.objects.get(pk=3)
    cited = memo.assessment.unit_id  # the plan's result summary is of the cited assessment
    OrgUnit.objects.filter(pk=cited).update(target_score=95, target_label="ตัวชี้วัด กทม.")
    memo = Memo.objects.get(pk=3)
    html_blocks = _html_blocks(memo)

    missing = [text for text in html_blocks if text not in _docx_blocks(render_memo_docx(memo))]

    assert any("(ใช้เป้าหมายตัวชี้วัดกทม." in text for text in html_blocks)
    assert missing == []
