"""The บันทึกข้อความ: the memo a unit writes about its ITA results and measures."""

import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, FiscalYear, OrgUnit, StateChange
from portal_core.text_limits import SECTION_TEXT_CHARS, LimitedTextField
from portal_core.thai import signer_name


class MemoQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Memo.Status.PUBLISHED)


# A question code typed in a memo's text ("ข้อ O43", "(E๑)"), and the fields staff type it in.
TYPED_CODE = re.compile(
    r"(?<![A-Za-z0-9])[IEO](?P<digits>[0-9\u0e50-\u0e59]{1,2})(?![0-9\u0e50-\u0e59])"
)
THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
TYPED_FIELDS = ("subject", "background", "facts", "considerations", "proposal", "attachment_intro")


class Memo(models.Model):
    """A บันทึกข้อความ with its attachment rendered from live data.

    ``status`` moves draft → submitted → approved → published (or back to draft when returned
    for revision) only through measures.memo_workflow, which checks who may make the move, assigns
    the running number on approval and records a StateChange.
    """

    class Kind(models.TextChoices):
        ANALYSIS = "analysis", "การวิเคราะห์ผลการประเมิน (O42)"
        QUESTION_ANALYSIS = "question_analysis", "การวิเคราะห์ผลการประเมินรายข้อ"
        MEASURES_PLAN = "measures_plan", "มาตรการส่งเสริมคุณธรรมและความโปร่งใส"
        RESULTS = "results", "รายงานผลการดำเนินการตามมาตรการ (O43)"

    class Status(models.TextChoices):
        DRAFT = "draft", "ร่าง"
        SUBMITTED = "submitted", "เสนอพิจารณา"
        APPROVED = "approved", "อนุมัติแล้ว"
        PUBLISHED = "published", "เผยแพร่แล้ว"

    STATE_CHOICES = Status.choices

    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="memos"
    )
    division = models.ForeignKey(
        OrgUnit,
        verbose_name="ส่วนราชการเจ้าของเรื่อง",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="ฝ่ายที่ออกบันทึก (ใช้รหัสเลขที่หนังสือและโทรศัพท์ของฝ่าย)",
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    kind = models.CharField("ประเภทบันทึก", max_length=30, choices=Kind.choices)
    assessment = models.ForeignKey(
        Assessment,
        verbose_name="ผลการประเมินที่อ้างถึง",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memos",
    )
    number_prefix = models.CharField("รหัสเลขที่หนังสือ", max_length=40, blank=True)
    number_year = models.PositiveSmallIntegerField("ปีปฏิทินของเลขที่ (พ.ศ.)", null=True, blank=True)
    number = models.PositiveIntegerField("เลขทะเบียนส่ง", null=True, blank=True)
    date = models.DateField("วันที่", null=True, blank=True)
    show_day = models.BooleanField(
        "แสดงวันที่", default=True, help_text="ไม่เลือก = แสดงเฉพาะเดือนและปี (เว้นวันที่ไว้ลงนาม)"
    )
    subject = models.CharField("เรื่อง", max_length=500)
    addressee = models.CharField("เรียน", max_length=300)
    background = LimitedTextField("ต้นเรื่อง", blank=True)
    facts = LimitedTextField("ข้อเท็จจริง", blank=True)
    considerations = LimitedTextField("ข้อพิจารณา", blank=True)
    proposal = LimitedTextField("ข้อเสนอ", blank=True)
    closing = LimitedTextField("ข้อความปิดท้าย", blank=True, help_text="เช่น จึงเรียนมาเพื่อโปรดพิจารณา")
    photos_heading = models.CharField(
        "หัวข้อภาพประกอบ",
        max_length=200,
        blank=True,
        default="ประมวลภาพการประชุม",
        help_text="พิมพ์เหนือภาพประกอบในเอกสารแนบ (เมื่อมีภาพ)",
    )
    attachment_title = LimitedTextField("ชื่อเอกสารแนบ", blank=True)
    attachment_intro = LimitedTextField(
        "ความเป็นมา (เอกสารแนบ)", blank=True, max_length=SECTION_TEXT_CHARS
    )
    thai_numerals = models.BooleanField("ใช้เลขไทย", default=True)
    cover = models.BooleanField(
        "พิมพ์หัวบันทึกข้อความ",
        default=True,
        help_text="ไม่เลือก = เอกสารแผน/มาตรการที่ไม่มีหัวบันทึกข้อความและผู้ลงนาม (เช่น แผนที่เผยแพร่)",
    )
    status = models.CharField("สถานะ", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("รุ่นข้อมูล", default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้จัดทำ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()
    state_changes = GenericRelation(StateChange)

    objects = MemoQuerySet.as_manager()

    class Meta:
        verbose_name = "บันทึกข้อความ"
        verbose_name_plural = "บันทึกข้อความ"
        ordering = ["unit", "-fiscal_year__year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_prefix", "number_year", "number"],
                condition=models.Q(number__isnull=False),
                name="memo_number_unique_per_prefix_and_year",
            ),
        ]

    def __str__(self) -> str:
        return f"บันทึกข้อความ: {self.subject[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("memos:memo-detail", kwargs={"pk": self.pk})

    @property
    def codes_in_thai_digits(self) -> bool:
        """Whether the memo writes question codes with Thai digits (I๗) or Arabic ones (I7): as
        the first code typed in its own text is written (seeds 000 and 001 type "O43", seed 003
        prints "E๑"), so the codes the portal prints match the staff's; else as its numbers."""
        for name in TYPED_FIELDS:
            typed = TYPED_CODE.search(getattr(self, name) or "")
            if typed:
                return typed["digits"][0] in THAI_DIGITS
        return self.thai_numerals

    @property
    def prefix_source(self) -> str:
        """The number prefix the memo would get now: its division's, else its unit's."""
        if self.division_id and self.division.memo_prefix:
            return self.division.memo_prefix
        return self.unit.memo_prefix

    @property
    def issuer(self) -> OrgUnit:
        """The unit named in ส่วนราชการ: the division when one is set, else the unit."""
        return self.division if self.division_id else self.unit

    def current_revision(self) -> "MemoRevision | None":
        """The revision the memo is served from: its latest one while it is approved or
        published; None for a draft or submitted memo (rendered from live data) and for one
        loaded approved or published without going through the workflow (the demo data)."""
        if self.status not in (Memo.Status.APPROVED, Memo.Status.PUBLISHED):
            return None
        return self.revisions.order_by("-number").first()


class MemoSignature(models.Model):
    """One signer in the chain: the author first, then each endorser, the director last."""

    memo = models.ForeignKey(
        Memo, verbose_name="บันทึกข้อความ", on_delete=models.CASCADE, related_name="signatures"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    endorsement = LimitedTextField(
        "ข้อความเสนอ", blank=True, help_text="เช่น เรียน ผู้อำนวยการเขตดุสิต เพื่อโปรดทราบ"
    )
    remark = models.CharField("คำสั่ง/ความเห็น", max_length=200, blank=True, help_text="เช่น ทราบ")
    name = models.CharField("ชื่อ", max_length=200)
    position = LimitedTextField("ตำแหน่ง")

    class Meta:
        verbose_name = "ผู้ลงนาม"
        verbose_name_plural = "ผู้ลงนาม"
        ordering = ["memo", "order", "pk"]

    def __str__(self) -> str:
        return f"{signer_name(self.name)} {self.position.splitlines()[0] if self.position else ''}"


def memo_photo_path(instance: "MemoPhoto", filename: str) -> str:
    """A memo's photos live under MEDIA_ROOT/memo-photos/<unit>/<memo>/ (never under static, and
    not under /media/portal/: a draft's photos are served by the permission-checked view)."""
    return f"memo-photos/{instance.memo.unit.code}/{instance.memo_id}/{filename}"


class MemoPhoto(models.Model):
    """A photo printed in the memo's attachment (two a row, with its caption), e.g. seed 004's
    ประมวลภาพการประชุม: uploaded for the memo or taken from a progress report's evidence image
    (``source``), and stored either way as its own downscaled JPEG (portal_core.images)."""

    memo = models.ForeignKey(
        Memo, verbose_name="บันทึกข้อความ", on_delete=models.CASCADE, related_name="photos"
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    image = models.ImageField("ภาพ", upload_to=memo_photo_path, max_length=200)
    caption = models.CharField("คำบรรยายภาพ", max_length=300, blank=True)
    source = models.ForeignKey(
        "measures.ProgressUpdate",
        verbose_name="จากหลักฐานความคืบหน้า",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("เพิ่มเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "ภาพประกอบบันทึก"
        verbose_name_plural = "ภาพประกอบบันทึก"
        ordering = ["memo", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or f"ภาพที่ {self.order}"

    def get_absolute_url(self) -> str:
        return reverse("memos:memo-photo", kwargs={"pk": self.memo_id, "photo": self.pk})


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: the code is read off paper
CODE_LENGTH = 10


def new_revision_code() -> str:
    """A random verification code for a new revision (32¹⁰ possibilities), e.g. "K7QM4TZPXR"."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class MemoRevisionQuerySet(models.QuerySet):
    def verifiable(self):
        """Revisions anyone may check a file against: every revision of a memo published now.

        An approved memo that is not (or no longer) published is not public, so its revisions
        are not either: to a verifier they look like a file the portal does not know.
        """
        return self.filter(memo__status=Memo.Status.PUBLISHED)


class MemoRevision(models.Model):
    """An approved memo as it was issued: its rendered HTML and PDF, stored at approval.

    measures.memo_workflow makes one at every approval (a memo returned for revision and approved
    again gets the next number); the page and the PDF of an approved or published memo are served
    from its latest revision, so later edits of scores, measures or units never reach them. A
    revision is never changed or deleted. ``sha256`` is the digest of ``pdf`` (the bytes people
    download), computed here when the revision is stored. ``code`` is printed in the PDF with the
    address of the verification page, where anyone can check a file against the stored digest
    (a PDF cannot hold its own digest). The bytes live in the database (BinaryField), so backup
    and restore (Django's JSON, base64) carry them byte for byte on SQLite and PostgreSQL.
    """

    memo = models.ForeignKey(
        Memo, verbose_name="บันทึกข้อความ", on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField("ฉบับที่")
    code = models.CharField(
        "รหัสตรวจสอบ", max_length=CODE_LENGTH, unique=True, default=new_revision_code
    )
    html = models.TextField("เนื้อหา HTML", editable=False)  # rendered, never typed: no limit
    pdf = models.BinaryField("ไฟล์ PDF")
    # The editable Word copy made at the same approval (empty for revisions made before it
    # existed: their Word copy is then built from live data).
    docx = models.BinaryField("ไฟล์ Word", blank=True, default=b"")
    sha256 = models.CharField("SHA-256 ของไฟล์ PDF", max_length=64, db_index=True)
    reason = LimitedTextField("เหตุที่ออกฉบับใหม่", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ผู้อนุมัติ",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("อนุมัติเมื่อ", auto_now_add=True)

    objects = MemoRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "ฉบับที่อนุมัติของบันทึกข้อความ"
        verbose_name_plural = "ฉบับที่อนุมัติของบันทึกข้อความ"
        ordering = ["memo", "number"]
        constraints = [
            models.UniqueConstraint(fields=["memo", "number"], name="memorevision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.memo} (ฉบับที่ {self.number})"

    def save(self, *args, **kwargs):
        """Store a new revision with the digest of its PDF; a stored one never changes."""
        if not self._state.adding:
            raise ValidationError("ฉบับที่อนุมัติแล้วแก้ไขไม่ได้ ให้ส่งกลับแก้ไขเพื่อออกฉบับใหม่")
        self.pdf = bytes(self.pdf)
        self.docx = bytes(self.docx)
        self.sha256 = hashlib.sha256(self.pdf).hexdigest()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("ฉบับที่อนุมัติแล้วลบไม่ได้")


class MemoNumberCounter(models.Model):
    """The last running number given under one prefix in one Buddhist-era calendar year.

    measures.memo_workflow locks this row (SELECT … FOR UPDATE) while numbering a memo, so two
    approvals at the same moment never get the same number; the numbers restart on 1 January.
    """

    prefix = models.CharField("รหัสเลขที่หนังสือ", max_length=40, blank=True)
    year = models.PositiveSmallIntegerField("ปีปฏิทิน (พ.ศ.)")
    last_number = models.PositiveIntegerField("เลขทะเบียนส่งล่าสุด", default=0)

    class Meta:
        verbose_name = "ตัวนับเลขทะเบียนส่ง"
        verbose_name_plural = "ตัวนับเลขทะเบียนส่ง"
        ordering = ["prefix", "year"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="memonumbercounter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}/{self.last_number} (พ.ศ. {self.year})"
