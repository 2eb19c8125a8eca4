"""Opening a fiscal year: its framework starts as a provisional copy of the year before.

The NACC publishes a year's criteria after the year has begun, so the central ITA team opens the
year with a copy of the previous year's framework (tools, indicators, sub-indicators, questions,
weights, levels and the weakness target), marked provisional. They edit it or import the official
list over it (the framework sheets of assessments.resources, with a dry run), then confirm it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
    ToolScore,
)
from portal_core.thai import thai_digits


def framework_for(unit: OrgUnit, fiscal_year: FiscalYear) -> Framework:
    """The framework ``unit`` is assessed with in ``fiscal_year``.

    From 2566 the NACC assessed district offices with an instrument of their own
    (framework_sources_2566_2569.md §0), so a district office uses its year's district framework
    where there is one and every other unit the year's general framework. Every reader of "the
    framework of an assessment" goes through here (or Assessment.framework, which does the same).
    """
    return fiscal_year.framework_for_kind(unit.kind)


def framework_id_for(unit: OrgUnit, fiscal_year: FiscalYear) -> int:
    """The id of :func:`framework_for`, for filters (no query)."""
    return fiscal_year.framework_id_for_kind(unit.kind)


def item_map(source: Framework, target: Framework) -> dict[type, dict[int, int]]:
    """The pks of ``source``'s tools, indicators, sub-indicators and questions mapped to those
    of ``target`` with the same code (number for indicators); items ``target`` lacks are left
    out."""

    def keyed(framework: Framework) -> dict[type, dict]:
        subs = SubIndicator.objects.filter(indicator__framework=framework)
        return {
            Tool: dict(framework.tools.values_list("code", "pk")),
            Indicator: dict(framework.indicators.values_list("number", "pk")),
            SubIndicator: {
                (number, code): pk
                for pk, number, code in subs.values_list("pk", "indicator__number", "code")
            },
            Question: dict(framework.questions.values_list("code", "pk")),
        }

    old, new = keyed(source), keyed(target)
    return {
        model: {pk: new[model][key] for key, pk in old[model].items() if key in new[model]}
        for model in old
    }


def repoint(rows, field: str, mapping: dict[int, int]) -> int:
    """Point ``rows``' ``field`` from each old item to its new one; returns how many moved."""
    moved = 0
    for old in (
        rows.filter(**{f"{field}_id__in": list(mapping)})
        .values_list(f"{field}_id", flat=True)
        .distinct()
    ):
        moved += rows.filter(**{f"{field}_id": old}).update(**{f"{field}_id": mapping[old]})
    return moved


def district_years() -> list[tuple[FiscalYear, dict[type, dict[int, int]]]]:
    """Every fiscal year with a district framework, with the map from its general framework's
    items to the district framework's."""
    years = FiscalYear.objects.filter(district_framework__isnull=False).select_related(
        "framework", "district_framework"
    )
    return [(fy, item_map(fy.framework, fy.district_framework)) for fy in years]


@transaction.atomic
def rehome_district_results() -> int:
    """Move the scores of district offices' assessments that a database from before district
    frameworks recorded against a year's general framework onto the year's district framework
    (same codes), so an upgrade is a migration and a load; returns how many rows moved (0 the
    second time)."""
    moved = 0
    for fiscal_year, maps in district_years():
        results = Assessment.objects.filter(
            fiscal_year=fiscal_year, unit__kind=OrgUnit.Kind.DISTRICT
        )
        for model, field, item in (
            (ToolScore, "tool", Tool),
            (IndicatorScore, "indicator", Indicator),
            (SubIndicatorScore, "sub_indicator", SubIndicator),
            (QuestionScore, "question", Question),
        ):
            moved += repoint(model.objects.filter(assessment__in=results), field, maps[item])
    return moved


@dataclass(frozen=True)
class Target:
    """The score a unit works to, and in Thai which target it is."""

    score: Decimal
    label: str
    own: bool  # the unit's own setting, not its framework's pass mark

    @property
    def note(self) -> str:
        """ "ใช้เป้าหมาย …" for pages and memos that compare scores with the target."""
        return f"ใช้เป้าหมาย{self.label} {thai_digits(f'{self.score:.2f}')} คะแนน"


def unit_target(unit: OrgUnit, framework: Framework) -> Target:
    """The target a unit's scores are held to: the unit's own target when set (the BMA's KPI
    for district offices is AA, 95), else the framework's target for weaknesses, which is the
    NACC's pass mark (85) in every shipped framework."""
    if unit.target_score is not None:
        return Target(unit.target_score, unit.target_label or "ของหน่วยงาน", True)
    if framework.weakness_target == framework.pass_mark:
        return Target(framework.pass_mark, "คะแนนผ่านเกณฑ์ ป.ป.ช.", False)
    return Target(framework.weakness_target, "ค่าเป้าหมายจุดอ่อนของเกณฑ์", False)


def framework_code_for(year: int) -> str:
    """The code of the framework opened for one fiscal year: "ita2570"."""
    return f"ita{year}"


def framework_name_for(year: int) -> str:
    """The Thai name of the framework opened for one fiscal year."""
    return f"เกณฑ์การประเมิน ITA ปีงบประมาณ พ.ศ. {thai_digits(year)}"


@transaction.atomic
def copy_framework(source: Framework, *, code: str, name: str) -> Framework:
    """A provisional copy of ``source`` with every item of it, under a new code.

    Nothing of the copy is confirmed: every item is ``unknown`` for the new year, its source
    naming the framework it was copied from, until the team imports or confirms the year's own.
    """
    if Framework.objects.filter(code=code).exists():
        raise ValidationError(f"มีเกณฑ์รหัส {code} อยู่แล้ว")
    copy = Framework.objects.create(
        code=code,
        name=name,
        pass_mark=source.pass_mark,
        weakness_target=source.weakness_target,
        confidence=Confidence.UNKNOWN,
        source=f"คัดลอกจาก {source.code}" + (f": {source.source}" if source.source else ""),
        unit_kind=source.unit_kind,
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
            min_tool_score=band.min_tool_score,
            confidence=Confidence.UNKNOWN,
            source=_copied(source, band.source),
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
            confidence=Confidence.UNKNOWN,
            source=_copied(source, tool.source),
        )
    indicators = {}
    for indicator in source.indicators.all():
        indicators[indicator.pk] = Indicator.objects.create(
            framework=copy,
            tool=tools[indicator.tool_id],
            number=indicator.number,
            name=indicator.name,
            weight=indicator.weight,
            confidence=Confidence.UNKNOWN,
            source=_copied(source, indicator.source),
        )
    subs = {}
    for sub in SubIndicator.objects.filter(indicator__framework=source):
        subs[sub.pk] = SubIndicator.objects.create(
            indicator=indicators[sub.indicator_id],
            code=sub.code,
            name=sub.name,
            confidence=Confidence.UNKNOWN,
            source=_copied(source, sub.source),
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
            confidence=Confidence.UNKNOWN,
            source=_copied(source, q.source),
        )
        for q in source.questions.all()
    )
    return copy


def _copied(source: Framework, item_source: str) -> str:
    return f"คัดลอกจาก {source.code}" + (f" ({item_source})" if item_source else "")


def next_fiscal_year() -> int:
    """The Buddhist-era year that opening a year would open: the one after the latest."""
    latest = FiscalYear.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        raise ValidationError("ยังไม่มีปีงบประมาณใดให้คัดลอกเกณฑ์")
    return latest + 1


@transaction.atomic
def open_fiscal_year(year: int) -> FiscalYear:
    """Open ``year`` with a provisional copy of the framework of the year before it (and of its
    district framework, when it had one)."""
    previous = (
        FiscalYear.objects.select_related("framework", "district_framework")
        .filter(year=year - 1)
        .first()
    )
    if previous is None:
        raise ValidationError(f"ไม่พบปีงบประมาณ {year - 1} ที่จะคัดลอกเกณฑ์")
    if FiscalYear.objects.filter(year=year).exists():
        raise ValidationError(f"เปิดปีงบประมาณ {year} ไว้แล้ว")
    framework = copy_framework(
        previous.framework, code=framework_code_for(year), name=framework_name_for(year)
    )
    district = None
    if previous.district_framework_id:
        district = copy_framework(
            previous.district_framework,
            code=f"{framework_code_for(year)}-district",
            name=f"{framework_name_for(year)} (สำนักงานเขต)",
        )
    fiscal_year = FiscalYear(year=year, framework=framework, district_framework=district)
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
