"""A memo's page and its PDF: one article for both (templates/memos/_memo_article.html), in the
portal's page (memos/memo_page.html) on screen and alone (memos/memo_document.html) in the PDF.

Published memos are public (their URLs are printed and linked, so they stay stable); drafts,
submitted and approved memos are seen only by users of the unit. Anyone else gets 404.

An approved or published memo is served from its latest MemoRevision, the HTML and PDF stored at
approval (ita_portal.memo_revisions), so later edits of scores or measures never change it; drafts
and submitted memos are rendered from live data. Earlier revisions stay readable to the unit's
users. The status moves are made here (not in the measures app) because approval renders the
memo, which only this layer can do.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from assessments.access import can_edit_unit
from ita_portal.cache import published_content
from ita_portal.memo_document import memo_document_context
from ita_portal.memo_docx import DOCX_TYPE, render_memo_docx
from ita_portal.memo_revisions import renderer
from ita_portal.pdf import memo_filename, render_memo_pdf
from measures.access import get_for_user, visible_to
from measures.memo_content import empty_tables
from measures.memo_forms import TransitionForm
from measures.memo_workflow import find_move, moves_for, transition_memo
from measures.models import Memo, MemoRevision

MEMOS = Memo.objects.select_related(
    "unit",
    "division",
    "fiscal_year",
    "assessment__unit",
    "assessment__fiscal_year__framework",
    "assessment__fiscal_year__district_framework",
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


def _revision_context(memo: Memo, revision: MemoRevision) -> dict:
    return {"memo": memo, "article_html": mark_safe(revision.html)}  # rendered by us at approval


def _panel(request, memo: Memo, shown: MemoRevision | None) -> dict:
    return {
        "moves": moves_for(request.user, memo),
        "transitions": list(memo.state_changes.select_related("by")),
        "revisions": list(memo.revisions.defer("html", "pdf").select_related("created_by")),
        "shown": shown,
        "current": memo.current_revision(),
        "can_edit": memo.status == Memo.Status.DRAFT and can_edit_unit(request.user, memo.unit),
        "memo_list_url": reverse(
            "measures:memo-list", kwargs={"code": memo.unit.code, "year": memo.fiscal_year.year}
        ),
    }


def memo_detail(request, pk: int):
    """The memo as a page; the unit's users also see its status, revisions, history and actions."""
    memo, member = get_memo_for_reader(request, pk)
    revision = memo.current_revision()
    if revision:
        context = _revision_context(memo, revision)
    else:
        context = memo_document_context(memo)
        # Why a table is empty and where to fill it: on a live page only (never in a PDF).
        context["empty_tables"] = empty_tables(memo, context["content"])
    if member:
        context["panel"] = _panel(request, memo, revision)
    return render(request, "memos/memo_page.html", context)


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def memo_pdf(request, pk: int):
    """The memo as an A4 PDF download with a Thai file name: the stored PDF of an approved or
    published memo; a published memo without a revision (loaded as demo data) is rendered once per
    publication change (ita_portal.cache); drafts are rendered on each download."""
    memo, _ = get_memo_for_reader(request, pk)
    revision = memo.current_revision()
    if revision is not None:
        pdf = bytes(revision.pdf)
    elif memo.status == Memo.Status.PUBLISHED:
        pdf = published_content(f"memo-pdf:{memo.pk}", lambda: render_memo_pdf(memo))
    else:
        pdf = render_memo_pdf(memo)
    return _pdf_response(pdf, memo_filename(memo))


def memo_docx(request, pk: int):
    """The memo as an editable Word copy, for whoever may read it: the copy stored at approval
    for an approved or published memo (built from live data for a revision made before Word
    copies were stored, and for a published memo loaded as demo data, once per publication
    change); a draft's is built on each download."""
    memo, _ = get_memo_for_reader(request, pk)
    revision = memo.current_revision()
    if revision is not None and revision.docx:
        docx = bytes(revision.docx)
    elif memo.status == Memo.Status.PUBLISHED:
        docx = published_content(f"memo-docx:{memo.pk}", lambda: render_memo_docx(memo))
    else:
        docx = render_memo_docx(memo)
    response = HttpResponse(docx, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, memo_filename(memo, "docx"))
    return response


def memo_photo(request, pk: int, photo: int):
    """One of the memo's photos, for whoever may read the memo (404 otherwise)."""
    memo, _ = get_memo_for_reader(request, pk)
    stored = get_object_or_404(memo.photos, pk=photo)
    return FileResponse(stored.image.open("rb"), content_type="image/jpeg")


def _revision_for_member(request, pk: int, number: int) -> tuple[Memo, MemoRevision]:
    memo = visible_to(MEMOS.filter(pk=pk), request.user).first()
    if memo is None:
        raise Http404("ไม่พบบันทึกข้อความ")
    return memo, get_object_or_404(memo.revisions, number=number)


@login_required
def revision_detail(request, pk: int, number: int):
    """One stored revision of the memo as a page, for the unit's users (earlier ones included)."""
    memo, revision = _revision_for_member(request, pk, number)
    context = _revision_context(memo, revision)
    context["panel"] = _panel(request, memo, revision)
    return render(request, "memos/memo_page.html", context)


@login_required
def revision_pdf(request, pk: int, number: int):
    """One stored revision's PDF, byte for byte as approved, for the unit's users."""
    memo, revision = _revision_for_member(request, pk, number)
    filename = memo_filename(memo).removesuffix(".pdf") + f"-ฉบับที่-{revision.number}.pdf"
    return _pdf_response(bytes(revision.pdf), filename)


@login_required
@require_POST
def memo_transition(request, pk: int):
    """Submit, approve (numbering and freezing the memo), return for revision, publish or
    unpublish. The verification address printed at approval is on the host the director uses."""
    memo = get_for_user(request, MEMOS, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "คำขอเปลี่ยนสถานะไม่ถูกต้อง")
        return redirect(memo)
    to = form.cleaned_data["to"]
    move = find_move(memo.status, to)
    try:
        memo = transition_memo(
            memo,
            to=to,
            by=request.user,
            comment=form.cleaned_data["comment"],
            render=renderer(request.build_absolute_uri("/")),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{move.label}แล้ว (สถานะ: {memo.get_status_display()})")
    return redirect(memo)
