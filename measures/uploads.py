"""Checks on evidence files: size, extension, and that the content matches the extension.

The checks themselves are the portal's shared upload checks (portal_core.uploads); evidence is
stored under MEDIA_ROOT/evidence/ with a safe name (portal_core.uploads.SafeNameStorage) and served
only by the permission-checked view measures.views.progress.progress_evidence, as an attachment.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from measures.models.measure import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES
from portal_core.uploads import check_size, content_matches, display_name

ALLOWED_TEXT = ", ".join(sorted(ext.lstrip(".") for ext in EVIDENCE_EXTENSIONS))


def validate_evidence(upload: UploadedFile) -> None:
    """Refuse files over EVIDENCE_MAX_BYTES, of another type, or whose content is not what
    their extension claims (PDF, JPEG, PNG, or a ZIP package for .docx/.xlsx)."""
    check_size(upload, EVIDENCE_MAX_BYTES)
    name = display_name(upload)
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(f"ไฟล์ {name} ไม่ใช่ชนิดที่รับได้ (รับเฉพาะ {ALLOWED_TEXT})", code="extension")
    if not content_matches(upload, extension):
        raise ValidationError(f"เนื้อหาของไฟล์ {name} ไม่ตรงกับนามสกุล {extension}", code="content")
