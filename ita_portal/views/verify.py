"""The public verification page (/verify/): is this PDF the memo the portal published?

Anyone, without logging in, uploads a PDF or types its SHA-256; the digest is compared with the
stored PDFs of published memos' revisions (MemoRevision.objects.verifiable()). The QR code printed
in a memo opens /verify/<code>/, which names that revision and shows the full digest of its PDF.
A revision of a memo that is not published now answers as if it did not exist: its existence is
not public yet.
"""

import hashlib
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import render

from measures.models import MemoRevision
from portal_core.forms import ThaiFieldErrors
from portal_core.uploads import MEGABYTE, check_size, content_matches, display_name

MAX_PDF_BYTES = 10 * MEGABYTE  # as evidence files; the proxy caps requests at about 12 MB
DIGEST = re.compile(r"[0-9a-f]{64}")
CHUNK = 1024 * 1024


def file_sha256(upload) -> str:
    """The SHA-256 of an uploaded file, read in chunks (large uploads wait in a temporary file)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


class VerifyForm(ThaiFieldErrors, forms.Form):
    """A PDF file or a typed SHA-256 (one of the two)."""

    pdf = forms.FileField(label="ไฟล์ PDF", required=False)
    digest = forms.CharField(
        label="ค่า SHA-256 ของไฟล์",
        required=False,
        max_length=100,
        help_text="ตัวอักษร 0–9 และ a–f จำนวน 64 ตัว เช่น ผลของคำสั่ง sha256sum",
    )

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload:
            check_size(upload, MAX_PDF_BYTES)
            if not content_matches(upload, ".pdf"):
                raise ValidationError(f"ไฟล์ {display_name(upload)} ไม่ใช่ไฟล์ PDF")
        return upload

    def clean_digest(self):
        digest = re.sub(r"\s+", "", self.cleaned_data["digest"]).lower()
        if digest and not DIGEST.fullmatch(digest):
            raise ValidationError("ค่า SHA-256 ต้องเป็นตัวอักษร 0–9 และ a–f จำนวน 64 ตัว")
        return digest

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("pdf")) == bool(data.get("digest")):
            raise ValidationError("กรุณาเลือกไฟล์ PDF หรือกรอกค่า SHA-256 อย่างใดอย่างหนึ่ง")
        return data

    def checked_digest(self) -> str:
        """The digest to look up: of the uploaded file, else the one typed."""
        upload = self.cleaned_data["pdf"]
        return file_sha256(upload) if upload else self.cleaned_data["digest"]


REVISIONS = MemoRevision.objects.verifiable().defer("html", "pdf").select_related("memo__unit")


@dataclass(frozen=True)
class Found:
    """A published memo's revision and whether it is still the memo's latest."""

    revision: MemoRevision
    current: bool


@dataclass(frozen=True)
class Check:
    """The outcome of one verification."""

    digest: str
    match: Found | None
    uploaded: bool


def _found(revision: MemoRevision | None) -> Found | None:
    if revision is None:
        return None
    latest = revision.memo.revisions.aggregate(n=Max("number"))["n"]
    return Found(revision=revision, current=revision.number == latest)


def verify(request, code: str | None = None):
    """The verification form; with ``code`` (from the QR code) also that revision's details."""
    revision = _found(REVISIONS.filter(code=code.upper()).first()) if code else None
    posted = request.method == "POST"
    form = VerifyForm(request.POST, request.FILES) if posted else VerifyForm()
    check = None
    if posted and form.is_valid():
        digest = form.checked_digest()
        check = Check(
            digest=digest,
            match=_found(REVISIONS.filter(sha256=digest).order_by("-created_at").first()),
            uploaded=bool(form.cleaned_data["pdf"]),
        )
    return render(
        request,
        "portal/verify.html",
        {
            "form": form,
            "code": code,
            "revision": revision,
            "check": check,
        },
        status=404 if code and revision is None else 200,
    )
