"""Corrective measures (มาตรการ), their ordered steps, progress reports and constraints."""

import datetime
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, FiscalYear, Indicator, OrgUnit, StateChange
from measures.models.weakness import Weakness
from portal_core.text_limits import LimitedTextField
from portal_core.thai import be_numeric_date

# a deadline further than this from its measure's fiscal year is refused as a mistyped year
DEADLINE_WINDOW_YEARS = 2


# Written for a measure that every division of its unit carries out together.
ALL_DIVISIONS = "ทุกฝ่าย"


class MeasureQuerySet(models.QuerySet):
    """The one place that says which measures a page counts (tests/measures/test_status_groups.py).

    Every page lists or counts *live* measures only: a draft, copied from last year and not yet
    confirmed, is not yet a commitment. Figures count the Status.COUNTED group (a cancelled
    measure is no longer planned work); lists show the live measures with their status.
    """

    def live(self):
        """Confirmed measures: not drafts copied from last year."""
        return self.filter(draft=False)

    def counted(self):
        """Live measures the figures count: planned work, not cancelled (Status.COUNTED)."""
        return self.live().filter(status__in=Measure.Status.COUNTED)

    def open(self):
        """Measures whose work is still to do (Status.OPEN), drafts included unless live()."""
        return self.filter(status__in=Measure.Status.OPEN)

    def overdue(self, today: datetime.date):
        """Open measures past their deadline."""
        return self.open().filter(deadline__lt=today)

    def published(self):
        """Measures the public site shows: live ones of a unit whose result of the year before
        — the result they answer — is published (ita_portal.views.public.unit_year_page)."""
        answered = Assessment.objects.published().filter(
            unit=OuterRef("unit"), fiscal_year__year=OuterRef("fiscal_year__year") - 1
        )
        return self.live().filter(Exists(answered))


class Measure(models.Model):
    """What a unit will do in a fiscal year about a weakness or an indicator.

    ``status`` changes only through measures.measure_workflow.set_measure_status, which checks the
    transition and records it as a StateChange (who and when); views and the admin never assign
    it. ``version`` rises on every save
    through the domain functions, so a stale form is refused instead of overwriting. A measure
    for a weakness is about the weakness's indicator (see ``clean``).
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "ยังไม่เริ่ม"
        IN_PROGRESS = "in_progress", "กำลังดำเนินการ"
        DONE = "done", "ดำเนินการแล้วเสร็จ"
        CANCELLED = "cancelled", "ยกเลิก"

    # Named groups of statuses (set after the class, so that they are not choices themselves).
    # OPEN: the work is still to do; COUNTED: planned work the figures count (not cancelled).
    Status.OPEN = (Status.NOT_STARTED, Status.IN_PROGRESS)
    Status.COUNTED = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
    STATE_CHOICES = Status.choices

    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="measures"
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name="ปีงบประมาณที่ดำเนินการ", on_delete=models.PROTECT
    )
    weakness = models.ForeignKey(
        Weakness,
        verbose_name="จุดอ่อนที่แก้ไข",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measures",
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="ตัวชี้วัด", null=True, blank=True, on_delete=models.PROTECT
    )
    issue = LimitedTextField("ประเด็นที่ต้องปรับปรุง/ยกระดับ", blank=True)
    title = LimitedTextField("มาตรการ/แนวทางปฏิบัติ")
    activity = LimitedTextField("กิจกรรม", blank=True)
    output = LimitedTextField("ผลผลิต", blank=True)
    communication = LimitedTextField("วิธีการสร้างการรับรู้", blank=True)
    deadline = models.DateField("ระยะเวลาแล้วเสร็จ", null=True, blank=True)
    deadline_note = models.CharField("หมายเหตุระยะเวลา", max_length=200, blank=True)
    responsible_divisions = models.ManyToManyField(
        OrgUnit, verbose_name="ฝ่ายที่รับผิดชอบ", blank=True, related_name="responsible_for"
    )
    all_divisions = models.BooleanField("ทุกฝ่าย", default=False)
    supervision = models.CharField(
        "การกำกับดูแล", max_length=200, blank=True, help_text="เช่น กำกับดูแลโดยคณะผู้บริหาร"
    )
    monitoring_months = models.PositiveSmallIntegerField(
        "การกำกับติดตาม (ทุกกี่เดือน)",
        null=True,
        blank=True,
        validators=[MaxValueValidator(12, message="การกำกับติดตามต้องไม่เกินทุก 12 เดือน")],
    )
    status = models.CharField(
        "สถานะ", max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    result = LimitedTextField("ผลการดำเนินงาน", blank=True)
    draft = models.BooleanField("ร่าง (คัดลอกจากปีก่อน)", default=False)
    order = models.PositiveIntegerField("ลำดับ", default=0)
    version = models.PositiveIntegerField("รุ่นข้อมูล", default=1)
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
    history = HistoricalRecords(m2m_fields=[responsible_divisions])
    state_changes = GenericRelation(StateChange)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "มาตรการ"
        verbose_name_plural = "มาตรการ"
        ordering = ["unit", "fiscal_year", "indicator__number", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monitoring_months__isnull=True)
                | models.Q(monitoring_months__gte=1, monitoring_months__lte=12),
                name="measure_monitoring_1_to_12_months",
            ),
        ]

    def __str__(self) -> str:
        return f"มาตรการ: {self.title[:60]} ({self.unit.display_name} {self.fiscal_year.year})"

    def get_absolute_url(self) -> str:
        return reverse("measures:measure-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.weakness_id and self.fiscal_year_id:
            self._follow_weakness()
        if self.indicator_id and self.fiscal_year_id:
            if self.indicator.framework_id != self._framework_id():
                raise ValidationError({"indicator": "ตัวชี้วัดไม่อยู่ในเกณฑ์ของปีงบประมาณที่ดำเนินการ"})
        if not self.indicator_id and not self.weakness_id and not self.issue.strip():
            raise ValidationError("มาตรการต้องระบุตัวชี้วัด จุดอ่อน หรือประเด็นอย่างน้อยหนึ่งอย่าง")
        if self.deadline and self.fiscal_year_id and not self.deadline_plausible():
            fiscal_year = self.fiscal_year
            raise ValidationError(
                {
                    "deadline": (
                        f"ระยะเวลาแล้วเสร็จ {be_numeric_date(self.deadline)} ห่างจากปีงบประมาณ "
                        f"{fiscal_year.year} ({be_numeric_date(fiscal_year.start)} – "
                        f"{be_numeric_date(fiscal_year.end)}) เกิน {DEADLINE_WINDOW_YEARS} ปี "
                        "กรุณาตรวจสอบปี พ.ศ. (เช่น 30/03/2566 หรือ 30/03/66)"
                    )
                }
            )

    def _framework_id(self) -> int:
        """The framework the unit works to in the measure's year (a district office's is the
        year's district framework where there is one)."""
        return self.fiscal_year.framework_id_for_kind(self.unit.kind if self.unit_id else "")

    def deadline_plausible(self) -> bool:
        """Whether the deadline lies within DEADLINE_WINDOW_YEARS of the measure's fiscal year: a
        date far outside it is a mistyped year (30/03/23 read as 2523, 2700 for 2570)."""
        start, end = self.fiscal_year.start, self.fiscal_year.end
        earliest = start.replace(year=start.year - DEADLINE_WINDOW_YEARS)
        latest = end.replace(year=end.year + DEADLINE_WINDOW_YEARS)
        return earliest <= self.deadline <= latest

    def _follow_weakness(self) -> None:
        """A measure for a weakness is about the weakness's indicator: it takes that indicator
        (of its own year's framework) when none is chosen, and refuses another one. Through it
        the measure reaches the memos, dashboards, tracker and exports that group by indicator;
        the weak question stays on the weakness, whose framework is the assessed year's."""
        number = self.weakness.indicator.number
        if self.indicator_id is None:
            self.indicator = self.weakness.indicator_in(self._framework_id())
        elif self.indicator.number != number:
            raise ValidationError({"indicator": f"ตัวชี้วัดต้องตรงกับจุดอ่อนที่แก้ไข (ตัวชี้วัดที่ {number})"})

    def is_open(self) -> bool:
        """Whether the work is still to do (Status.OPEN)."""
        return self.status in self.Status.OPEN

    def is_overdue(self, today: datetime.date) -> bool:
        """Open and past its deadline (as MeasureQuerySet.overdue)."""
        return self.is_open() and self.deadline is not None and self.deadline < today

    def owner_names(self) -> list[str]:
        """Who is responsible, as the plans write it: ทุกฝ่าย, else each responsible division's
        short name (its name when it has none) in the order the caller fetched them; empty when
        no division is named, which each page shows its own way."""
        if self.all_divisions:
            return [ALL_DIVISIONS]
        return [d.short_name or d.name for d in self.responsible_divisions.all()]

    @property
    def monitoring_label(self) -> str:
        return f"ทุก {self.monitoring_months} เดือน" if self.monitoring_months else ""


class MeasureStep(models.Model):
    """One ordered step (ขั้นตอน/วิธีการ) of a measure, with what came of it."""

    measure = models.ForeignKey(
        Measure, verbose_name="มาตรการ", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField("ลำดับ", default=0)
    text = LimitedTextField("ขั้นตอน/วิธีการ")
    result = LimitedTextField("ผลการดำเนินงาน", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ขั้นตอนการดำเนินงาน"
        verbose_name_plural = "ขั้นตอนการดำเนินงาน"
        ordering = ["measure", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"


EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# The stored path: evidence/<unit code, up to 60>/<measure id>/<safe name, up to 80>, with room for
# the suffix a taken name gets.
EVIDENCE_PATH_CHARS = 255


def evidence_path(instance: "ProgressUpdate", filename: str) -> str:
    """Evidence lives under MEDIA_ROOT/evidence/<unit>/<measure>/, never under static."""
    name = PurePath(filename).name
    return f"evidence/{instance.measure.unit.code}/{instance.measure_id}/{name}"


class ProgressUpdate(models.Model):
    """A dated progress report on a measure, with optional evidence (file or URL)."""

    measure = models.ForeignKey(
        Measure, verbose_name="มาตรการ", on_delete=models.CASCADE, related_name="progress_updates"
    )
    date = models.DateField("วันที่รายงาน")
    note = LimitedTextField("ความคืบหน้า")
    percent = models.PositiveSmallIntegerField(
        "ร้อยละความสำเร็จ",
        null=True,
        blank=True,
        validators=[MaxValueValidator(100, message="ร้อยละความสำเร็จต้องไม่เกิน 100")],
    )
    evidence_file = models.FileField(
        "ไฟล์หลักฐาน", upload_to=evidence_path, blank=True, max_length=EVIDENCE_PATH_CHARS
    )
    evidence_url = models.URLField("ลิงก์หลักฐาน", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="รายงานโดย",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "รายงานความคืบหน้า"
        verbose_name_plural = "รายงานความคืบหน้า"
        ordering = ["measure", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100),
                name="progressupdate_percent_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"ความคืบหน้า {self.date:%Y-%m-%d}: {self.note[:40]}"


class Limitation(models.Model):
    """A constraint (ข้อจำกัด) the unit faces in a fiscal year, as in seed 002 section 4."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name="หน่วยงาน", on_delete=models.PROTECT, related_name="limitations"
    )
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name="ปีงบประมาณ", on_delete=models.PROTECT)
    order = models.PositiveIntegerField("ลำดับ", default=0)
    text = LimitedTextField("ข้อจำกัด")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ข้อจำกัด"
        verbose_name_plural = "ข้อจำกัด"
        ordering = ["unit", "fiscal_year", "order", "pk"]

    def __str__(self) -> str:
        return f"ข้อจำกัด: {self.text[:60]}"
