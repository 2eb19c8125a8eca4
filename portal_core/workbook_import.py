"""One engine for every workbook import of the portal: check → read → batches → resources →
report, in one transaction.

An app describes its workbook with a ``SheetSpec``: which sheets to read and how their rows
become ``Batch``es, each the rows of one sheet bound for one django-import-export resource
(portal_core.sheet_resources.NaturalKeyResource), with the sheet's column of every resource
column. ``run_import`` does the rest the same way for the score sheets, the measures plan and
the weaknesses:

- the file is checked (``check_xlsx``) unless the caller says it already was (a stored upload
  was checked when it came in, portal_core.excel.ExcelUploadForm), and read (``read_sheets``);
- each batch is imported by its resource; the result becomes one ``RowOutcome`` per row (with
  the row's changes) and one ``CellError`` per error, located at the sheet's own column;
- a dry run always rolls back, and a real import rolls back when any row of any sheet is wrong,
  so a bad file never leaves half its rows.

``first_sheet_dataset`` gives django-import-export's own imports (the admin's, one sheet per
model) the same checks: the file's first sheet as a ``tablib.Dataset``, read by ``read_sheets``
and refused as a whole, in Thai, where the workbook rules refuse it.
"""

from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.db import transaction

from portal_core.excel import (
    OUTCOME_ERROR,
    ExcelFileError,
    ImportReport,
    RowOutcome,
    SheetData,
    SheetRow,
    check_xlsx,
    read_sheets,
    report_formula_cells,
    report_save_errors,
    require_columns,
)

IMPORT_TYPES = {"new": "new", "update": "changed", "skip": "unchanged"}


def shown(value) -> str:
    """A value as the dry run shows it in a row's changes: "–" for nothing."""
    return "–" if value is None or value == "" else str(value)


@dataclass
class Batch:
    """The rows of one sheet on their way into one resource.

    ``columns`` maps each resource column to the sheet column it is read from (and its errors
    are reported at); ``label`` names a row for the dry run.
    """

    sheet: SheetData
    rows: list[SheetRow]
    resource: object
    columns: dict[str, str]
    label: Callable[[SheetRow], str]


@dataclass(frozen=True)
class SheetSpec:
    """What one kind of workbook is.

    ``titles`` are the sheets to read (None: every sheet), in the order the report lists their
    rows. ``batches`` turns the read sheets into batches, recording in the report what it
    refuses on the way (a missing column, a formula cell without a value, an unknown kind of
    row); it returns None when the file cannot be imported at all.
    """

    titles: tuple[str, ...] | None
    batches: Callable[[ImportReport, dict[str, SheetData]], list[Batch] | None]


def run_import(data: bytes, *, spec: SheetSpec, dry_run: bool, user, checked: bool = False):
    """Check and import a workbook as ``spec`` describes it; the report of every row and error.

    With ``dry_run`` nothing is kept; otherwise everything is kept only when the report has no
    error (one transaction, all or nothing). ``checked`` skips ``check_xlsx`` for a file that
    passed it when it was uploaded.
    """
    report = ImportReport()
    try:
        if not checked:
            check_xlsx(data)
        sheets = read_sheets(data, titles=spec.titles)
    except ExcelFileError as exc:
        report.error(None, None, "", str(exc))
        return report
    batches = spec.batches(report, sheets)
    if batches is None:
        return report
    with transaction.atomic():
        for batch in batches:
            _run_batch(report, batch, dry_run=dry_run, user=user)
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    report.notes = sorted(set(report.notes))
    order = {title: position for position, title in enumerate(spec.titles or ())}
    report.rows.sort(key=lambda r: (order.get(r.sheet, 0), r.row))
    return report


def _run_batch(report: ImportReport, batch: Batch, *, dry_run: bool, user) -> None:
    headers = list(batch.columns)
    dataset = tablib.Dataset(
        *[[row.values.get(batch.columns[h]) for h in headers] for row in batch.rows],
        headers=headers,
    )
    resource = batch.resource
    numbers = [row.number for row in batch.rows]
    resource.row_numbers = numbers
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, user=user)
    report.notes.extend(resource.import_notes())
    for number, (row, row_result) in enumerate(zip(batch.rows, result.rows, strict=True), 1):
        outcome = IMPORT_TYPES.get(row_result.import_type, OUTCOME_ERROR)
        changes = [
            (batch.columns.get(column, column), shown(old), shown(new))
            for column, old, new in resource.row_changes.get(number, [])
        ]
        report.rows.append(
            RowOutcome(batch.sheet.title, row.number, outcome, batch.label(row), changes)
        )
    for invalid in result.invalid_rows:
        row = batch.rows[invalid.number - 1]
        for column, messages in invalid.error_dict.items():
            header = batch.columns.get(column, "")
            for message in messages:
                report.error(batch.sheet, row.number, header, message)
    report_save_errors(report, batch.sheet, result, numbers)


def first_sheet_dataset(data: bytes) -> tablib.Dataset:
    """The first sheet of a workbook as a dataset, under the rules of every import.

    The file is checked (``check_xlsx``) and read (``read_sheets``: headers with their spaces
    and line breaks folded, merged cells, percentages as shown); a hidden sheet, hidden rows or
    columns, and formula cells without a cached value raise ExcelFileError naming them.
    """
    check_xlsx(data)
    sheets = read_sheets(data, titles=None)
    if not sheets:
        raise ExcelFileError("ไม่พบแผ่นงานในไฟล์")
    report = ImportReport()
    sheet = require_columns(report, sheets, next(iter(sheets)), [])
    if sheet is not None:
        report_formula_cells(report, sheet)
    if not report.ok:
        raise ExcelFileError(" · ".join(f"{e.where}: {e.message}" for e in report.sorted_errors()))
    return tablib.Dataset(
        *[[row.values.get(h) for h in sheet.headers] for row in sheet.rows],
        headers=sheet.headers,
    )
