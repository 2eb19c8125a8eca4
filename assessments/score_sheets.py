"""The score workbook: the template staff fill in, the export, and reading an upload back in.

A workbook has two sheets, each with the unit code (รหัสหน่วยงาน) on every row so that one file
can hold every unit of a year:

- "คะแนนรายตัวชี้วัด": the overall score and level (ประเภท คะแนนรวม), each tool and EIT part
  (เครื่องมือ, รหัส IIT/EIT/OIT, ส่วนที่), each indicator (ตัวชี้วัด, รหัส 1–10) and sub-indicator
  (ตัวชี้วัดย่อย, รหัส 9.1 …);
- "คะแนนรายข้อ": each question's score, the share of respondents who chose the lowest option and
  the evaluator's remark.

The name columns (หน่วยงาน, รายการ, ข้อคำถาม) are for people and are not read back. A row whose
score cells are all empty is skipped, so a template can be imported half filled.

``score_workbook`` describes the workbook to portal_core.workbook_import, which checks the file,
reads both sheets and runs each kind of row through its resource (assessments.resources) inside
one transaction: a dry run always rolls back, and a real import rolls back when any row of any
sheet is wrong, so a bad file never leaves half its rows.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from assessments.frameworks import framework_for
from assessments.models import (
    Assessment,
    FiscalYear,
    Framework,
    IndicatorScore,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    ToolScore,
)
from assessments.resources import (
    INDICATOR_COLUMN,
    LEVEL_COLUMN,
    LOWEST_SHARE_COLUMN,
    OFFICIAL_SCORE_COLUMN,
    PART_COLUMN,
    QUESTION_COLUMN,
    REMARK_COLUMN,
    SCORE_COLUMN,
    SUB_INDICATOR_COLUMN,
    TOOL_COLUMN,
    UNIT_COLUMN,
    YEAR_COLUMN,
    AssessmentScoreResource,
    IndicatorScoreResource,
    QuestionScoreResource,
    ScoreSheetResource,
    SubIndicatorScoreResource,
    ToolScoreResource,
)
from portal_core.excel import (
    ImportReport,
    OutSheet,
    RowOutcome,
    SheetData,
    SheetRow,
    csv_bytes,
    report_formula_cells,
    require_columns,
    workbook_bytes,
)
from portal_core.workbook_import import Batch, SheetSpec, run_import

ITEMS_SHEET = "คะแนนรายตัวชี้วัด"
QUESTIONS_SHEET = "คะแนนรายข้อ"
UNIT_NAME_COLUMN = "หน่วยงาน"
KIND_COLUMN = "ประเภท"
CODE_COLUMN = "รหัส"
ITEM_NAME_COLUMN = "รายการ"
QUESTION_TEXT_COLUMN = "ข้อคำถาม"

ITEMS_HEADERS = [
    UNIT_COLUMN,
    UNIT_NAME_COLUMN,
    YEAR_COLUMN,
    KIND_COLUMN,
    CODE_COLUMN,
    PART_COLUMN,
    ITEM_NAME_COLUMN,
    SCORE_COLUMN,
    LEVEL_COLUMN,
]
QUESTIONS_HEADERS = [
    UNIT_COLUMN,
    UNIT_NAME_COLUMN,
    YEAR_COLUMN,
    INDICATOR_COLUMN,
    QUESTION_COLUMN,
    QUESTION_TEXT_COLUMN,
    SCORE_COLUMN,
    LOWEST_SHARE_COLUMN,
    REMARK_COLUMN,
]
ITEMS_REQUIRED = [UNIT_COLUMN, YEAR_COLUMN, KIND_COLUMN, CODE_COLUMN, SCORE_COLUMN]
QUESTIONS_REQUIRED = [UNIT_COLUMN, YEAR_COLUMN, QUESTION_COLUMN, SCORE_COLUMN]

KIND_OVERALL = "คะแนนรวม"
KIND_TOOL = "เครื่องมือ"
KIND_INDICATOR = "ตัวชี้วัด"
KIND_SUB_INDICATOR = "ตัวชี้วัดย่อย"
KIND_QUESTION = "ข้อคำถาม"
ITEM_KINDS = (KIND_OVERALL, KIND_TOOL, KIND_INDICATOR, KIND_SUB_INDICATOR)

WIDTHS = {
    UNIT_COLUMN: 16,
    UNIT_NAME_COLUMN: 24,
    YEAR_COLUMN: 11,
    KIND_COLUMN: 13,
    CODE_COLUMN: 8,
    PART_COLUMN: 8,
    ITEM_NAME_COLUMN: 48,
    INDICATOR_COLUMN: 10,
    QUESTION_COLUMN: 9,
    QUESTION_TEXT_COLUMN: 60,
    SCORE_COLUMN: 10,
    LEVEL_COLUMN: 14,
    LOWEST_SHARE_COLUMN: 16,
    REMARK_COLUMN: 48,
}
NUMBER_FORMATS = {SCORE_COLUMN: "0.00", LOWEST_SHARE_COLUMN: "0.00"}


@dataclass(frozen=True)
class RowKind:
    """How one kind of row is imported: its resource, sheet columns read as resource columns,
    and the sheet columns that hold its values (all empty = the row is skipped)."""

    resource_class: type[ScoreSheetResource]
    columns: dict[str, str]  # resource column → sheet column
    value_columns: tuple[str, ...]


_KEY = {UNIT_COLUMN: UNIT_COLUMN, YEAR_COLUMN: YEAR_COLUMN}
ROW_KINDS = {
    KIND_OVERALL: RowKind(
        AssessmentScoreResource,
        {**_KEY, OFFICIAL_SCORE_COLUMN: SCORE_COLUMN, LEVEL_COLUMN: LEVEL_COLUMN},
        (SCORE_COLUMN, LEVEL_COLUMN),
    ),
    KIND_TOOL: RowKind(
        ToolScoreResource,
        {**_KEY, TOOL_COLUMN: CODE_COLUMN, PART_COLUMN: PART_COLUMN, SCORE_COLUMN: SCORE_COLUMN},
        (SCORE_COLUMN,),
    ),
    KIND_INDICATOR: RowKind(
        IndicatorScoreResource,
        {**_KEY, INDICATOR_COLUMN: CODE_COLUMN, SCORE_COLUMN: SCORE_COLUMN},
        (SCORE_COLUMN,),
    ),
    KIND_SUB_INDICATOR: RowKind(
        SubIndicatorScoreResource,
        {**_KEY, SUB_INDICATOR_COLUMN: CODE_COLUMN, SCORE_COLUMN: SCORE_COLUMN},
        (SCORE_COLUMN,),
    ),
    KIND_QUESTION: RowKind(
        QuestionScoreResource,
        {
            **_KEY,
            QUESTION_COLUMN: QUESTION_COLUMN,
            SCORE_COLUMN: SCORE_COLUMN,
            LOWEST_SHARE_COLUMN: LOWEST_SHARE_COLUMN,
            REMARK_COLUMN: REMARK_COLUMN,
        },
        (SCORE_COLUMN, LOWEST_SHARE_COLUMN, REMARK_COLUMN),
    ),
}


# --- writing: template and export -----------------------------------------------------------


def _items_of(framework: Framework):
    tools = list(framework.tools.all())
    indicators = list(framework.indicators.all())
    subs = list(
        SubIndicator.objects.filter(indicator__framework=framework).order_by(
            "indicator__number", "code"
        )
    )
    questions = list(
        Question.objects.filter(framework=framework).select_related("indicator").order_by("order")
    )
    return tools, indicators, subs, questions


def _tool_rows(tool) -> list[tuple[int, str]]:
    """The (part, label) rows of a tool: its parts when it has them, else the whole tool."""
    if tool.parts:
        return [(part, f"{tool.name} ส่วนที่ {part}") for part in range(1, tool.parts + 1)]
    return [(0, tool.name)]


def _part_text(part: int):
    return part or None


def _unit_cells(unit: OrgUnit, fiscal_year: FiscalYear) -> list:
    return [unit.code, unit.name, fiscal_year.year]


def _template_rows(fiscal_year: FiscalYear, units: list[OrgUnit]) -> tuple[list, list]:
    by_framework = {f.pk: _items_of(f) for f in fiscal_year.frameworks()}
    items, question_rows = [], []
    for unit in units:
        tools, indicators, subs, questions = by_framework[framework_for(unit, fiscal_year).pk]
        head = _unit_cells(unit, fiscal_year)
        items.append([*head, KIND_OVERALL, None, None, "คะแนนรวม ITA", None, None])
        for tool in tools:
            for part, label in _tool_rows(tool):
                items.append([*head, KIND_TOOL, tool.code, _part_text(part), label, None, None])
        for indicator in indicators:
            items.append(
                [*head, KIND_INDICATOR, indicator.number, None, indicator.name, None, None]
            )
        for sub in subs:
            items.append([*head, KIND_SUB_INDICATOR, sub.code, None, sub.name, None, None])
        for question in questions:
            question_rows.append(
                [*head, question.indicator.number, question.code, question.display_text]
                + [None, None, None]
            )
    return items, question_rows


def _export_rows(fiscal_year: FiscalYear, units: list[OrgUnit]) -> tuple[list, list]:
    assessments = list(
        Assessment.objects.filter(fiscal_year=fiscal_year, unit__in=units).select_related("unit")
    )
    scores = defaultdict(list)
    for model, related, order in (
        (ToolScore, "tool", ("tool__order", "part")),
        (IndicatorScore, "indicator", ("indicator__number",)),
        (
            SubIndicatorScore,
            "sub_indicator",
            ("sub_indicator__indicator__number", "sub_indicator__code"),
        ),
        (QuestionScore, "question__indicator", ("question__order",)),
    ):
        for score in (
            model.objects.filter(assessment__in=assessments)
            .select_related(related)
            .order_by("assessment", *order)
        ):
            scores[(model, score.assessment_id)].append(score)
    items, question_rows = [], []
    order = {unit.pk: position for position, unit in enumerate(units)}
    for assessment in sorted(assessments, key=lambda a: order[a.unit_id]):
        head = _unit_cells(assessment.unit, fiscal_year)
        if assessment.official_score is not None or assessment.official_level:
            items.append(
                [*head, KIND_OVERALL, None, None, "คะแนนรวม ITA", assessment.official_score,
                 assessment.official_level or None]
            )  # fmt: skip
        for score in scores[(ToolScore, assessment.pk)]:
            label = dict(_tool_rows(score.tool)).get(score.part, score.tool.name)
            items.append(
                [
                    *head,
                    KIND_TOOL,
                    score.tool.code,
                    _part_text(score.part),
                    label,
                    score.score,
                    None,
                ]
            )
        for score in scores[(IndicatorScore, assessment.pk)]:
            indicator = score.indicator
            items.append(
                [*head, KIND_INDICATOR, indicator.number, None, indicator.name, score.score, None]
            )
        for score in scores[(SubIndicatorScore, assessment.pk)]:
            sub = score.sub_indicator
            items.append([*head, KIND_SUB_INDICATOR, sub.code, None, sub.name, score.score, None])
        for score in scores[(QuestionScore, assessment.pk)]:
            question = score.question
            question_rows.append(
                [*head, question.indicator.number, question.code, question.display_text,
                 score.score, score.lowest_option_share, score.remark or None]
            )  # fmt: skip
    return items, question_rows


def _sheets(items: list, questions: list) -> list[OutSheet]:
    return [
        OutSheet(ITEMS_SHEET, ITEMS_HEADERS, items, WIDTHS, NUMBER_FORMATS),
        OutSheet(QUESTIONS_SHEET, QUESTIONS_HEADERS, questions, WIDTHS, NUMBER_FORMATS),
    ]


def score_template(fiscal_year: FiscalYear, units: list[OrgUnit]) -> bytes:
    """An .xlsx template: every item of the year's framework for every unit, scores empty."""
    return workbook_bytes(_sheets(*_template_rows(fiscal_year, units)))


def score_export(fiscal_year: FiscalYear, units: list[OrgUnit]) -> bytes:
    """The units' scores of the year as an .xlsx workbook that imports back unchanged."""
    return workbook_bytes(_sheets(*_export_rows(fiscal_year, units)))


def score_export_csv(fiscal_year: FiscalYear, units: list[OrgUnit], *, questions: bool) -> bytes:
    """One sheet of the export (items, or questions) as UTF-8 CSV with a byte-order mark."""
    items, question_rows = _export_rows(fiscal_year, units)
    if questions:
        return csv_bytes(QUESTIONS_HEADERS, question_rows)
    return csv_bytes(ITEMS_HEADERS, items)


# --- reading an upload back --------------------------------------------------------------------


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _label(kind: str, row: SheetRow) -> str:
    unit = row.values.get(UNIT_COLUMN) or "–"
    if kind == KIND_QUESTION:
        return f"{unit} ข้อ {row.values.get(QUESTION_COLUMN) or '–'}"
    if kind == KIND_OVERALL:
        return f"{unit} คะแนนรวม"
    part = row.values.get(PART_COLUMN)
    part_text = f" ส่วนที่ {part}" if not _blank(part) and str(part) != "0" else ""
    return f"{unit} {kind} {row.values.get(CODE_COLUMN) or '–'}{part_text}"


def _sort_rows(
    report: ImportReport, items: SheetData, questions: SheetData
) -> dict[str, list[SheetRow]]:
    """Group the rows by kind; empty rows are skipped, rows of an unknown kind are errors."""
    formula_rows = {
        ITEMS_SHEET: report_formula_cells(report, items),
        QUESTIONS_SHEET: report_formula_cells(report, questions),
    }
    rows_of: dict[str, list[SheetRow]] = {kind: [] for kind in (*ITEM_KINDS, KIND_QUESTION)}
    for sheet, rows in ((items, items.rows), (questions, questions.rows)):
        for row in rows:
            if sheet is questions:
                kind = KIND_QUESTION
            else:
                kind = " ".join(str(row.values.get(KIND_COLUMN) or "").split())
                if kind not in ITEM_KINDS:
                    message = (
                        f"ต้องระบุ{KIND_COLUMN}"
                        if not kind
                        else f"ไม่รู้จักประเภท “{kind}” (ใช้ {', '.join(ITEM_KINDS)})"
                    )
                    report.error(sheet, row.number, KIND_COLUMN, message)
                    report.rows.append(RowOutcome(sheet.title, row.number, "error", kind or "–"))
                    continue
            label = _label(kind, row)
            if row.number in formula_rows[sheet.title]:
                report.rows.append(RowOutcome(sheet.title, row.number, "error", label))
                continue
            if all(_blank(row.values.get(c)) for c in ROW_KINDS[kind].value_columns):
                report.rows.append(RowOutcome(sheet.title, row.number, "empty", label))
                continue
            rows_of[kind].append(row)
    return rows_of


def score_workbook(*, units: list[OrgUnit], fiscal_year: FiscalYear) -> SheetSpec:
    """The score workbook of these units and this fiscal year, as the import engine reads it:
    each kind of row through its resource, rows naming other units or years refused."""

    def batches(report: ImportReport, sheets: dict[str, SheetData]) -> list[Batch] | None:
        items = require_columns(report, sheets, ITEMS_SHEET, ITEMS_REQUIRED)
        questions = require_columns(report, sheets, QUESTIONS_SHEET, QUESTIONS_REQUIRED)
        if items is None or questions is None:
            return None
        return [
            Batch(
                sheet=questions if kind == KIND_QUESTION else items,
                rows=rows,
                resource=ROW_KINDS[kind].resource_class(units=units, fiscal_year=fiscal_year),
                columns=ROW_KINDS[kind].columns,
                label=partial(_label, kind),
            )
            for kind, rows in _sort_rows(report, items, questions).items()
            if rows
        ]

    return SheetSpec(titles=(ITEMS_SHEET, QUESTIONS_SHEET), batches=batches)


def import_score_workbook(
    data: bytes,
    *,
    units: list[OrgUnit],
    fiscal_year: FiscalYear,
    user,
    dry_run: bool,
    checked: bool = False,
) -> ImportReport:
    """Check and import a score workbook for these units and this fiscal year.

    Returns the report of every row and error. With ``dry_run`` nothing is kept; otherwise
    everything is kept only when the report has no error (one transaction, all or nothing).
    """
    spec = score_workbook(units=units, fiscal_year=fiscal_year)
    return run_import(data, spec=spec, dry_run=dry_run, user=user, checked=checked)
