"""One unit's assessment in one fiscal year and its scores at every level of the framework."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.models.fields import score_field, score_range_constraint
from assessments.models.framework import FiscalYear, Indicator, Question, SubIndicator, Tool
from assessments.models.org import OrgUnit
from assessments.models.state_change import StateChange
from portal_core.text_limits import LimitedTextField


class AssessmentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def visible_to(self, user):
        return self.filter(unit__in=OrgUnit.objects.visible_to(user))

    def editable_by(self, user):
        return self.filter(unit__in=OrgUnit.objects.editable_by(user))


class Assessment(models.Model):
    """One unit in one fiscal year: the official overall score and its parts.

    The overall score computed from the parts (assessments.scoring) is shown beside the official
    one and a mismatch is flagged; it never replaces it. Publishing and withdrawing it
    (assessments.publishing) are recorded as state changes between its STATE_CHOICES.
    """

    UNPUBLISHED, PUBLISHED = "unpublished", "published"
    STATE_CHOICES = [(UNPUBLISHED, "ยังไม่เผยแพร่"), (PUBLISHED, "เผยแพร่ต่อสาธารณะ")]

    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="assessments"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT, related_name="assessments"
    )
    official_score = score_field("คะแนนรวมที่ประกาศ", null=True, blank=True)
    official_level = models.CharField("ระดับที่ประกาศ", max_length=60, blank=True)
    note = LimitedTextField("หมายเหตุ/แหล่งที่มา", blank=True)
    published_at = models.DateTimeField("เผยแพร่ต่อสาธารณะเมื่อ", null=True, blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()
    state_changes = GenericRelation(StateChange)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "ผลการประเมิน"
        verbose_name_plural = "ผลการประเมิน"
        ordering = ["unit__order", "unit__name", "-fiscal_year__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fiscal_year"], name="assessment_one_per_unit_and_year"
            ),
            score_range_constraint("assessment", "official_score"),
        ]

    def __str__(self) -> str:
        return f"ผลการประเมิน ITA {self.unit} ปีงบประมาณ พ.ศ. {self.fiscal_year.year}"

    def get_absolute_url(self) -> str:
        """The assessment's own page in the assessments app: its score entry."""
        return reverse("assessments:score-entry", kwargs={"pk": self.pk})

    @property
    def framework(self):
        """The framework the unit was assessed with: its kind's framework of the year."""
        return self.fiscal_year.framework_for_kind(self.unit.kind)


class _ScoreBase(models.Model):
    assessment = models.ForeignKey(Assessment, verbose_name="ผลการประเมิน", on_delete=models.CASCADE)
    score = score_field("คะแนน")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    class Meta:
        abstract = True

    def _check_framework(self, item_framework_id: int, label: str) -> None:
        if self.assessment_id and item_framework_id != self.assessment.framework.pk:
            raise ValidationError({label: "รายการนี้ไม่อยู่ในเกณฑ์การประเมินของปีงบประมาณนี้"})


class ToolScore(_ScoreBase):
    """A tool's score as published; part 1 and 2 hold EIT ส่วนที่ 1/2 from 2566 (0 = whole tool)."""

    tool = models.ForeignKey(Tool, verbose_name="เครื่องมือ", on_delete=models.PROTECT)
    part = models.PositiveSmallIntegerField("ส่วนที่", default=0, help_text="0 = ทั้งเครื่องมือ")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คะแนนรายเครื่องมือ"
        verbose_name_plural = "คะแนนรายเครื่องมือ"
        ordering = ["assessment", "tool__order", "part"]
        default_related_name = "tool_scores"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "tool", "part"], name="toolscore_one_per_tool_part"
            ),
            score_range_constraint("toolscore"),
        ]

    def __str__(self) -> str:
        part = f" ส่วนที่ {self.part}" if self.part else ""
        return f"{self.tool.code}{part}: {self.score}"

    def clean(self) -> None:
        if self.tool_id:
            self._check_framework(self.tool.framework_id, "tool")
            if self.part > self.tool.parts:
                raise ValidationError({"part": f"{self.tool.code} ไม่มีส่วนที่ {self.part}"})


class IndicatorScore(_ScoreBase):
    """An indicator's score; ``note`` keeps a figure a source contradicts itself on."""

    indicator = models.ForeignKey(Indicator, verbose_name="ตัวชี้วัด", on_delete=models.PROTECT)
    note = LimitedTextField("หมายเหตุ", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คะแนนรายตัวชี้วัด"
        verbose_name_plural = "คะแนนรายตัวชี้วัด"
        ordering = ["assessment", "indicator__number"]
        default_related_name = "indicator_scores"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="indicatorscore_one_per_indicator"
            ),
            score_range_constraint("indicatorscore"),
        ]

    def __str__(self) -> str:
        return f"ตัวชี้วัดที่ {self.indicator.number}: {self.score}"

    def clean(self) -> None:
        if self.indicator_id:
            self._check_framework(self.indicator.framework_id, "indicator")


class SubIndicatorScore(_ScoreBase):
    """A sub-indicator's score, e.g. 9.1 = 83.33."""

    sub_indicator = models.ForeignKey(
        SubIndicator, verbose_name="ตัวชี้วัดย่อย", on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คะแนนรายตัวชี้วัดย่อย"
        verbose_name_plural = "คะแนนรายตัวชี้วัดย่อย"
        ordering = ["assessment", "sub_indicator__indicator__number", "sub_indicator__code"]
        default_related_name = "sub_indicator_scores"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sub_indicator"], name="subindicatorscore_one_per_sub"
            ),
            score_range_constraint("subindicatorscore"),
        ]

    def __str__(self) -> str:
        return f"ตัวชี้วัดย่อยที่ {self.sub_indicator.code}: {self.score}"

    def clean(self) -> None:
        if self.sub_indicator_id:
            self._check_framework(self.sub_indicator.indicator.framework_id, "sub_indicator")


class QuestionScore(_ScoreBase):
    """A question's score, with the OIT evaluator's remark or the IIT/EIT lowest-option share."""

    question = models.ForeignKey(Question, verbose_name="ข้อคำถาม", on_delete=models.PROTECT)
    lowest_option_share = score_field("ร้อยละผู้ตอบตัวเลือกน้อยที่สุด", null=True, blank=True)
    remark = LimitedTextField("ข้อสังเกตของผู้ประเมิน", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คะแนนรายข้อ"
        verbose_name_plural = "คะแนนรายข้อ"
        ordering = ["assessment", "question__order"]
        default_related_name = "question_scores"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="questionscore_one_per_question"
            ),
            score_range_constraint("questionscore"),
            score_range_constraint("questionscore", "lowest_option_share"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.score}"

    def clean(self) -> None:
        if self.question_id:
            self._check_framework(self.question.framework_id, "question")
