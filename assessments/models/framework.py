"""The NACC criteria of one or more fiscal years: tools, indicators, questions and levels."""

import datetime
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce

from assessments.models.fields import score_field
from portal_core.text_limits import LimitedTextField
from portal_core.thai import thai_digits


class Confidence(models.TextChoices):
    """How an item of a framework is known (framework_sources_2566_2569.md's reliability key)."""

    OFFICIAL = "official", "แหล่งทางการ"
    ARITHMETIC = "arithmetic", "คำนวณจากผลที่ประกาศ"
    OTHER_AGENCY_KIND = "other_agency_kind", "พบในหน่วยงานประเภทอื่น"
    UNKNOWN = "unknown", "ไม่ทราบ"


CONFIRMED_CONFIDENCE = (Confidence.OFFICIAL, Confidence.ARITHMETIC)


def unconfirmed_note(unknown: int, elsewhere: int, *, subject: str, thai: bool = True) -> str:
    """ "<subject>: มีรายการที่ยังไม่ยืนยันจากแหล่งทางการ (ไม่ทราบ n รายการ · พบในหน่วยงาน
    ประเภทอื่น m รายการ)", or "" when both counts are 0."""
    digits = thai_digits if thai else str
    parts = []
    if unknown:
        parts.append(f"ไม่ทราบ {digits(unknown)} รายการ")
    if elsewhere:
        parts.append(f"พบในหน่วยงานประเภทอื่น {digits(elsewhere)} รายการ")
    if not parts:
        return ""
    return f"{subject}: มีรายการที่ยังไม่ยืนยันจากแหล่งทางการ ({' · '.join(parts)})"


class Sourced(models.Model):
    """How a framework or one of its items is known, and from where.

    Only an official source or a published result's arithmetic confirms an item; an item seen
    for another kind of agency or not known at all is shown with a note wherever it is shown.
    """

    confidence = models.CharField(
        "ความน่าเชื่อถือ",
        max_length=20,
        choices=Confidence.choices,
        default=Confidence.UNKNOWN,
    )
    source = LimitedTextField("แหล่งที่มา", blank=True)

    class Meta:
        abstract = True

    @property
    def confirmed(self) -> bool:
        """True when an official source or a published result's arithmetic supports the item."""
        return self.confidence in CONFIRMED_CONFIDENCE


class Framework(Sourced):
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

    class UnitKind(models.TextChoices):
        GENERAL = "general", "หน่วยงานทั่วไป"
        DISTRICT = "district", "สำนักงานเขต"

    unit_kind = models.CharField(
        "ใช้กับหน่วยงานประเภท",
        max_length=20,
        choices=UnitKind.choices,
        default=UnitKind.GENERAL,
        help_text="ตั้งแต่ปี ๒๕๖๖ ป.ป.ช. ประเมินสำนักงานเขตด้วยแบบประเมินเฉพาะ",
    )
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

    @cached_property
    def unconfirmed(self) -> dict[str, int]:
        """How many of the framework's items (itself, tools, indicators, sub-indicators,
        questions, levels) are not confirmed, by confidence, in one query:
        {"unknown": n, "other_agency_kind": m}."""
        links = {
            Tool: "framework",
            Indicator: "framework",
            SubIndicator: "indicator__framework",
            Question: "framework",
            LevelBand: "framework",
        }
        counts = {}
        for confidence in (Confidence.UNKNOWN, Confidence.OTHER_AGENCY_KIND):
            for model, link in links.items():
                rows = (
                    model.objects.filter(**{link: models.OuterRef("pk"), "confidence": confidence})
                    .order_by()
                    .values(link)
                    .annotate(n=models.Count("pk"))
                    .values("n")[:1]
                )
                counts[f"{confidence}_{model.__name__}"] = Coalesce(
                    models.Subquery(rows, output_field=models.IntegerField()), 0
                )
        found = Framework.objects.filter(pk=self.pk).values(**counts).first() or {}
        return {
            confidence: sum(v for k, v in found.items() if k.startswith(f"{confidence}_"))
            + (1 if self.confidence == confidence else 0)
            for confidence in (Confidence.UNKNOWN, Confidence.OTHER_AGENCY_KIND)
        }

    @property
    def confidence_note(self) -> str:
        """The short Thai note on pages showing the framework's items when some of them are not
        confirmed ("" when all are)."""
        return unconfirmed_note(
            self.unconfirmed[Confidence.UNKNOWN],
            self.unconfirmed[Confidence.OTHER_AGENCY_KIND],
            subject=self.name,
        )


class FiscalYear(models.Model):
    """A Thai fiscal year in the Buddhist era: 2564 runs 1 Oct 2020 – 30 Sep 2021."""

    year = models.PositiveSmallIntegerField("ปีงบประมาณ (พ.ศ.)", unique=True)
    framework = models.ForeignKey(
        Framework,
        verbose_name="เกณฑ์การประเมิน",
        on_delete=models.PROTECT,
        related_name="fiscal_years",
    )
    district_framework = models.ForeignKey(
        Framework,
        verbose_name="เกณฑ์การประเมินสำหรับสำนักงานเขต",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="district_fiscal_years",
        help_text="เว้นว่าง = สำนักงานเขตใช้เกณฑ์เดียวกับหน่วยงานอื่น",
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

    def clean(self) -> None:
        district = Framework.UnitKind.DISTRICT
        if self.district_framework_id and self.district_framework.unit_kind != district:
            raise ValidationError(
                {"district_framework": "เกณฑ์สำหรับสำนักงานเขตต้องเป็นเกณฑ์ประเภทสำนักงานเขต"}
            )
        if self.framework_id and self.framework.unit_kind == district:
            raise ValidationError({"framework": "เกณฑ์หลักของปีต้องเป็นเกณฑ์ของหน่วยงานทั่วไป"})

    def framework_for_kind(self, unit_kind: str) -> "Framework":
        """The framework a unit of ``unit_kind`` (an OrgUnit.Kind) is assessed with this year:
        the district framework for a district office when the year has one, else the general."""
        if self._district_applies(unit_kind):
            return self.district_framework
        return self.framework

    def framework_id_for_kind(self, unit_kind: str) -> int:
        """The id of :meth:`framework_for_kind`, read without loading the framework."""
        return (
            self.district_framework_id if self._district_applies(unit_kind) else self.framework_id
        )

    def _district_applies(self, unit_kind: str) -> bool:
        return unit_kind == Framework.UnitKind.DISTRICT and self.district_framework_id is not None

    def frameworks(self) -> list["Framework"]:
        """Every framework in force this year, the general one first."""
        return [self.framework] + ([self.district_framework] if self.district_framework_id else [])

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


class Tool(Sourced):
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


class Indicator(Sourced):
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


class SubIndicator(Sourced):
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


class Question(Sourced):
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
    text = LimitedTextField(
        "ข้อคำถาม/ข้อมูลที่เปิดเผย",
        blank=True,
        help_text="เว้นว่างเมื่อไม่ทราบถ้อยคำ (ห้ามใช้ถ้อยคำของปีอื่นหรือหน่วยงานประเภทอื่นแทน)",
    )
    group = models.CharField("กลุ่มข้อมูล", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

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
        return f"{self.code} {self.display_text[:80]}"

    UNKNOWN_TEXT = "ไม่ทราบถ้อยคำ (ยังไม่พบแหล่งที่มาของข้อนี้)"

    @property
    def display_text(self) -> str:
        """The wording, or a plain Thai statement that it is unknown."""
        return self.text or self.UNKNOWN_TEXT

    def clean(self) -> None:
        if not self.text.strip() and self.confidence != Confidence.UNKNOWN:
            raise ValidationError({"text": "ข้อที่ไม่ได้ระบุว่าไม่ทราบถ้อยคำต้องมีถ้อยคำ"})
        if self.indicator_id and self.framework_id:
            if self.indicator.framework_id != self.framework_id:
                raise ValidationError({"indicator": "ตัวชี้วัดต้องอยู่ในเกณฑ์การประเมินเดียวกับข้อคำถาม"})
        if self.sub_indicator_id and self.sub_indicator.indicator_id != self.indicator_id:
            raise ValidationError({"sub_indicator": "ตัวชี้วัดย่อยต้องอยู่ในตัวชี้วัดของข้อคำถาม"})


class LevelBand(Sourced):
    """A result level: AA–F up to 2565, ดีเยี่ยม/ผ่าน/ต้องปรับปรุง in 2566, from 2567 also ผ่านดี
    and ผ่านดีเยี่ยม, which ask every tool to reach a score too (``min_tool_score``)."""

    framework = models.ForeignKey(
        Framework, verbose_name="เกณฑ์การประเมิน", on_delete=models.CASCADE, related_name="levels"
    )
    code = models.CharField("รหัสระดับ", max_length=20)
    label = models.CharField("ระดับ", max_length=60)
    min_score = score_field("คะแนนขั้นต่ำ")
    passed = models.BooleanField("ผ่านเกณฑ์", default=False)
    min_tool_score = score_field(
        "คะแนนขั้นต่ำของทุกเครื่องมือ",
        null=True,
        blank=True,
        help_text="เว้นว่าง = ไม่มีเงื่อนไขรายเครื่องมือ; เช่น ผ่านดี = รวม ≥ ๘๕ และ IIT, EIT, OIT ≥ ๘๕",
    )

    class Meta:
        verbose_name = "ระดับผลการประเมิน"
        verbose_name_plural = "ระดับผลการประเมิน"
        # ผ่านดี and ผ่าน share 85: the band with a per-tool condition is tried first.
        ordering = [
            "framework",
            "-min_score",
            models.F("min_tool_score").desc(nulls_last=True),
        ]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="levelband_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {self.min_score})"

    def tools_reach(self, tool_scores: list[Decimal] | None) -> bool:
        """Whether the band's per-tool condition holds (always, when it has none)."""
        if self.min_tool_score is None:
            return True
        return bool(tool_scores) and all(
            s is not None and s >= self.min_tool_score for s in tool_scores
        )
