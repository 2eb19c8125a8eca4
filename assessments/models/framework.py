"""The NACC criteria of one or more fiscal years: tools, indicators, questions and levels."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from assessments.models.fields import score_field
from portal_core.text_limits import LimitedTextField
from portal_core.thai import thai_digits


class Framework(models.Model):
    """The ITA criteria in force for one or more fiscal years.

    Question codes and wording change between years, so every score points at a question of the
    framework of its own year.
    """

    code = models.SlugField("รหัสเกณฑ์", max_length=40, unique=True)
    name = models.CharField("ชื่อเกณฑ์", max_length=200)
    pass_mark = score_field("คะแนนผ่านเกณฑ์", default=Decimal("85.00"))
    weakness_target = score_field(
        "ค่าเป้าหมายจุดอ่อน",
        default=Decimal("85.00"),
        help_text="ตัวชี้วัดหรือข้อคำถามที่ได้คะแนนต่ำกว่าค่านี้ถือเป็นจุดอ่อน",
    )

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "ฉบับชั่วคราว"
        CONFIRMED = "confirmed", "ยืนยันแล้ว"

    verified = models.BooleanField("ตรวจสอบกับคู่มือ ป.ป.ช. แล้ว", default=False)
    source = LimitedTextField("แหล่งที่มา", blank=True)
    status = models.CharField(
        "สถานะเกณฑ์",
        max_length=20,
        choices=Status.choices,
        default=Status.CONFIRMED,
        help_text="ฉบับชั่วคราว = คัดลอกจากปีก่อนระหว่างรอเกณฑ์ของ ป.ป.ช.; ยืนยันแล้ว = ตรงกับคู่มือของปีนั้น",
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name="คัดลอกจากเกณฑ์",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "เกณฑ์การประเมิน"
        verbose_name_plural = "เกณฑ์การประเมิน"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.code = self.code.lower()

    @property
    def provisional(self) -> bool:
        return self.status == self.Status.PROVISIONAL

    def years_label(self, *, thai: bool = True) -> str:
        """The fiscal years the framework is in force: "๒๕๗๐", "๒๕๖๓–๒๕๖๕" (Arabic digits
        when ``thai`` is false)."""
        years = sorted(fy.year for fy in self.fiscal_years.all())
        label = "–".join(str(y) for y in dict.fromkeys([years[0], years[-1]])) if years else ""
        return thai_digits(label) if thai else label

    def provisional_note(self, *, thai: bool = True) -> str:
        """The short note shown wherever items of a provisional framework are shown ("" when
        the framework is confirmed)."""
        if not self.provisional:
            return ""
        origin = ""
        if self.copied_from_id:
            origin = f" (คัดลอกจากปี {self.copied_from.years_label(thai=thai)})"
        return f"เกณฑ์ปี {self.years_label(thai=thai)} เป็นฉบับชั่วคราว{origin} ยังไม่ยืนยันกับคู่มือ ป.ป.ช."


class FiscalYear(models.Model):
    """A Thai fiscal year in the Buddhist era: 2564 runs 1 Oct 2020 – 30 Sep 2021."""

    year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", unique=True)
    framework = models.ForeignKey(
        Framework,
        verbose_name="เกณฑ์การประเมิน",
        on_delete=models.PROTECT,
        related_name="fiscal_years",
    )

    class Meta:
        verbose_name = "ปีงบประมาณ"
        verbose_name_plural = "ปีงบประมาณ"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2500, year__lte=2700),
                name="fiscalyear_year_buddhist_era",
            ),
        ]

    def __str__(self) -> str:
        return f"ปีงบประมาณ พ.ศ. {self.year}"

    @property
    def start(self) -> datetime.date:
        """1 October of the previous Christian-era year."""
        return datetime.date(self.year - 543 - 1, 10, 1)

    @property
    def end(self) -> datetime.date:
        """30 September of the Christian-era year."""
        return datetime.date(self.year - 543, 9, 30)

    @property
    def follow_up(self) -> int:
        """The fiscal year whose measures and memos answer this year's results (answering_year)."""
        return self.answering_year(self.year)

    @staticmethod
    def answering_year(year: int) -> int:
        """The fiscal year whose measures and memos answer the results of ``year``: the next
        one (the NACC announces year N's results after year N has ended)."""
        return year + 1

    @staticmethod
    def answered_year(year: int) -> int:
        """The fiscal year whose results the work of ``year`` answers: the one before."""
        return year - 1

    @staticmethod
    def year_of(day: datetime.date) -> int:
        """The Buddhist-era fiscal year a date falls in."""
        return day.year + 543 + (1 if day.month >= 10 else 0)


class Tool(models.Model):
    """One of the three tools: IIT, EIT, OIT, with its weight in the overall score."""

    class Code(models.TextChoices):
        IIT = "IIT", "IIT"
        EIT = "EIT", "EIT"
        OIT = "OIT", "OIT"

    framework = models.ForeignKey(
        Framework, verbose_name="เกณฑ์การประเมิน", on_delete=models.CASCADE, related_name="tools"
    )
    code = models.CharField("เครื่องมือ", max_length=3, choices=Code.choices)
    name = models.CharField("ชื่อเครื่องมือ", max_length=200)
    weight = models.DecimalField("น้ำหนัก (ร้อยละ)", max_digits=5, decimal_places=2)
    parts = models.PositiveSmallIntegerField(
        "จำนวนส่วน",
        default=0,
        help_text="0 = คะแนนเครื่องมือเป็นค่าเฉลี่ยของตัวชี้วัด; 2 = ค่าเฉลี่ยของส่วนที่ 1 และ 2 (EIT ตั้งแต่ 2566)",
    )
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "เครื่องมือการประเมิน"
        verbose_name_plural = "เครื่องมือการประเมิน"
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="tool_code_unique_in_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """One of the ten indicators (ตัวชี้วัด), measured by one tool."""

    # Every framework since 2562 numbers its ten indicators 1–10 (ita_framework.md §2); the result
    # tables and the open-data files keep one column per number whatever the year.
    NUMBERS = range(1, 11)

    framework = models.ForeignKey(
        Framework, verbose_name="เกณฑ์การประเมิน", on_delete=models.CASCADE, related_name="indicators"
    )
    tool = models.ForeignKey(
        Tool, verbose_name="เครื่องมือ", on_delete=models.RESTRICT, related_name="indicators"
    )
    number = models.PositiveSmallIntegerField("ตัวชี้วัดที่")
    name = models.CharField("ชื่อตัวชี้วัด", max_length=200)
    weight = models.DecimalField("น้ำหนัก (ร้อยละ)", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "ตัวชี้วัด"
        verbose_name_plural = "ตัวชี้วัด"
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="indicator_number_unique_in_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"ตัวชี้วัดที่ {self.number} {self.name}"

    def clean(self) -> None:
        if self.tool_id and self.framework_id and self.tool.framework_id != self.framework_id:
            raise ValidationError({"tool": "เครื่องมือต้องอยู่ในเกณฑ์การประเมินเดียวกับตัวชี้วัด"})


class SubIndicator(models.Model):
    """A sub-indicator such as 9.1 ข้อมูลพื้นฐาน or 10.2 มาตรการภายใน."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="ตัวชี้วัด", on_delete=models.CASCADE, related_name="sub_indicators"
    )
    code = models.CharField("ตัวชี้วัดย่อยที่", max_length=10)
    name = models.CharField("ชื่อตัวชี้วัดย่อย", max_length=200)

    class Meta:
        verbose_name = "ตัวชี้วัดย่อย"
        verbose_name_plural = "ตัวชี้วัดย่อย"
        ordering = ["indicator", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "code"], name="subindicator_code_unique_in_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"ตัวชี้วัดย่อยที่ {self.code} {self.name}"


class Question(models.Model):
    """A question or disclosure item (I…, E…, O…) of one framework."""

    framework = models.ForeignKey(
        Framework, verbose_name="เกณฑ์การประเมิน", on_delete=models.CASCADE, related_name="questions"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="ตัวชี้วัด", on_delete=models.RESTRICT, related_name="questions"
    )
    sub_indicator = models.ForeignKey(
        SubIndicator,
        verbose_name="ตัวชี้วัดย่อย",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="questions",
    )
    code = models.CharField("รหัสข้อ", max_length=10)
    text = LimitedTextField("ข้อคำถาม/ข้อมูลที่เปิดเผย")
    group = models.CharField("กลุ่มข้อมูล", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)
    verified = models.BooleanField("ตรวจสอบถ้อยคำแล้ว", default=False)
    source = models.CharField("แหล่งที่มา", max_length=300, blank=True)

    class Meta:
        verbose_name = "ข้อคำถาม"
        verbose_name_plural = "ข้อคำถาม"
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="question_code_unique_in_framework"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"

    def clean(self) -> None:
        if self.indicator_id and self.framework_id:
            if self.indicator.framework_id != self.framework_id:
                raise ValidationError({"indicator": "ตัวชี้วัดต้องอยู่ในเกณฑ์การประเมินเดียวกับข้อคำถาม"})
        if self.sub_indicator_id and self.sub_indicator.indicator_id != self.indicator_id:
            raise ValidationError({"sub_indicator": "ตัวชี้วัดย่อยต้องอยู่ในตัวชี้วัดของข้อคำถาม"})


class LevelBand(models.Model):
    """A result level: AA–F up to 2565, ดีเยี่ยม/ผ่าน/ต้องปรับปรุง from 2566."""

    framework = models.ForeignKey(
        Framework, verbose_name="เกณฑ์การประเมิน", on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField("รหัสระดับ", max_length=20)
    label = models.CharField("ระดับ", max_length=60)
    min_score = score_field("คะแนนขั้นต่ำ")
    passed = models.BooleanField("ผ่านเกณฑ์", default=False)
    verified = models.BooleanField("ตรวจสอบแล้ว", default=False)

    class Meta:
        verbose_name = "ระดับผลการประเมิน"
        verbose_name_plural = "ระดับผลการประเมิน"
        ordering = ["framework", "-min_score"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="levelband_code_unique"),
            models.UniqueConstraint(fields=["framework", "min_score"], name="levelband_min_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.min_score})"
