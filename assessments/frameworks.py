"""Opening a fiscal year: its framework starts as a provisional copy of the year before.

The NACC publishes a year's criteria after the year has begun, so the central ITA team opens the
year with a copy of the previous year's framework (tools, indicators, sub-indicators, questions,
weights, levels and the weakness target), marked provisional. They edit it or import the official
list over it (the framework sheets of assessments.resources, with a dry run), then confirm it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.models import (
    FiscalYear,
    Framework,
    Indicator,
    LevelBand,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
)
from portal_core.thai import thai_digits


def framework_code_for(year: int) -> str:
    """The code of the framework opened for one fiscal year: "ita2570"."""
    return f"ita{year}"


def framework_name_for(year: int) -> str:
    """The Thai name of the framework opened for one fiscal year."""
    return f"เกณฑ์การประเมิน ITA ปีงบประมาณ พ.ศ. {thai_digits(year)}"


@transaction.atomic
def copy_framework(source: Framework, *, code: str, name: str) -> Framework:
    """A provisional copy of ``source`` with every item of it, under a new code.

    The copy is not verified against the NACC manual, nor are its questions and levels: their
    wording and cut-offs are last year's until the team confirms them.
    """
    if Framework.objects.filter(code=code).exists():
        raise ValidationError(f"มีเกณฑ์รหัส {code} อยู่แล้ว")
    copy = Framework.objects.create(
        code=code,
        name=name,
        pass_mark=source.pass_mark,
        weakness_target=source.weakness_target,
        verified=False,
        source=f"คัดลอกจาก {source.code}" + (f": {source.source}" if source.source else ""),
        status=Framework.Status.PROVISIONAL,
        copied_from=source,
    )
    LevelBand.objects.bulk_create(
        LevelBand(
            framework=copy,
            code=band.code,
            label=band.label,
            min_score=band.min_score,
            passed=band.passed,
            verified=False,
        )
        for band in source.levels.all()
    )
    tools = {}
    for tool in source.tools.all():
        tools[tool.pk] = Tool.objects.create(
            framework=copy,
            code=tool.code,
            name=tool.name,
            weight=tool.weight,
            parts=tool.parts,
            order=tool.order,
        )
    indicators = {}
    for indicator in source.indicators.all():
        indicators[indicator.pk] = Indicator.objects.create(
            framework=copy,
            tool=tools[indicator.tool_id],
            number=indicator.number,
            name=indicator.name,
            weight=indicator.weight,
        )
    subs = {}
    for sub in SubIndicator.objects.filter(indicator__framework=source):
        subs[sub.pk] = SubIndicator.objects.create(
            indicator=indicators[sub.indicator_id], code=sub.code, name=sub.name
        )
    Question.objects.bulk_create(
        Question(
            framework=copy,
            indicator=indicators[q.indicator_id],
            sub_indicator=subs.get(q.sub_indicator_id),
            code=q.code,
            text=q.text,
            group=q.group,
            order=q.order,
            verified=False,
            source=q.source,
        )
        for q in source.questions.all()
    )
    return copy


def next_fiscal_year() -> int:
    """The Buddhist-era year that opening a year would open: the one after the latest."""
    latest = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        raise ValidationError("ยังไม่มีปีงบประมาณใดให้คัดลอกเกณฑ์")
    return latest + 1


@transaction.atomic
def open_fiscal_year(year: int) -> FiscalYear:
    """Open ``year`` with a provisional copy of the framework of the year before it."""
    previous = FiscalYear.objects.select_related("framework").filter(year=year - 1).first()
    if previous is None:
        raise ValidationError(f"ไม่พบปีงบประมาณ {year - 1} ที่จะคัดลอกเกณฑ์")
    if FiscalYear.objects.filter(year=year).exists():
        raise ValidationError(f"เปิดปีงบประมาณ {year} ไว้แล้ว")
    framework = copy_framework(
        previous.framework, code=framework_code_for(year), name=framework_name_for(year)
    )
    fiscal_year = FiscalYear(year=year, framework=framework)
    fiscal_year.full_clean()
    fiscal_year.save()
    return fiscal_year


def confirm_framework(framework: Framework) -> Framework:
    """Mark a provisional framework confirmed: it now matches the NACC's list for its year."""
    if not framework.provisional:
        raise ValidationError("เกณฑ์นี้ยืนยันแล้ว")
    framework.status = Framework.Status.CONFIRMED
    framework.save(update_fields=["status", "updated_at"])
    return framework


@transaction.atomic
def clear_questions(framework: Framework) -> int:
    """Remove the questions and sub-indicators of a provisional framework before the official
    list is imported, so none of last year's items is left behind; returns how many went.

    Refused once the framework is confirmed or once a score points at one of its items.
    """
    if not framework.provisional:
        raise ValidationError("ล้างข้อคำถามได้เฉพาะเกณฑ์ฉบับชั่วคราว")
    scored = (
        QuestionScore.objects.filter(question__framework=framework).exists()
        or SubIndicatorScore.objects.filter(sub_indicator__indicator__framework=framework).exists()
    )
    if scored:
        raise ValidationError("มีคะแนนที่อ้างถึงข้อคำถามของเกณฑ์นี้แล้ว จึงล้างไม่ได้")
    removed, _ = framework.questions.all().delete()
    subs, _ = SubIndicator.objects.filter(indicator__framework=framework).delete()
    return removed + subs
