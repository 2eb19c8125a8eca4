"""No memo ships without its Garuda unnoticed: a draft shows a placeholder box where the emblem
goes, an approved or published memo never does, and the central team can count the published
memos still without it."""

import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from ita_portal.memo_document import count_published_memos_without_emblem
from ita_portal.memo_docx import render_memo_docx
from ita_portal.memo_revisions import renderer
from ita_portal.models import PortalSettings
from ita_portal.pdf import render_memo_pdf
from measures.memo_workflow import transition_memo
from measures.models import Memo

Status = Memo.Status
PLACEHOLDER = "ยังไม่ได้อัปโหลดตราครุฑ"


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text without white space (the placeholder wraps over three lines)."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return re.sub(r"\s+", "", text.stdout.decode())


def _docx_head(results_memo: Memo) -> str:
    return Document(io.BytesIO(render_memo_docx(results_memo))).tables[0].rows[0].cells[0].text


def _upload_emblem(tmp_path) -> None:
    image = io.BytesIO()
    Image.new("RGBA", (60, 60), (0, 0, 0, 255)).save(image, format="PNG")
    row = PortalSettings.load()
    row.emblem = SimpleUploadedFile("garuda.png", image.getvalue(), content_type="image/png")
    row.save()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _approve(results_memo: Memo, by) -> Memo:
    for to in (Status.APPROVED, Status.DRAFT, Status.SUBMITTED):
        results_memo = transition_memo(results_memo, to=to, by=by, comment="ตรวจทาน")
    return transition_memo(
        results_memo, to=Status.APPROVED, by=by, render=renderer("http://testserver")
    )


def test_a_draft_without_the_emblem_shows_the_placeholder_in_page_pdf_and_word(
    client, results_draft, staff_dusit
):
    client.force_login(staff_dusit)

    page = client.get(f"/memos/{results_draft.pk}/").content.decode()

    assert f'<p class="garuda-missing">{PLACEHOLDER}</p>' in page
    assert PLACEHOLDER in _pdf_text(render_memo_pdf(results_draft))
    assert _docx_head(results_draft) == PLACEHOLDER


def test_a_submitted_memo_still_shows_the_placeholder(results_draft, staff_dusit):
    submitted = transition_memo(results_draft, to=Status.SUBMITTED, by=staff_dusit)

    assert PLACEHOLDER in _pdf_text(render_memo_pdf(submitted))


def test_a_published_memo_without_the_emblem_leaves_its_space_empty(client, results_memo):
    page = client.get(f"/memos/{results_memo.pk}/").content.decode()

    assert '<div class="garuda"></div>' in page
    assert PLACEHOLDER not in _pdf_text(render_memo_pdf(results_memo))
    assert _docx_head(results_memo) == ""


def test_approval_never_freezes_the_placeholder_into_the_stored_pdf(results_memo, central_team):
    approved = _approve(results_memo, central_team)
    revision = approved.revisions.get()

    assert PLACEHOLDER not in revision.html
    assert PLACEHOLDER not in _pdf_text(bytes(revision.pdf))
    assert PLACEHOLDER not in "".join(
        cell.text for t in Document(io.BytesIO(bytes(revision.docx))).tables for cell in t._cells
    )


def test_once_uploaded_the_draft_shows_the_emblem_instead(
    client, results_draft, staff_dusit, tmp_path
):
    _upload_emblem(tmp_path)
    client.force_login(staff_dusit)

    page = client.get(f"/memos/{results_draft.pk}/").content.decode()
    document = Document(io.BytesIO(render_memo_docx(results_draft)))

    assert PLACEHOLDER not in page
    assert '<img src="/media/portal/garuda' in page
    assert len(document.inline_shapes) == 1
    assert round(document.inline_shapes[0].height.cm, 2) == 1.5


def test_the_readiness_count_of_published_memos_without_the_emblem(
    results_memo, central_team, tmp_path
):
    published = Memo.objects.published().count()
    assert count_published_memos_without_emblem() == published  # the demo's, rendered live

    frozen_without = transition_memo(
        _approve(results_memo, central_team), to=Status.PUBLISHED, by=central_team
    )
    _upload_emblem(tmp_path)

    # the live ones now show the emblem; the one frozen before the upload does not
    assert count_published_memos_without_emblem() == 1
    again = _approve(frozen_without, central_team)
    transition_memo(again, to=Status.PUBLISHED, by=central_team)
    assert count_published_memos_without_emblem() == 0  # its new revision has the emblem
