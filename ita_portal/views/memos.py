"""A memo's page and its PDF: one template for both (templates/memos/memo_document.html).

Published memos are public (their URLs are printed and linked, so they stay stable); drafts,
submitted and approved memos are seen only by users of the unit. Anyone else gets 404.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header

from assessments.access import can_edit_unit
from ita_portal.cache import published_content
from ita_portal.memo_document import memo_document_context
from ita_portal.pdf import memo_filename, render_memo_pdf
from measures.access import visible_to
from measures.memo_content import empty_tables
from measures.memo_workflow import moves_for
from measures.models import Memo

MEMOS = Memo.objects.select_related(
    "unit", "division", "fiscal_year", "assessment__unit", "assessment__fiscal_year__framework"
)


def get_memo_for_reader(request, pk: int) -> tuple[Memo, bool]:
    """The memo if it is published or the user may see its unit (404 otherwise), and whether the
    user belongs to its unit (and so sees its workflow)."""
    member = visible_to(MEMOS.filter(pk=pk), request.user).first()
    if member is not None:
        return member, True
    memo = MEMOS.published().filter(pk=pk).first()
    if memo is None:
        raise Http404("ไม่พบบันทึกข้อความ")
    return memo, False


def memo_detail(request, pk: int):
    """The memo as a page; the unit's users also see its status, history and actions."""
    memo, member = get_memo_for_reader(request, pk)
    context = memo_document_context(memo)
    # Why a table is empty and where to fill it: on the page only (the PDF has no such context).
    context["empty_tables"] = empty_tables(memo, context["content"])
    if member:
        context["panel"] = {
            "moves": moves_for(request.user, memo),
            "transitions": list(memo.transitions.select_related("by")),
            "can_edit": memo.status == Memo.Status.DRAFT and can_edit_unit(request.user, memo.unit),
            "memo_list_url": reverse(
                "measures:memo-list",
                kwargs={"code": memo.unit.code, "year": memo.fiscal_year.year},
            ),
        }
    return render(request, "memos/memo_document.html", context)


def memo_pdf(request, pk: int):
    """The memo as an A4 PDF download with a Thai file name; a published memo's PDF is rendered
    once per publication change (ita_portal.cache)."""
    memo, _ = get_memo_for_reader(request, pk)
    if memo.status == Memo.Status.PUBLISHED:
        pdf = published_content(f"memo-pdf:{memo.pk}", lambda: render_memo_pdf(memo))
    else:
        pdf = render_memo_pdf(memo)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, memo_filename(memo))
    return response
