"""The PDF's text layer reads as the Thai that was written (ita_portal.pdf_text).

pdftotext must give back exactly the text WeasyPrint laid out, after whitespace normalisation
only: SARA AM (ำ) whole, tone marks over NIKHAHIT kept, SARA AA never read as SARA AM.
"""

import re
import subprocess

import pikepdf
import pytest
from django.template.loader import render_to_string

from ita_portal.memo_document import memo_document_context
from ita_portal.pdf import render_html, render_html_to_pdf, render_memo_pdf
from tests.portal.test_memo_seeds import SEEDS, _memo

WORDS = "ทำ น้ำ ค่ำ ต่ำ กำกับ สำนักงานเขตบางกอกน้อย นา ที่ ปี ญาติ ฐาน ปู่ ตั้ง ธรรม ฯลฯ ๑๒๓"


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _laid_out_text(html: str) -> str:
    """Every piece of text WeasyPrint placed on the pages, page margin boxes included."""
    from weasyprint.formatting_structure.boxes import TextBox

    document = render_html(html)
    return "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, TextBox)
    )


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page(body: str) -> str:
    return (
        '<html lang="th"><head><link rel="stylesheet" href="/static/css/memo.css"></head>'
        f"<body><p>{body}</p></body></html>"
    )


def test_sara_am_tone_marks_over_nikhahit_and_sara_aa_read_as_written(tmp_path):
    text = _pdftotext(render_html_to_pdf(_page(WORDS)), tmp_path)

    assert text.split() == WORDS.split()


def test_sara_aa_met_first_inside_sara_am_still_reads_as_sara_aa(tmp_path):
    text = _pdftotext(render_html_to_pdf(_page("ทำ นา")), tmp_path)

    assert text.split() == ["ทำ", "นา"]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_seed_memo_pdf_reads_as_its_laid_out_text(db, seed, tmp_path):
    html = render_to_string("memos/memo_document.html", memo_document_context(_memo(seed)))

    pdf_text = _pdftotext(render_html_to_pdf(html), tmp_path)

    assert _squeezed(pdf_text) == _squeezed(_laid_out_text(html))
    assert "ำ" in pdf_text


def test_memo_pdfs_are_tagged_thai_documents_titled_by_their_subject(db, tmp_path):
    memo = _memo("001")
    path = tmp_path / "memo.pdf"
    path.write_bytes(render_memo_pdf(memo))

    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)

    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)
    assert re.search(rf"^Title:\s+{re.escape(memo.subject)}$", info.stdout, re.M)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "th"
