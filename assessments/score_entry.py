"""Writing an assessment's scores, and reading back who changed them.

``save_scores`` takes one whole score sheet (what the score entry page posts) and writes it in one
transaction: a filled field creates or updates its row, an empty field deletes the row that was
there, and unchanged rows are left alone so the history shows only real changes.

``score_history`` reads back who changed them (through portal_core.history).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models, transaction

from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    OrgUnit,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    ToolScore,
)
from portal_core.history import HistoryEntry, change_log, delete_with_history, save_with_history


@transaction.atomic
def create_assessment(*, unit: OrgUnit, fiscal_year: FiscalYear, by) -> Assessment:
    """The unit's assessment of the fiscal year, created empty when there is none yet."""
    existing = Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if existing is not None:
        return existing
    assessment = Assessment(unit=unit, fiscal_year=fiscal_year)
    save_with_history(assessment, by=by)
    return assessment


@dataclass(frozen=True)
class QuestionEntry:
    """What was entered for one question; ``score`` None means the question has no score."""

    score: Decimal | None
    lowest_option_share: Decimal | None = None
    remark: str = ""


@dataclass
class EnteredScores:
    """Every score of one assessment as entered; a None value means "no score" (delete the row).

    Keys: tools by (tool id, part), indicators, sub-indicators and questions by id. Items that
    are not in a mapping are left untouched.
    """

    official_score: Decimal | None
    official_level: str
    tools: dict[tuple[int, int], Decimal | None] = field(default_factory=dict)
    indicators: dict[int, Decimal | None] = field(default_factory=dict)
    sub_indicators: dict[int, Decimal | None] = field(default_factory=dict)
    questions: dict[int, QuestionEntry] = field(default_factory=dict)


@dataclass
class SaveResult:
    """How many score rows a save created, changed and deleted (the official result aside)."""

    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


def _write(row: models.Model, values: dict, *, by) -> bool:
    """Set values on a row and save it after full_clean; False when nothing differed."""
    if row.pk is not None and all(getattr(row, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    save_with_history(row, by=by)
    return True


def _delete(row: models.Model, *, by, result: SaveResult) -> None:
    delete_with_history(row, by=by)
    result.deleted += 1


def _apply(
    existing: dict,
    entered: dict,
    *,
    new_row: Callable[[object], models.Model],
    values: Callable[[object], dict],
    by,
    result: SaveResult,
) -> None:
    """Create, update or delete one kind of score row, one entered value at a time."""
    for key, value in entered.items():
        row = existing.get(key)
        wanted = values(value)
        if wanted is None:
            if row is not None:
                _delete(row, by=by, result=result)
            continue
        if row is None:
            result.created += _write(new_row(key), wanted, by=by)
        else:
            result.updated += _write(row, wanted, by=by)


def _score_values(score: Decimal | None) -> dict | None:
    return None if score is None else {"score": score}


def _question_values(entry: QuestionEntry) -> dict | None:
    if entry.score is None:
        return None
    return {
        "score": entry.score,
        "lowest_option_share": entry.lowest_option_share,
        "remark": entry.remark,
    }


@transaction.atomic
def save_scores(assessment: Assessment, *, sheet: EnteredScores, by) -> SaveResult:
    """Write a whole score sheet in one transaction; any invalid row rolls all of it back.

    Raises django.core.exceptions.ValidationError (from full_clean) when a value breaks a model
    rule, e.g. an item that is not in this year's framework.
    """
    header = {"official_score": sheet.official_score, "official_level": sheet.official_level}
    _write(assessment, header, by=by)
    result = SaveResult()
    pk = assessment.pk
    _apply(
        {(s.tool_id, s.part): s for s in ToolScore.objects.filter(assessment_id=pk)},
        sheet.tools,
        new_row=lambda key: ToolScore(assessment=assessment, tool_id=key[0], part=key[1]),
        values=_score_values,
        by=by,
        result=result,
    )
    _apply(
        {s.indicator_id: s for s in IndicatorScore.objects.filter(assessment_id=pk)},
        sheet.indicators,
        new_row=lambda key: IndicatorScore(assessment=assessment, indicator_id=key),
        values=_score_values,
        by=by,
        result=result,
    )
    _apply(
        {s.sub_indicator_id: s for s in SubIndicatorScore.objects.filter(assessment_id=pk)},
        sheet.sub_indicators,
        new_row=lambda key: SubIndicatorScore(assessment=assessment, sub_indicator_id=key),
        values=_score_values,
        by=by,
        result=result,
    )
    _apply(
        {s.question_id: s for s in QuestionScore.objects.filter(assessment_id=pk)},
        sheet.questions,
        new_row=lambda key: QuestionScore(assessment=assessment, question_id=key),
        values=_question_values,
        by=by,
        result=result,
    )
    return result


def score_history(assessment: Assessment, *, limit: int = 50) -> list[HistoryEntry]:
    """Who changed the official result and which scores of this assessment, newest first."""
    framework = assessment.framework
    tools = {t.pk: t.code for t in framework.tools.all()}
    indicators = {i.pk: i.number for i in framework.indicators.all()}
    subs = dict(
        SubIndicator.objects.filter(indicator__framework=framework).values_list("pk", "code")
    )
    questions = dict(framework.questions.values_list("pk", "code"))

    def describe(record) -> str:
        if isinstance(record, Assessment.history.model):
            return "ผลการประเมินรวม"
        if isinstance(record, ToolScore.history.model):
            part = f" ส่วนที่ {record.part}" if record.part else ""
            return f"เครื่องมือ {tools.get(record.tool_id, '')}{part}"
        if isinstance(record, IndicatorScore.history.model):
            return f"ตัวชี้วัดที่ {indicators.get(record.indicator_id, '')}"
        if isinstance(record, SubIndicatorScore.history.model):
            return f"ตัวชี้วัดย่อยที่ {subs.get(record.sub_indicator_id, '')}"
        return f"ข้อ {questions.get(record.question_id, '')}"

    pk = assessment.pk
    records = [
        *Assessment.history.filter(id=pk).select_related("history_user"),
        *ToolScore.history.filter(assessment_id=pk).select_related("history_user"),
        *IndicatorScore.history.filter(assessment_id=pk).select_related("history_user"),
        *SubIndicatorScore.history.filter(assessment_id=pk).select_related("history_user"),
        *QuestionScore.history.filter(assessment_id=pk).select_related("history_user"),
    ]
    return change_log(records, describe=describe, hidden={"assessment"}, limit=limit)
