"""Checks on evidence files: size, extension, and that the content matches the extension."""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from measures.models.measure import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ZIP_SIGNATURE = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (PNG_SIGNATURE,),
    ".docx": (ZIP_SIGNATURE,),
    ".xlsx": (ZIP_SIGNATURE,),
}
ALLOWED_TEXT = ", ".join(sorted(ext.lstrip(".") for ext in EVIDENCE_EXTENSIONS))


def validate_evidence(upload: UploadedFile) -> None:
    """Refuse files over EVIDENCE_MAX_BYTES, of another type, or whose content is not what
    their extension claims (PDF, JPEG, PNG, or a ZIP package for .docx/.xlsx)."""
    name = PurePath(upload.name or "").name
    if upload.size > EVIDENCE_MAX_BYTES:
        limit_mb = EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"ไฟล์ {name} มีขนาดเกิน {limit_mb} MB", code="too_large")
    extension = PurePath(name).suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(f"ไฟล์ {name} ไม่ใช่ชนิดที่รับได้ (รับเฉพาะ {ALLOWED_TEXT})", code="extension")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(f"เนื้อหาของไฟล์ {name} ไม่ตรงกับนามสกุล {extension}", code="content")
