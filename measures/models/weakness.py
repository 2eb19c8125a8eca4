"""Weak points of an assessment and the per-indicator analysis written about them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, Indicator, Question, SubIndicator
from assessments.models.fields import score_field, score_range_constraint
from portal_core.text_limits import LimitedTextField


class Weakness(models.Model):
    """An indicator or question of an assessment below the target (จุดอ่อน/ข้อบกพร่อง).

    It belongs to the assessment it came from (year N); the measures answering it belong to the
    year the work is done (N+1). Proposals are made by measures.weaknesses.propose_weaknesses and
    confirmed, edited or discarded by staff.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "เสนอโดยระบบ (รอยืนยัน)"
        CONFIRMED = "confirmed", "ยืนยันแล้ว"

    assessment = models.ForeignKey(
        Assessment, verbose_name="ผลการประเมิน", on_delete=models.PROTECT, related_name="weaknesses"
    )
    indicator = models.ForeignKey(Indicator, verbose_name="ตัวชี้วัด", on_delete=models.PROTECT)
    sub_indicator = models.ForeignKey(
        SubIndicator, verbose_name="ตัวชี้วัดย่อย", null=True, blank=True, on_delete=models.PROTECT
    )
    question = models.ForeignKey(
        Question, verbose_name="ข้อคำถาม", null=True, blank=True, on_delete=models.PROTECT
    )
    score = score_field("คะแนน ณ ขณะวิเคราะห์", null=True, blank=True)
    topic = LimitedTextField("หัวข้อการประเมิน", blank=True)
    analysis = LimitedTextField("การวิเคราะห์", blank=True)
    correction = LimitedTextField("การดำเนินการแก้ไขข้อบกพร่อง", blank=True)
    urgent = models.BooleanField("จุดอ่อนที่ต้องแก้ไขโดยเร่งด่วน", default=False)
    status = models.CharField(
        "สถานะ", max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    order = models.PositiveIntegerField("ลำดับ", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="บันทึกโดย",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "จุดอ่อน/ข้อบกพร่อง"
        verbose_name_plural = "จุดอ่อน/ข้อบกพร่อง"
        ordering = ["assessment", "order", "indicator__number", "pk"]
        constraints = [
            score_range_constraint("weakness"),
            models.UniqueConstraint(
                fields=["assessment", "question"],
                condition=models.Q(question__isnull=False),
                name="weakness_one_per_question",
            ),
        ]

    def __str__(self) -> str:
        item = self.question.code if self.question_id else f"ตัวชี้วัดที่ {self.indicator.number}"
        return f"จุดอ่อน {item} ({self.assessment.unit} {self.assessment.fiscal_year.year})"

    def get_absolute_url(self) -> str:
        return reverse("measures:weakness-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        framework_id = self.assessment.framework.pk if self.assessment_id else None
        if self.indicator_id and framework_id and self.indicator.framework_id != framework_id:
            raise ValidationError({"indicator": "ตัวชี้วัดไม่อยู่ในเกณฑ์ของปีที่ประเมิน"})
        if self.question_id and self.question.indicator_id != self.indicator_id:
            raise ValidationError({"question": "ข้อคำถามไม่อยู่ในตัวชี้วัดที่เลือก"})
        if self.sub_indicator_id and self.sub_indicator.indicator_id != self.indicator_id:
            raise ValidationError({"sub_indicator": "ตัวชี้วัดย่อยไม่อยู่ในตัวชี้วัดที่เลือก"})

    def indicator_in(self, framework_id: int) -> Indicator | None:
        """The indicator of ``framework_id`` that this weakness's indicator is, matched by its
        number (stable across frameworks): the measures answering a weakness of year N belong to
        year N+1, whose framework may be another. None when that framework has no such number."""
        if self.indicator.framework_id == framework_id:
            return self.indicator
        return Indicator.objects.filter(
            framework_id=framework_id, number=self.indicator.number
        ).first()


class IndicatorAnalysis(models.Model):
    """The analysis of one indicator's result (seed 001's table), written for every indicator."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name="ผลการประเมิน",
        on_delete=models.PROTECT,
        related_name="indicator_analyses",
    )
    indicator = models.ForeignKey(Indicator, verbose_name="ตัวชี้วัด", on_delete=models.PROTECT)
    result_text = LimitedTextField("ผลการประเมิน (คำอธิบาย)", blank=True)
    analysis = LimitedTextField("การวิเคราะห์ข้อบกพร่อง/จุดอ่อน/ประเด็นที่จะต้องพัฒนา", blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "การวิเคราะห์รายตัวชี้วัด"
        verbose_name_plural = "การวิเคราะห์รายตัวชี้วัด"
        ordering = ["assessment", "indicator__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicatoranalysis_one_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"การวิเคราะห์ตัวชี้วัดที่ {self.indicator.number} ({self.assessment})"
