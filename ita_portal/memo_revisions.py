"""Freezing an approved memo: the renderer measures.memo_workflow calls at approval.

The revision's HTML is the memo's ``<article>`` (templates/memos/_memo_article.html) with its
seal: the memo number, the revision number, the verification code and the address of the
verification page, also as a QR code (segno, as inline SVG like the charts: WeasyPrint draws it,
and neither its URL fetcher nor the Content-Security-Policy has anything to fetch). The PDF is
that article inside the page template. The page and the PDF of an approved or published memo
are then served from the revision (ita_portal.views.memos), never rendered again.

The seal cannot carry the PDF's own SHA-256 (printing it would change the digest), so it carries
the code instead; the verification page (ita_portal.views.verify) shows the digest of the stored
PDF and checks any file against it.
"""

from dataclasses import dataclass
from datetime import date

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from ita_portal.memo_document import memo_document_context
from ita_portal.memo_docx import render_memo_docx
from ita_portal.pdf import render_html_to_pdf
from measures.memo_workflow import MemoRenderer, RenderedMemo
from measures.models import Memo, MemoRevision
from portal_core.thai import digits, memo_number


@dataclass(frozen=True)
class Seal:
    """What an approved memo prints about itself so that a reader can verify it."""

    number: int
    code: str
    approved_on: date
    verify_url: str
    reference: str  # the line at the foot of every page

    @property
    def qr_svg(self) -> str:
        """The verification address as a QR code, an inline SVG sized by memo.css."""
        qr = segno.make(self.verify_url, error="m")
        return mark_safe(qr.svg_inline(border=2, omitsize=True, svgclass="qr", title="QR"))


def verify_path(code: str) -> str:
    """The verification page of one revision."""
    return reverse("memos:verify-code", kwargs={"code": code})


def seal_for(memo: Memo, revision: MemoRevision, *, site_url: str) -> Seal:
    """The seal of ``revision`` with the verification address on ``site_url``."""
    number = digits(str(revision.number), thai=memo.thai_numerals)
    issued = memo_number(memo.number_prefix, memo.number, thai=memo.thai_numerals)
    return Seal(
        number=revision.number,
        code=revision.code,
        approved_on=timezone.localdate(),
        verify_url=site_url.rstrip("/") + verify_path(revision.code),
        reference=f"ที่ {issued} ฉบับที่ {number} · รหัสตรวจสอบ {revision.code}",
    )


def document_html(memo: Memo, article_html: str) -> str:
    """The whole page (head, stylesheet) around a stored article, for WeasyPrint."""
    return render_to_string(
        "memos/memo_document.html", {"memo": memo, "article_html": mark_safe(article_html)}
    )


def renderer(site_url: str) -> MemoRenderer:
    """The ``render`` of measures.memo_workflow.transition_memo: the memo as it is now, sealed
    with a verification address on ``site_url`` (e.g. "https://ita.example")."""

    def render(memo: Memo, revision: MemoRevision) -> RenderedMemo:
        context = memo_document_context(memo)
        context["seal"] = seal_for(memo, revision, site_url=site_url)
        html = render_to_string("memos/_memo_article.html", context)
        return RenderedMemo(
            html=html,
            pdf=render_html_to_pdf(document_html(memo, html)),
            docx=render_memo_docx(memo),
        )

    return render
