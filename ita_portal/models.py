"""Portal-wide settings the central team sets once in the admin."""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models

from portal_core.uploads import check_image

EMBLEM_MAX_BYTES = 2 * 1024 * 1024
EMBLEM_FORMATS = ("PNG", "JPEG")


def validate_emblem_size(file) -> None:
    """The emblem is a small image; refuse anything over 2 MB."""
    if file.size > EMBLEM_MAX_BYTES:
        raise ValidationError("ไฟล์ตราครุฑต้องมีขนาดไม่เกิน 2 MB")


def validate_emblem_image(upload) -> None:
    """A new emblem must open in Pillow as a PNG or JPEG of at most 2 MB (never an SVG, which
    could carry script, nor a GIF or anything else renamed .png); its extension must match."""
    validate_emblem_size(upload)
    kind = check_image(upload, formats=EMBLEM_FORMATS, max_bytes=EMBLEM_MAX_BYTES)
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    if (kind == "PNG") != (extension == "png"):
        raise ValidationError("นามสกุลของไฟล์ตราครุฑไม่ตรงกับชนิดภาพ (.png หรือ .jpg)", code="content")


class PortalSettings(models.Model):
    """The one settings row: the Garuda emblem printed at the top left of every memo.

    Until the central team uploads the official straight-legged Garuda (ครุฑเท้าเหยียด), memos keep
    its 1.5 cm space empty; the portal never draws an imitation.
    """

    SINGLETON_PK = 1

    emblem = models.ImageField(
        "ตราครุฑ (บันทึกข้อความ)",
        upload_to="portal/",
        blank=True,
        validators=[
            FileExtensionValidator(["png", "jpg", "jpeg"], message="ตราครุฑต้องเป็นไฟล์ PNG หรือ JPEG"),
            validate_emblem_size,
        ],
        help_text="ภาพครุฑเท้าเหยียดสีดำ พื้นโปร่งใส พิมพ์สูง ๑.๕ ซม. ที่มุมบนซ้ายของบันทึกข้อความ",
    )
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "การตั้งค่าระบบ"
        verbose_name_plural = "การตั้งค่าระบบ"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="portalsettings_singleton"),
        ]

    def __str__(self) -> str:
        return "การตั้งค่าระบบ"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> "PortalSettings":
        """The settings row, created empty on first use."""
        obj, _ = cls.objects.get_or_create(pk=cls.SINGLETON_PK)
        return obj
