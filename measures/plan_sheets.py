"""A unit's measures plan as an Excel workbook, in seed 004's columns, and reading it back in.

The workbook's first sheet, "มาตรการ", has one row per measure (measures.resources.PLAN_COLUMNS);
two more sheets list the unit's divisions and the year's indicators as staff may write them. On
import, the plan sheet is found by its title (or is the first visible sheet; a hidden sheet of
that title is refused, assessments.excel.require_columns); headers are matched with line breaks
and spaces ignored, as seed 004 breaks "ระยะเวลา/แล้วเสร็จ" over two lines; a merged cell counts
for every row it spans (assessments.excel.read_sheets, as in the score import), and a blank
indicator cell repeats the indicator above (the plan groups measures under one indicator cell).
A dry run always rolls back; a real import rolls back when any row is wrong.
"""

import tablib
from django.db import transaction

from assessments.excel import (
    ExcelFileError,
    ImportReport,
    OutSheet,
    RowOutcome,
    SheetData,
    check_xlsx,
    csv_bytes,
    read_sheets,
    report_formula_cells,
    report_save_errors,
    require_columns,
    workbook_bytes,
)
from assessments.frameworks import framework_id_for
from assessments.models import FiscalYear, Indicator, OrgUnit
from measures.resources import (
    ACTIVITY_COLUMN,
    INDICATOR_COLUMN,
    KEY_COLUMN,
    PLAN_COLUMNS,
    MeasurePlanResource,
    WeaknessResource,
)

PLAN_SHEET = "มาตรการ"
DIVISIONS_SHEET = "รายชื่อฝ่าย"
INDICATORS_SHEET = "ตัวชี้วัด"
WEAKNESS_SHEET = "จุดอ่อน"
PLAN_WIDTHS = {
    KEY_COLUMN: 11,
    INDICATOR_COLUMN: 22,
    PLAN_COLUMNS[2]: 34,
    ACTIVITY_COLUMN: 40,
    PLAN_COLUMNS[4]: 26,
    PLAN_COLUMNS[5]: 26,
    PLAN_COLUMNS[6]: 14,
    PLAN_COLUMNS[7]: 18,
    PLAN_COLUMNS[8]: 16,
}
IMPORT_TYPES = {"new": "new", "update": "changed", "skip": "unchanged"}


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
            [INDICATOR_COLUMN],
            [[f"{i.number}) {i.name}"] for i in indicators],
            {INDICATOR_COLUMN: 40},
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
        value = row.values.get(INDICATOR_COLUMN)
        if value is None or (isinstance(value, str) and not value.strip()):
            row.values[INDICATOR_COLUMN] = previous
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


def import_plan_workbook(
    data: bytes, *, unit: OrgUnit, fiscal_year: FiscalYear, user, dry_run: bool
) -> ImportReport:
    """Check and import a measures plan of the unit for the fiscal year.

    Returns the report of every row and error. With ``dry_run`` nothing is kept; otherwise the
    measures are created or updated only when the report has no error (all or nothing).
    """
    report = ImportReport()
    try:
        check_xlsx(data)
        sheets = read_sheets(data)
    except ExcelFileError as exc:
        report.error(None, None, "", str(exc))
        return report
    sheet = _plan_sheet(report, sheets)
    if sheet is None:
        return report
    _fill_down_indicators(sheet)
    formula_rows = report_formula_cells(report, sheet)
    rows = [row for row in sheet.rows if row.number not in formula_rows]
    for number in sorted(formula_rows):
        report.rows.append(RowOutcome(sheet.title, number, "error", "–"))
    dataset = tablib.Dataset(
        *[[row.values.get(h) for h in PLAN_COLUMNS] for row in rows], headers=PLAN_COLUMNS
    )
    resource = MeasurePlanResource(
        unit=unit, fiscal_year=fiscal_year, row_numbers=[row.number for row in rows]
    )
    with transaction.atomic():
        result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, user=user)
        for number, (row, row_result) in enumerate(zip(rows, result.rows, strict=True), 1):
            outcome = IMPORT_TYPES.get(row_result.import_type, "error")
            changes = resource.row_changes.get(number, []) if outcome == "changed" else []
            report.rows.append(RowOutcome(sheet.title, row.number, outcome, _label(row), changes))
        for invalid in result.invalid_rows:
            row = rows[invalid.number - 1]
            for column, messages in invalid.error_dict.items():
                header = column if column in PLAN_COLUMNS else ""
                for message in messages:
                    report.error(sheet, row.number, header, message)
        report_save_errors(report, sheet, result, [row.number for row in rows])
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    report.rows.sort(key=lambda r: r.row)
    return report
