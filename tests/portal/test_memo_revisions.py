"""Approved memos are frozen: the HTML and PDF stored at approval (MemoRevision) are what the memo
page and PDF serve afterwards, whatever changes later; returning a memo for revision makes a new
revision; anyone can verify a PDF against the published revisions at /verify/."""

import hashlib
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from assessments.models import IndicatorScore, OrgUnit
from ita_portal.memo_document import memo_document_context
from ita_portal.memo_revisions import renderer
from measures.memo_workflow import transition_memo
from measures.models import MeasureStep, Memo, MemoRevision
from portal_core.thai import memo_number

Status = Memo.Status
RENDER = renderer("http://testserver")


def _text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def _approve_again(memo: Memo, by, comment: str = "ปรับปรุงตามข้อสังเกต") -> Memo:
    """Return the memo for revision (from wherever it is), resubmit it and approve it."""
    if memo.status == Status.PUBLISHED:
        memo = transition_memo(memo, to=Status.APPROVED, by=by)
    if memo.status == Status.APPROVED:
        memo = transition_memo(memo, to=Status.DRAFT, by=by, comment=comment)
    memo = transition_memo(memo, to=Status.SUBMITTED, by=by)
    return transition_memo(memo, to=Status.APPROVED, by=by, render=RENDER)


@pytest.fixture
def results_memo(db) -> Memo:
    """The demo results memo of เขตดุสิต (seed 000): measures with steps, results and owners."""
    return Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)


@pytest.fixture
def published(results_memo, central_team) -> Memo:
    memo = _approve_again(results_memo, central_team)
    return transition_memo(memo, to=Status.PUBLISHED, by=central_team)


def test_approval_stores_the_pdf_with_its_sha256_and_serves_it(
    client, director_dusit, results_memo, central_team
):
    memo = transition_memo(results_memo, to=Status.APPROVED, by=central_team)
    memo = transition_memo(memo, to=Status.DRAFT, by=central_team, comment="ตรวจทาน")
    memo = transition_memo(memo, to=Status.SUBMITTED, by=central_team)
    client.force_login(director_dusit)

    client.post(f"/staff/memos/{memo.pk}/transition/", {"to": Status.APPROVED})

    revision = MemoRevision.objects.get(memo=memo)
    assert (revision.number, revision.created_by, revision.reason) == (1, director_dusit, "")
    assert revision.sha256 == hashlib.sha256(bytes(revision.pdf)).hexdigest()
    assert client.get(f"/memos/{memo.pk}.pdf").content == bytes(revision.pdf)
    text = _text(bytes(revision.pdf))
    memo.refresh_from_db()
    assert f"ที่ {memo_number(memo.number_prefix, memo.number)}" in text
    assert f"รหัสตรวจสอบ {revision.code}" in text
    assert f"http://testserver/verify/{revision.code}/" in text
    assert re.search(r'<svg [^>]*class="qr"', revision.html)


def _shown_step(memo: Memo, page: str) -> MeasureStep:
    """A step of one of the memo's measures that its page shows (seed 000 lists the steps)."""
    steps = MeasureStep.objects.filter(
        measure__unit=memo.unit, measure__fiscal_year=memo.fiscal_year
    )
    return next(step for step in steps if step.text in page)


def test_later_edits_of_measures_scores_and_units_never_reach_a_published_memo(
    client, published, dusit
):
    page_before = client.get(f"/memos/{published.pk}/").content
    pdf_before = client.get(f"/memos/{published.pk}.pdf").content

    step = _shown_step(published, page_before.decode())
    MeasureStep.objects.filter(pk=step.pk).update(text="มาตรการที่แก้ไขภายหลัง")
    IndicatorScore.objects.filter(assessment=published.assessment).update(score=12.34)
    OrgUnit.objects.filter(pk__in=[dusit.pk, published.division_id]).update(name="ชื่อใหม่ภายหลัง")

    assert client.get(f"/memos/{published.pk}/").content == page_before
    assert client.get(f"/memos/{published.pk}.pdf").content == pdf_before
    live = render_to_string(
        "memos/memo_document.html", memo_document_context(Memo.objects.get(pk=published.pk))
    )
    assert "มาตรการที่แก้ไขภายหลัง" in live and "ชื่อใหม่ภายหลัง" in live
    assert "มาตรการที่แก้ไขภายหลัง" not in page_before.decode()


def test_returning_for_revision_makes_a_new_revision_and_keeps_the_old_for_the_unit(
    client, published, dusit, central_team, staff_dusit, staff_pathumwan
):
    first = published.current_revision()
    step = _shown_step(published, first.html)
    MeasureStep.objects.filter(pk=step.pk).update(text="มาตรการฉบับปรับปรุง")

    memo = _approve_again(published, central_team, comment="แก้ชื่อมาตรการ")

    second = memo.current_revision()
    assert (first.number, second.number, second.reason) == (1, 2, "แก้ชื่อมาตรการ")
    assert first.sha256 != second.sha256
    assert memo.number == published.number
    client.force_login(staff_dusit)
    old_page = client.get(f"/memos/{memo.pk}/revisions/1/").content.decode()
    assert step.text in old_page and "มาตรการฉบับปรับปรุง" not in old_page
    assert client.get(f"/memos/{memo.pk}/revisions/1.pdf").content == bytes(first.pdf)
    panel = client.get(f"/memos/{memo.pk}/").content.decode()
    assert first.sha256 in panel and second.sha256 in panel
    assert "มาตรการฉบับปรับปรุง" in panel
    client.force_login(staff_pathumwan)
    assert client.get(f"/memos/{memo.pk}/revisions/1/").status_code == 404
    client.logout()
    assert client.get(f"/memos/{memo.pk}/revisions/1.pdf").status_code == 302  # to the login


def test_a_stored_revision_cannot_be_changed_or_deleted(published):
    revision = published.current_revision()
    revision.html = "<p>ปลอม</p>"

    with pytest.raises(ValidationError):
        revision.save()
    with pytest.raises(ValidationError):
        revision.delete()
    assert MemoRevision.objects.get(pk=revision.pk).html != "<p>ปลอม</p>"


def _verify(client, path="/verify/", **data):
    return client.post(path, data).content.decode()


def test_anyone_verifies_the_published_pdf_by_uploading_it_or_typing_its_digest(client, published):
    revision = published.current_revision()
    pdf = bytes(revision.pdf)

    uploaded = _verify(client, pdf=SimpleUploadedFile("memo.pdf", pdf, "application/pdf"))
    typed = _verify(client, digest=revision.sha256.upper())
    by_code = client.get(f"/verify/{revision.code.lower()}/")

    for page in (uploaded, typed):
        assert "ตรงกับไฟล์ PDF ที่ระบบจัดเก็บไว้เมื่ออนุมัติทุกไบต์" in page
        assert revision.sha256 in page and published.subject in page
    assert by_code.status_code == 200
    assert revision.sha256 in by_code.content.decode()


def test_a_changed_pdf_or_digest_does_not_verify(client, published):
    pdf = bytes(published.current_revision().pdf)
    changed = pdf.replace(b"%%EOF", b"%%EOF\n%")

    uploaded = _verify(client, pdf=SimpleUploadedFile("memo.pdf", changed, "application/pdf"))
    typed = _verify(client, digest="0" * 64)

    for page in (uploaded, typed):
        assert "ไม่ตรงกับเอกสารที่เผยแพร่ใด ๆ" in page
    assert hashlib.sha256(changed).hexdigest() in uploaded


def test_an_unpublished_revision_is_unknown_to_verifiers(client, published, central_team):
    revision = published.current_revision()
    transition_memo(published, to=Status.APPROVED, by=central_team)

    by_code = client.get(f"/verify/{revision.code}/")
    typed = _verify(client, digest=revision.sha256)

    assert by_code.status_code == 404
    assert "ไม่พบเอกสารที่เผยแพร่ตามรหัสตรวจสอบ" in by_code.content.decode()
    assert published.subject not in by_code.content.decode()
    assert "ไม่ตรงกับเอกสารที่เผยแพร่ใด ๆ" in typed and published.subject not in typed


def test_the_verification_form_refuses_what_it_cannot_check(client, db):
    not_pdf = _verify(client, pdf=SimpleUploadedFile("memo.pdf", b"PK\x03\x04 zip", "x"))
    bad_digest = _verify(client, digest="abc")
    empty = _verify(client)

    assert "ไฟล์ memo.pdf ไม่ใช่ไฟล์ PDF" in not_pdf
    assert "ค่า SHA-256 ต้องเป็นตัวอักษร 0–9 และ a–f จำนวน 64 ตัว" in bad_digest
    assert "กรุณาเลือกไฟล์ PDF หรือกรอกค่า SHA-256 อย่างใดอย่างหนึ่ง" in empty
