"""A memo's photos: added to a draft from its measures' progress evidence or as an upload,
checked as every upload is (portal_core.uploads) and stored as a downscaled JPEG
(portal_core.images), so a memo with a page of photos stays a small PDF and Word file."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q, QuerySet

from measures.models import Memo, MemoPhoto, ProgressUpdate
from portal_core.images import downscaled_jpeg
from portal_core.uploads import MEGABYTE, check_image

PHOTO_MAX_BYTES = 10 * MEGABYTE
PHOTO_FORMATS = ("JPEG", "PNG")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")


def evidence_images(memo: Memo) -> QuerySet[ProgressUpdate]:
    """Progress reports of the memo's measures (its unit and fiscal year) whose evidence file is
    a JPEG or PNG image: the photos a memo may reuse."""
    is_image = Q()
    for extension in IMAGE_EXTENSIONS:
        is_image |= Q(evidence_file__iendswith=extension)
    return (
        ProgressUpdate.objects.filter(
            measure__unit=memo.unit, measure__fiscal_year=memo.fiscal_year
        )
        .filter(is_image)
        .select_related("measure")
        .order_by("-date", "-pk")
    )


def _refuse_unless_draft(memo: Memo) -> None:
    if memo.status != Memo.Status.DRAFT:
        raise ValidationError("เปลี่ยนภาพประกอบได้เฉพาะบันทึกข้อความที่เป็นร่าง")


@transaction.atomic
def add_memo_photo(
    memo: Memo, *, caption: str = "", upload=None, evidence: ProgressUpdate | None = None
) -> MemoPhoto:
    """Add one photo at the end of a draft memo's photos: ``upload`` (a file the user sent) or
    ``evidence`` (a progress report from evidence_images), never both."""
    _refuse_unless_draft(memo)
    if (upload is None) == (evidence is None):
        raise ValidationError("เลือกภาพจากหลักฐานความคืบหน้า หรืออัปโหลดภาพ อย่างใดอย่างหนึ่ง")
    if evidence is not None:
        if not evidence_images(memo).filter(pk=evidence.pk).exists():
            raise ValidationError("หลักฐานที่เลือกไม่ใช่ภาพของมาตรการในบันทึกนี้")
        with evidence.evidence_file.open("rb") as handle:
            check_image(handle, formats=PHOTO_FORMATS, max_bytes=PHOTO_MAX_BYTES)
            data = downscaled_jpeg(handle)
    else:
        check_image(upload, formats=PHOTO_FORMATS, max_bytes=PHOTO_MAX_BYTES)
        data = downscaled_jpeg(upload)
    last = memo.photos.aggregate(n=Max("order"))["n"] or 0
    photo = MemoPhoto(memo=memo, order=last + 1, caption=caption.strip(), source=evidence)
    photo.image.save(f"{uuid.uuid4().hex[:12]}.jpg", ContentFile(data), save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def remove_memo_photo(photo: MemoPhoto) -> None:
    """Take a photo out of a draft memo and delete its stored file."""
    _refuse_unless_draft(photo.memo)
    image = photo.image
    photo.delete()
    transaction.on_commit(lambda: image.storage.delete(image.name))
