"""Writing an assessment's scores, and reading back who changed them.

``save_scores`` takes one whole score sheet (what the score entry page posts) and writes it in one
transaction: a filled field creates or updates its row, an empty field deletes the row that was
there, and unchanged rows are left alone so the history shows only real changes.

``change_log`` turns django-simple-history records into what the object pages show: who, when,
and each field (by its Thai verbose name) from what to what. The measures app uses it too.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
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
from assessments.thai import be_numeric_date


@transaction.atomic
def create_assessment(*, unit: OrgUnit, fiscal_year: FiscalYear, by) -> Assessment:
    """The unit's assessment of the fiscal year, created empty when there is none yet."""
    existing = Assessment.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
    if existing is not None:
        return existing
    assessment = Assessment(unit=unit, fiscal_year=fiscal_year)
    assessment.full_clean()
    assessment._history_user = by
    assessment.save()
    return assessment


@dataclass(frozen=True)
class QuestionEntry:
    """What was entered for one question; ``score`` None means the question has no score."""

    score: Decimal | None
    lowest_option_share: Decimal | None = None
    remark: str = ""


@dataclass
class ScoreSheet:
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
    row.full_clean()
    row._history_user = by
    row.save()
    return True


def _delete(row: models.Model, *, by, result: SaveResult) -> None:
    row._history_user = by
    row.delete()
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
def save_scores(assessment: Assessment, *, sheet: ScoreSheet, by) -> SaveResult:
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


# --- history -------------------------------------------------------------------------------

ACTIONS = {"+": "สร้าง", "~": "แก้ไข", "-": "ลบ"}
UNTRACKED = frozenset({"id", "created_at", "updated_at", "version"})


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its Thai label and the values before and after, as text."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded create, change or delete: who, when, of what, and which fields changed."""

    when: datetime.datetime
    who: str
    action: str
    subject: str
    changes: list[FieldChange]


def _user_name(user) -> str:
    if user is None:
        return "ระบบ"
    return user.get_full_name() or user.get_username()


class _ValueText:
    """Writes history values as staff read them; related rows are fetched once per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[type[models.Model], dict] = {}

    def want(self, model_field: models.Field, value) -> None:
        if model_field.many_to_many:
            self.wanted[model_field.related_model].update(_m2m_ids(model_field, value))
        elif model_field.is_relation and value is not None:
            self.wanted[model_field.related_model].add(value)

    def load(self) -> None:
        user_model = get_user_model()
        for model, ids in self.wanted.items():
            rows = model.objects.in_bulk(ids).items()
            if model is user_model:
                self.names[model] = {pk: _user_name(user) for pk, user in rows}
            else:
                self.names[model] = {pk: str(obj) for pk, obj in rows}

    def text(self, model_field: models.Field, value) -> str:
        if model_field.many_to_many:
            names = self.names.get(model_field.related_model, {})
            ids = _m2m_ids(model_field, value)
            return ", ".join(names.get(pk, f"#{pk}") for pk in ids) or "–"
        if value is None or value == "":
            return "–"
        if model_field.is_relation:
            return self.names.get(model_field.related_model, {}).get(value, f"#{value} (ถูกลบ)")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "ใช่" if value else "ไม่ใช่"
        if isinstance(value, datetime.datetime):
            return value.isoformat(sep=" ", timespec="minutes")
        if isinstance(value, datetime.date):
            return be_numeric_date(value)
        return str(value)


def _m2m_ids(model_field: models.Field, rows) -> list:
    target = model_field.related_model._meta.model_name
    return sorted(row[target] for row in rows or [] if row.get(target) is not None)


def _creation_values(record, hidden: frozenset[str]) -> list[tuple[models.Field, object, object]]:
    opts = record.instance_type._meta
    items = []
    for tracked in record.tracked_fields:
        if tracked.name in UNTRACKED or tracked.name in hidden or not tracked.editable:
            continue
        value = getattr(record, tracked.attname)
        if value not in (None, "", False):
            items.append((opts.get_field(tracked.name), None, value))
    return items


def change_log(
    records: Iterable,
    *,
    describe: Callable[[object], str],
    hidden: Iterable[str] = (),
    limit: int = 50,
) -> list[HistoryEntry]:
    """History entries, newest first, from the historical records of one or more objects.

    ``records`` must hold every record of the objects shown (pass the history querysets with
    ``select_related("history_user")``): each change is diffed against the object's previous
    record with simple_history's ``diff_against``. ``describe(record)`` names the object;
    ``hidden`` fields (such as the parent a step belongs to) are left out.
    """
    hidden = frozenset(hidden)
    excluded = UNTRACKED | hidden
    by_object: dict[tuple[type, object], list] = defaultdict(list)
    for record in records:
        by_object[(record.instance_type, record.id)].append(record)
    pairs = []
    for object_records in by_object.values():
        object_records.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in object_records:
            pairs.append((record, previous))
            previous = record
    pairs.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)

    values = _ValueText()
    raw: list[tuple[object, list]] = []
    for record, previous in pairs:
        if len(raw) >= limit:
            break
        opts = record.instance_type._meta
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=excluded)
            items = [(opts.get_field(c.field), c.old, c.new) for c in delta.changes]
            if not items:
                continue
        elif record.history_type == "+":
            items = _creation_values(record, hidden)
        else:
            items = []
        for model_field, old, new in items:
            values.want(model_field, old)
            values.want(model_field, new)
        raw.append((record, items))
    values.load()
    return [
        HistoryEntry(
            when=record.history_date,
            who=_user_name(record.history_user),
            action=ACTIONS[record.history_type],
            subject=describe(record),
            changes=[
                FieldChange(str(f.verbose_name), values.text(f, old), values.text(f, new))
                for f, old, new in items
            ],
        )
        for record, items in raw
    ]


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
