"""The memo page inside the portal: the site's header and navigation, the download buttons, a
way back, and the ร่าง stamp that marks a draft's PDF (and never an approved one's)."""

import subprocess

import pytest
from django.template.loader import render_to_string

from ita_portal.memo_document import memo_document_context
from ita_portal.pdf import render_memo_pdf
from measures.models import Memo

Status = Memo.Status
STAMP = '<div class="draft-stamp" aria-hidden="true">ร่าง</div>'


def _pdf_html(results_memo: Memo) -> str:
    return render_to_string("memos/memo_document.html", memo_document_context(results_memo))


def test_the_public_memo_page_has_the_site_header_buttons_and_a_way_back(client, results_memo):
    page = client.get(f"/memos/{results_memo.pk}/").content.decode()

    assert '<header class="site-header">' in page
    assert 'aria-label="เมนูหลัก"' in page
    assert f'<a class="button" href="/memos/{results_memo.pk}.pdf">ดาวน์โหลด PDF</a>' in page
    assert f'<a class="button secondary" href="/memos/{results_memo.pk}.docx">' in page
    assert '<a href="/dusit/">กลับไปหน้าเขตดุสิต</a>' in page
    assert 'class="breadcrumbs"' in page
    assert "memo-phone.css" in page


def test_the_staff_memo_page_leads_back_to_the_units_work_year(client, results_memo, staff_dusit):
    client.force_login(staff_dusit)

    page = client.get(f"/memos/{results_memo.pk}/").content.decode()

    year = results_memo.fiscal_year.year
    assert f'href="/staff/units/dusit/{year}/memos/">กลับไปบันทึกข้อความของหน่วยงาน</a>' in page
    assert f'href="/staff/units/dusit/{year - 1}/#work"' in page  # the breadcrumbs
    assert 'class="memo-panel"' in page


def test_the_pdf_document_carries_no_site_chrome(results_memo):
    html = _pdf_html(results_memo)

    assert "site-header" not in html
    assert "memo-phone.css" not in html


def test_a_draft_pdf_is_stamped_on_every_page(results_draft):
    pdf = render_memo_pdf(results_draft)
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True, check=True
    )
    pages = [page for page in text.stdout.decode().split("\f") if page.strip()]

    assert STAMP in _pdf_html(results_draft)
    assert len(pages) > 1
    assert all("ร่าง" in page for page in pages)


@pytest.mark.parametrize("status", [Status.APPROVED, Status.PUBLISHED])
def test_an_approved_or_published_pdf_is_not_stamped(results_memo, status):
    results_memo.status = status

    assert "draft-stamp" not in _pdf_html(results_memo)
