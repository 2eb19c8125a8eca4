"""A unit's measures plan as an Excel workbook, in seed 004's columns, and reading it back in.

The workbook's first sheet, "มาตรการ", has one row per measure (measures.resources.PLAN_COLUMNS);
two more sheets list the unit's divisions and the year's indicators as staff may write them. On
import, the plan sheet is found by its title (or is the first visible sheet; a hidden sheet of
that title is refused, portal_core.excel.require_columns); headers are matched with line breaks
and spaces ignored, as seed 004 breaks "ระยะเวลา/แล้วเสร็จ" over two lines; a merged cell counts
for every row it spans (portal_core.excel.read_sheets, as in the score import), and a blank
indicator cell repeats the indicator above (the plan groups measures under one indicator cell).

The weaknesses of an assessment are written as one sheet, "จุดอ่อน", and read back by รหัสจุดอ่อน
(their analysis texts; the columns that say what a weakness is are for reading only).

``plan_workbook`` and ``weakness_workbook`` describe the two workbooks to
portal_core.workbook_import: a dry run always rolls back; a real import rolls back when any row
is wrong.
"""

import tablib

from assessments.frameworks import framework_id_for
from assessments.models import FiscalYear, Indicator, OrgUnit
from measures.resources import (
    ACTIVITY_COLUMN,
    KEY_COLUMN,
    PLAN_COLUMNS,
    PLAN_INDICATOR_COLUMN,
    WEAKNESS_KEY_COLUMN,
    WEAKNESS_TOPIC_COLUMN,
    MeasurePlanResource,
    WeaknessResource,
)
from portal_core.excel import (
    ImportReport,
    OutSheet,
    RowOutcome,
    SheetData,
    csv_bytes,
    report_formula_cells,
    require_columns,
    workbook_bytes,
)
from portal_core.workbook_import import Batch, SheetSpec, run_import

PLAN_SHEET = "มาตรการ"
DIVISIONS_SHEET = "รายชื่อฝ่าย"
INDICATORS_SHEET = "ตัวชี้วัด"
WEAKNESS_SHEET = "จุดอ่อน"
PLAN_WIDTHS = {
    KEY_COLUMN: 11,
    PLAN_INDICATOR_COLUMN: 22,
    PLAN_COLUMNS[2]: 34,
    ACTIVITY_COLUMN: 40,
    PLAN_COLUMNS[4]: 26,
    PLAN_COLUMNS[5]: 26,
    PLAN_COLUMNS[6]: 14,
    PLAN_COLUMNS[7]: 18,
    PLAN_COLUMNS[8]: 16,
}


def _plan_rows(unit: OrgUnit, fiscal_year: FiscalYear) -> tablib.Dataset:
    resource = MeasurePlanResource(unit=unit, fiscal_year=fiscal_year)
    return resource.export(queryset=resource.get_queryset())


def _reference_sheets(unit: OrgUnit, fiscal_year: FiscalYear) -> list[OutSheet]:
    divisions = OrgUnit.objects.divisions_of(unit).order_by("order", "name")
    indicators = Indicator.objects.filter(framework=framework_id_for(unit, fiscal_year)).order_by(
        "number"
    )
    return [
        OutSheet(DIVISIONS_SHEET, ["ฝ่าย"], [[d.name] for d in divisions], {"ฝ่าย": 40}),
        OutSheet(
            INDICATORS_SHEET,
            [PLAN_INDICATOR_COLUMN],
            [[f"{i.number}) {i.name}"] for i in indicators],
            {PLAN_INDICATOR_COLUMN: 40},
        ),
    ]


def plan_export(unit: OrgUnit, fiscal_year: FiscalYear) -> bytes:
    """The unit's measures of the year as an .xlsx plan (with its reference sheets) that imports
    back unchanged; with no measures yet it is the empty template."""
    plan = _plan_rows(unit, fiscal_year)
    sheets = [OutSheet(PLAN_SHEET, PLAN_COLUMNS, [list(r) for r in plan], PLAN_WIDTHS)]
    return workbook_bytes(sheets + _reference_sheets(unit, fiscal_year))


def plan_export_csv(unit: OrgUnit, fiscal_year: FiscalYear) -> bytes:
    """The plan sheet alone as UTF-8 CSV with a byte-order mark."""
    return csv_bytes(PLAN_COLUMNS, [list(r) for r in _plan_rows(unit, fiscal_year)])


def _weakness_rows(assessment) -> tablib.Dataset:
    resource = WeaknessResource(assessment=assessment)
    return resource.export(queryset=resource.get_queryset())


def weaknesses_export(assessment) -> bytes:
    """An assessment's weaknesses as .xlsx."""
    dataset = _weakness_rows(assessment)
    widths = {h: 40 for h in ("หัวข้อการประเมิน", "การวิเคราะห์", "การดำเนินการแก้ไขข้อบกพร่อง")}
    return workbook_bytes(
        [OutSheet(WEAKNESS_SHEET, dataset.headers, [list(r) for r in dataset], widths)]
    )


def weaknesses_export_csv(assessment) -> bytes:
    """An assessment's weaknesses as UTF-8 CSV with a byte-order mark."""
    dataset = _weakness_rows(assessment)
    return csv_bytes(dataset.headers, [list(r) for r in dataset])


# --- reading an upload back ---------------------------------------------------------------------


def _canonical_headers(sheet: SheetData) -> None:
    """Rename headers written with other line breaks or spaces to the plan's own headers."""
    known = {"".join(h.split()): h for h in PLAN_COLUMNS}
    renamed = [known.get("".join(h.split()), h) for h in sheet.headers]
    for row in sheet.rows:
        row.values = {known.get("".join(h.split()), h): v for h, v in row.values.items()}
        row.formulas_without_value = [
            known.get("".join(h.split()), h) for h in row.formulas_without_value
        ]
    sheet.headers = renamed


def _fill_down_indicators(sheet: SheetData) -> None:
    previous = None
    for row in sheet.rows:
        value = row.values.get(PLAN_INDICATOR_COLUMN)
        if value is None or (isinstance(value, str) and not value.strip()):
            row.values[PLAN_INDICATOR_COLUMN] = previous
        else:
            previous = value


def _label(row) -> str:
    activity = " ".join(str(row.values.get(ACTIVITY_COLUMN) or "").split())
    return activity[:80] + ("…" if len(activity) > 80 else "") or "–"


def _plan_sheet(report: ImportReport, sheets: dict[str, SheetData]) -> SheetData | None:
    """The sheet titled มาตรการ (refused when hidden), or else the first visible sheet."""
    visible = [title for title, sheet in sheets.items() if not sheet.hidden]
    title = PLAN_SHEET if PLAN_SHEET in sheets or not visible else visible[0]
    if title in sheets:
        _canonical_headers(sheets[title])
    return require_columns(report, sheets, title, PLAN_COLUMNS[1:])


def plan_workbook(*, unit: OrgUnit, fiscal_year: FiscalYear) -> SheetSpec:
    """The measures plan of the unit for the fiscal year, as the import engine reads it."""

    def batches(report: ImportReport, sheets: dict[str, SheetData]) -> list[Batch] | None:
        sheet = _plan_sheet(report, sheets)
        if sheet is None:
            return None
        _fill_down_indicators(sheet)
        formula_rows = report_formula_cells(report, sheet)
        for number in sorted(formula_rows):
            report.rows.append(RowOutcome(sheet.title, number, "error", "–"))
        return [
            Batch(
                sheet=sheet,
                rows=[row for row in sheet.rows if row.number not in formula_rows],
                resource=MeasurePlanResource(unit=unit, fiscal_year=fiscal_year),
                columns={header: header for header in PLAN_COLUMNS},
                label=_label,
            )
        ]

    return SheetSpec(titles=None, batches=batches)


def _weakness_label(row) -> str:
    topic = " ".join(str(row.values.get(WEAKNESS_TOPIC_COLUMN) or "").split())
    key = row.values.get(WEAKNESS_KEY_COLUMN)
    return f"รหัส {key if key is not None else '–'} {topic[:60]}{'…' if len(topic) > 60 else ''}"


def weakness_workbook(*, assessment) -> SheetSpec:
    """The weaknesses of an assessment as weaknesses_export writes them, read back by
    รหัสจุดอ่อน; only the columns the sheet has are read, so a column left out changes nothing."""

    def batches(report: ImportReport, sheets: dict[str, SheetData]) -> list[Batch] | None:
        sheet = require_columns(report, sheets, WEAKNESS_SHEET, [WEAKNESS_KEY_COLUMN])
        if sheet is None:
            return None
        formula_rows = report_formula_cells(report, sheet)
        for number in sorted(formula_rows):
            report.rows.append(RowOutcome(sheet.title, number, "error", "–"))
        resource = WeaknessResource(assessment=assessment)
        known = {field.column_name for field in resource.fields.values()}
        return [
            Batch(
                sheet=sheet,
                rows=[row for row in sheet.rows if row.number not in formula_rows],
                resource=resource,
                columns={header: header for header in sheet.headers if header in known},
                label=_weakness_label,
            )
        ]

    return SheetSpec(titles=(WEAKNESS_SHEET,), batches=batches)


def import_plan_workbook(
    data: bytes,
    *,
    unit: OrgUnit,
    fiscal_year: FiscalYear,
    user,
    dry_run: bool,
    checked: bool = False,
) -> ImportReport:
    """Check and import a measures plan of the unit for the fiscal year.

    Returns the report of every row and error. With ``dry_run`` nothing is kept; otherwise the
    measures are created or updated only when the report has no error (all or nothing).
    """
    spec = plan_workbook(unit=unit, fiscal_year=fiscal_year)
    return run_import(data, spec=spec, dry_run=dry_run, user=user, checked=checked)
