"""Portal-wide settings the central team sets once in the admin."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models

from assessments.models import FiscalYear
from measures.models import Memo
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


class ReminderPreference(models.Model):
    """A user's choice about the weekly reminder e-mail (on unless turned off), and the last
    week one was sent, so a repeated run of the same week sends nothing twice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้ใช้",
        on_delete=models.CASCADE,
        related_name="reminder_preference",
    )
    weekly_digest = models.BooleanField("รับอีเมลสรุปประจำสัปดาห์", default=True)
    last_sent_week = models.DateField("ส่งล่าสุดของสัปดาห์ที่เริ่ม", null=True, blank=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "การแจ้งเตือนทางอีเมล"
        verbose_name_plural = "การแจ้งเตือนทางอีเมล"
        ordering = ["user__username"]

    def __str__(self) -> str:
        return f"{self.user} ({'รับ' if self.weekly_digest else 'ไม่รับ'}อีเมลสรุป)"


def pack_path(instance: "MemoPack", filename: str) -> str:
    return f"memo-packs/{instance.fiscal_year.year}/{filename}"


class MemoPack(models.Model):
    """One ZIP of every unit's memos of a kind and fiscal year, built in the background by
    ita_portal.memo_pack; the row holds its progress (units done of all, the current unit, each
    unit's error) for the progress page."""

    class Status(models.TextChoices):
        QUEUED = "queued", "รอคิว"
        RUNNING = "running", "กำลังจัดทำ"
        DONE = "done", "เสร็จแล้ว"
        FAILED = "failed", "ไม่สำเร็จ"

    kind = models.CharField("ประเภทบันทึก", max_length=30, choices=Memo.Kind.choices)
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้สั่ง",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("สถานะ", max_length=20, choices=Status.choices, default=Status.QUEUED)
    units_total = models.PositiveIntegerField("จำนวนหน่วยงาน", default=0)
    units_done = models.PositiveIntegerField("หน่วยงานที่ทำแล้ว", default=0)
    memos_done = models.PositiveIntegerField("บันทึกที่ทำแล้ว", default=0)
    current_unit = models.CharField("หน่วยงานที่กำลังทำ", max_length=300, blank=True)
    errors = models.JSONField("ข้อผิดพลาด", default=list, blank=True)
    file = models.FileField("ไฟล์ ZIP", upload_to=pack_path, blank=True)
    task_id = models.CharField("รหัสงานเบื้องหลัง", max_length=64, blank=True)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True)
    finished_at = models.DateTimeField("เสร็จเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "ชุดบันทึกข้อความรวม"
        verbose_name_plural = "ชุดบันทึกข้อความรวม"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ปี {self.fiscal_year.year}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WorkerHeartbeat(models.Model):
    """A task worker's last sign of life (ita_portal.task_worker): a task still marked running
    whose worker has been silent too long was lost with it."""

    worker_id = models.CharField("รหัสผู้ประมวลผล", max_length=64, primary_key=True)
    host = models.CharField("เครื่อง", max_length=255, blank=True)
    beat_at = models.DateTimeField("สัญญาณล่าสุด")

    class Meta:
        verbose_name = "ผู้ประมวลผลงานเบื้องหลัง"
        verbose_name_plural = "ผู้ประมวลผลงานเบื้องหลัง"
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host})"
