"""OIT disclosure readiness: where a unit discloses each OIT item of a year, and whether it is done.

A ``DisclosureItem`` is one unit's work on one OIT question of one fiscal year's framework; its
``DisclosureLink`` rows are the public addresses of the disclosure, each with the outcome of the
latest link check (measures.link_check).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from assessments.models import FiscalYear, OrgUnit, Question
from portal_core.text_limits import LimitedTextField


class DisclosureItem(models.Model):
    """One OIT item (O1, O2 …) of a unit in a fiscal year: who discloses it and its status.

    ``version`` rises on every save through measures.disclosure.save_checklist, so a checklist
    opened before someone else's save is refused instead of overwriting it.
    """

    class Status(models.TextChoices):
        NOT_PUBLISHED = "not_published", "ยังไม่เผยแพร่"
        PUBLISHED = "published", "เผยแพร่แล้ว"
        NEEDS_FIX = "needs_fix", "ต้องปรับปรุง"

    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="disclosure_items"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    question = models.ForeignKey(Question, verbose_name="ข้อ OIT", on_delete=models.PROTECT)
    division = models.ForeignKey(
        OrgUnit,
        verbose_name="ฝ่ายที่รับผิดชอบ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosure_duties",
    )
    status = models.CharField(
        "สถานะ", max_length=20, choices=Status.choices, default=Status.NOT_PUBLISHED
    )
    notes = LimitedTextField("หมายเหตุ", blank=True)
    checked_at = models.DateTimeField("ตรวจสอบล่าสุดเมื่อ", null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ตรวจสอบล่าสุดโดย",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField("รุ่น", default=1)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "รายการเปิดเผยข้อมูล OIT"
        verbose_name_plural = "รายการเปิดเผยข้อมูล OIT"
        ordering = ["unit", "fiscal_year", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fiscal_year", "question"], name="disclosureitem_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} {self.unit} ปี {self.fiscal_year.year}"

    @property
    def disclosed(self) -> bool:
        """Counted as disclosed by the OIT rule (only เผยแพร่แล้ว scores 100)."""
        return self.status == self.Status.PUBLISHED

    def clean(self) -> None:
        if self.question_id and self.fiscal_year_id:
            kind = self.unit.kind if self.unit_id else ""
            if self.question.framework_id != self.fiscal_year.framework_id_for_kind(kind):
                raise ValidationError({"question": "ข้อนี้ไม่อยู่ในเกณฑ์การประเมินของปีงบประมาณนี้"})
        if self.division_id and self.division.parent_id != self.unit_id:
            raise ValidationError({"division": "ฝ่ายที่รับผิดชอบต้องเป็นฝ่ายของหน่วยงานนี้"})


class DisclosureLink(models.Model):
    """A public address where an item is disclosed, with the latest link check's outcome."""

    item = models.ForeignKey(
        DisclosureItem, verbose_name="รายการ", on_delete=models.CASCADE, related_name="links"
    )
    url = models.URLField("ที่อยู่เว็บ (URL)", max_length=500)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    last_status = models.PositiveSmallIntegerField("รหัสสถานะ HTTP", null=True, blank=True)
    final_url = models.URLField("ที่อยู่ปลายทาง", max_length=500, blank=True)
    content_type = models.CharField("ชนิดเนื้อหา", max_length=200, blank=True)
    checked_at = models.DateTimeField("ตรวจลิงก์เมื่อ", null=True, blank=True)
    error = models.CharField("ข้อผิดพลาด", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ลิงก์เปิดเผยข้อมูล"
        verbose_name_plural = "ลิงก์เปิดเผยข้อมูล"
        ordering = ["item", "order", "pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def ok(self) -> bool:
        """The latest check reached a page (2xx after redirects)."""
        return self.last_status is not None and 200 <= self.last_status < 300
