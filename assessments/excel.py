"""Excel files in and out: what every import and export of the portal shares.

- ``check_xlsx`` refuses what is not an .xlsx workbook by its content, not its name: a ZIP holding
  ``[Content_Types].xml`` and ``xl/workbook.xml``; macro-enabled (.xlsm) and old .xls files are
  refused with their own message, and so is a file over 10 MB or a ZIP whose directory declares
  more than MAX_ZIP_ENTRIES entries or MAX_UNPACKED_BYTES unpacked (a zip bomb), all before
  openpyxl opens anything (assessments.uploads.check_zip_package).
- ``read_sheets`` reads the values Excel cached, once. A formula cell without a cached value (a
  file written by a program and never opened in Excel) is reported at its cell instead of reading
  as empty: a quick scan of the sheets' XML finds whether the file may hold one, and only then is
  the file read a second time for its formulas.
- Against formula injection, text beginning with ``= + - @`` (or a tab or carriage return) is
  written to .xlsx as a text cell with Excel's quote prefix, so the cell shows the text as typed,
  is never a formula and stays text when edited; CSV has no cell types, so it gets a leading
  apostrophe there. Text beginning with an apostrophe also gets one, so ``unescape_text`` of
  what we wrote gives back exactly the original text.
- ``PendingImport`` keeps an uploaded file between the dry run and the confirmation, on the
  shared media storage under ``imports/`` with a random name, tied to the uploader's session.
- ``ExcelUploadForm`` takes the upload and runs the content check.
- ``ImportReport`` is what a dry run shows: every row's outcome and every error with its sheet,
  Excel row, column and Thai message.
"""

import csv
import datetime
import io
import itertools
import re
import secrets
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from assessments.uploads import check_size, check_zip_package, safe_filename

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_STARTS = (*FORMULA_STARTS, "'")

NOT_XLSX = "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาบันทึกเป็นไฟล์ Excel Workbook (.xlsx) แล้วนำเข้าใหม่"
OLD_XLS = "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น Excel Workbook (.xlsx) แล้วนำเข้าใหม่"
MACRO_XLSM = "ไฟล์นี้มีแมโคร (.xlsm) ระบบรับเฉพาะไฟล์ Excel Workbook (.xlsx) ที่ไม่มีแมโคร"
TOO_BIG = "ไฟล์มีขนาดเกิน 10 MB"
UNREADABLE = "เปิดไฟล์ Excel นี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกใหม่เป็น .xlsx แล้วนำเข้าอีกครั้ง"
FORMULA_WITHOUT_VALUE = "เซลล์สูตรไม่มีค่าที่คำนวณไว้"


class ExcelFileError(ValueError):
    """The file as a whole cannot be read; the message is Thai and meant for the uploader."""


# --- checking and reading ----------------------------------------------------------------------


def check_xlsx(data: bytes, filename: str = "") -> None:
    """Refuse anything that is not a plain .xlsx workbook, judged by its content."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ExcelFileError(TOO_BIG)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExcelFileError(OLD_XLS)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ExcelFileError(NOT_XLSX)
    try:
        names = check_zip_package(
            data, max_entries=MAX_ZIP_ENTRIES, max_unpacked_bytes=MAX_UNPACKED_BYTES
        )
    except ValidationError as exc:
        raise ExcelFileError(NOT_XLSX if exc.code == "not_zip" else exc.messages[0]) from exc
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ExcelFileError(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content_types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        raise ExcelFileError(NOT_XLSX) from exc
    if (
        "xl/vbaProject.bin" in names
        or b"macroEnabled" in content_types
        or filename.lower().endswith(".xlsm")
    ):
        raise ExcelFileError(MACRO_XLSM)


def unescape_text(value):
    """Undo the apostrophe that ``csv_text`` puts before text that could start a formula."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value


@dataclass
class SheetRow:
    """One non-blank data row: its Excel row number, values by header, formula cells by header."""

    number: int
    values: dict[str, object]
    formulas_without_value: list[str] = field(default_factory=list)


@dataclass
class SheetData:
    """One sheet as read: the header row (as written) and the non-blank rows under it."""

    title: str
    headers: list[str]
    rows: list[SheetRow]

    def column_letter(self, header: str) -> str:
        """The Excel column letter of a header ("" when the sheet has no such column)."""
        if header in self.headers:
            return get_column_letter(self.headers.index(header) + 1)
        return ""


def _header_text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _merged_values(sheet) -> dict[tuple[int, int], object]:
    """Every cell of a merged range mapped to the value of the range's top-left cell."""
    values = {}
    for merged in sheet.merged_cells.ranges:
        top_left = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                values[(row, col)] = top_left
    return values


# A formula element and a cached value element (<f> and <v>, under any namespace prefix), and the
# end of a cell. They only decide whether openpyxl must read the formulas too, so a doubtful
# match (CDATA, an inline string, a cell without its end tag) counts as a formula without value.
_FORMULA_TAG = re.compile(rb"<(?:[\w.-]+:)?f[\s/>]")
_CACHED_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?>[^<]")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")


def may_hold_formula_without_value(data: bytes) -> bool:
    """Whether a worksheet of this .xlsx file may hold a formula cell without a cached value.

    Scans the cells in the raw XML of every worksheet (a few milliseconds, against the hundreds
    openpyxl takes to parse the same XML), so that the usual file, with values only or with
    formulas Excel has calculated, is parsed once. It never answers no for a file with such a
    cell; a doubtful cell answers yes and openpyxl's formula reader decides.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            xml = archive.read(name)
            # cells live in a worksheet's sheetData; charts, and data validations after it, hold
            # formulas of their own
            first, last = xml.find(b"sheetData"), xml.rfind(b"sheetData")
            if first < 0:
                continue
            for formula in _FORMULA_TAG.finditer(xml, first, last):
                # <f> is a cell's first child, so the cell starts at the tag before it
                cell_start = xml.rfind(b"<", 0, formula.start())
                cell_end = _CELL_END.search(xml, formula.end())
                if cell_end is None:
                    return True
                cell = xml[cell_start : cell_end.start()]
                if b"inlineStr" in cell or not _CACHED_VALUE.search(cell):
                    return True
    return False


def read_sheets(data: bytes, *, fill_merged: bool = False) -> dict[str, SheetData]:
    """Every sheet of a checked .xlsx file, by title.

    Blank rows are left out; Excel row numbers are kept. With ``fill_merged`` (small files only:
    it needs the full, slower reader) each cell of a merged range reads as its top-left value.
    Each formula cell without a cached value is listed on its row (``formulas_without_value``).
    """
    try:
        values_book = load_workbook(io.BytesIO(data), read_only=not fill_merged, data_only=True)
        formula_book = (
            load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if may_hold_formula_without_value(data)
            else None
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ExcelFileError(UNREADABLE) from exc
    sheets = {}
    for values_sheet in values_book.worksheets:
        merged = _merged_values(values_sheet) if fill_merged else {}
        value_rows = values_sheet.iter_rows(values_only=True)
        headers = [_header_text(v) for v in next(value_rows, ())]
        while headers and not headers[-1]:
            headers.pop()
        # the formula types of the cells under the header, or none when no cell can lack a value
        formula_rows = (
            formula_book[values_sheet.title].iter_rows(min_row=2, max_col=len(headers))
            if formula_book is not None and headers
            else itertools.repeat(())
        )
        width = len(headers)
        padding = (None,) * width
        rows = []
        for number, (values, cells) in enumerate(zip(value_rows, formula_rows, strict=False), 2):
            line = [*values, *padding][:width]
            if merged:
                line = [merged.get((number, col), v) for col, v in enumerate(line, 1)]
            formulas = [
                headers[col]
                for col, cell in enumerate(cells)
                if cell.data_type == "f" and line[col] is None
            ]
            row_values = dict(zip(headers, line, strict=True))
            if formulas or not all(_is_blank(v) for v in row_values.values()):
                rows.append(SheetRow(number, row_values, formulas))
        sheets[values_sheet.title] = SheetData(values_sheet.title, headers, rows)
    values_book.close()
    if formula_book is not None:
        formula_book.close()
    return sheets


class ExcelUploadForm(forms.Form):
    """One uploaded .xlsx file, checked by its content; ``cleaned_data["content"]`` holds its
    bytes."""

    file = forms.FileField(
        label="ไฟล์ Excel (.xlsx)",
        error_messages={"required": "กรุณาเลือกไฟล์ Excel (.xlsx)", "empty": NOT_XLSX},
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload, MAX_UPLOAD_BYTES)
        upload.name = safe_filename(upload.name)
        content = upload.read()
        try:
            check_xlsx(content, upload.name)
        except ExcelFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        self.cleaned_data["content"] = content
        return upload


# --- writing ------------------------------------------------------------------------------------


@dataclass
class OutSheet:
    """A sheet to write: title, header row, data rows and optional column widths."""

    title: str
    headers: list[str]
    rows: list[list]
    widths: dict[str, float] = field(default_factory=dict)
    number_format: dict[str, str] = field(default_factory=dict)


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def _write_cell(sheet, row: int, col: int, value):
    cell = sheet.cell(row, col)
    if isinstance(value, str):
        if value.startswith("'"):
            value = "'" + value
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the text begins with
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        if "\n" in value:
            cell.alignment = WRAP
    else:
        cell.value = value
    return cell


def workbook_bytes(sheets: list[OutSheet]) -> bytes:
    """An .xlsx file of these sheets: bold header row, frozen, text never read as a formula."""
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.title)
        for col, header in enumerate(spec.headers, 1):
            cell = _write_cell(sheet, 1, col, header)
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            letter = get_column_letter(col)
            sheet.column_dimensions[letter].width = spec.widths.get(header, 14)
        for row_number, row in enumerate(spec.rows, 2):
            for col, value in enumerate(row, 1):
                cell = _write_cell(sheet, row_number, col, value)
                number_format = spec.number_format.get(spec.headers[col - 1])
                if number_format and isinstance(value, int | float | Decimal):
                    cell.number_format = number_format
        sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download of generated bytes under an ASCII file name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_text(value) -> str:
    """A cell as CSV text: numbers as they are, text that could start a formula escaped."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(ESCAPED_STARTS) else value
    return str(value)


def csv_bytes(headers: list[str], rows: list[list]) -> bytes:
    """A UTF-8 CSV file with a byte-order mark, so Excel opens Thai text correctly."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow([csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return stream.getvalue().encode("utf-8-sig")


# --- the dry-run report -------------------------------------------------------------------------

OUTCOME_NEW = "new"
OUTCOME_CHANGED = "changed"
OUTCOME_UNCHANGED = "unchanged"
OUTCOME_ERROR = "error"
OUTCOME_EMPTY = "empty"
OUTCOME_LABELS = {
    OUTCOME_NEW: "เพิ่มใหม่",
    OUTCOME_CHANGED: "แก้ไข",
    OUTCOME_UNCHANGED: "ไม่เปลี่ยนแปลง",
    OUTCOME_ERROR: "ผิดพลาด",
    OUTCOME_EMPTY: "ว่าง (ข้าม)",
}


@dataclass
class CellError:
    """One problem, located as staff find it in Excel: sheet, row, column letter and header."""

    sheet: str
    row: int | None
    column: str
    header: str
    message: str

    @property
    def where(self) -> str:
        """แผ่นงาน "…" แถว 5 คอลัมน์ C (คะแนน), as far as it is known."""
        parts = [f"แผ่นงาน “{self.sheet}”"] if self.sheet else []
        if self.row:
            parts.append(f"แถว {self.row}")
        if self.column:
            parts.append(f"คอลัมน์ {self.column} ({self.header})")
        elif self.header:
            parts.append(f"คอลัมน์ {self.header}")
        return " ".join(parts)


@dataclass
class RowOutcome:
    """What the import does with one row, and the changes it makes there."""

    sheet: str
    row: int
    outcome: str
    label: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ImportReport:
    """A dry run's or an import's findings: row outcomes, errors and notes for the page."""

    rows: list[RowOutcome] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong, so the import may be confirmed."""
        return not self.errors

    @property
    def counts(self) -> dict[str, int]:
        """How many rows of each outcome, in the order the page shows them."""
        tally = Counter(row.outcome for row in self.rows)
        return {OUTCOME_LABELS[key]: tally[key] for key in OUTCOME_LABELS}

    @property
    def writes(self) -> int:
        """Rows that would be added or changed."""
        return sum(row.outcome in (OUTCOME_NEW, OUTCOME_CHANGED) for row in self.rows)

    def error(self, sheet: SheetData | None, row: int | None, header: str, message: str) -> None:
        """Record an error at a cell of a sheet (or of the whole file when sheet is None)."""
        title = sheet.title if sheet else ""
        letter = sheet.column_letter(header) if sheet and header else ""
        self.errors.append(CellError(title, row, letter, header, message))

    def sorted_errors(self) -> list[CellError]:
        return sorted(self.errors, key=lambda e: (e.sheet, e.row or 0, e.column))


def require_columns(report: ImportReport, sheets: dict, title: str, headers: list[str]):
    """The sheet with this title if it has every header; otherwise record why, return None."""
    sheet = sheets.get(title)
    if sheet is None:
        report.error(None, None, "", f"ไม่พบแผ่นงาน “{title}” ในไฟล์")
        return None
    missing = [h for h in headers if h not in sheet.headers]
    for header in missing:
        report.error(sheet, 1, "", f"แผ่นงาน “{title}” ไม่มีคอลัมน์ “{header}” ในแถวหัวตาราง")
    return None if missing else sheet


def report_formula_cells(report: ImportReport, sheet: SheetData) -> set[int]:
    """Record every formula cell without a cached value; the Excel rows that have one."""
    rows = set()
    for row in sheet.rows:
        for header in row.formulas_without_value:
            report.error(sheet, row.number, header, FORMULA_WITHOUT_VALUE)
            rows.add(row.number)
    return rows


# --- keeping an upload between the dry run and the confirmation --------------------------------

PENDING_KEY = "excel_imports"
PENDING_HOURS = 24


@dataclass
class PendingImport:
    """An uploaded file waiting for confirmation, and what it was uploaded for.

    The file lives on the default (shared) storage as ``imports/<random>.xlsx``; the session holds
    its token with the uploader's id, the kind of import and its scope (unit code, year), so a
    confirmation reads the very file that was checked, for the same user and scope.
    """

    token: str
    kind: str
    scope: dict
    filename: str

    @property
    def path(self) -> str:
        return f"imports/{self.token}.xlsx"

    def read(self) -> bytes:
        """The stored file's bytes."""
        with default_storage.open(self.path, "rb") as stored:
            return stored.read()

    @classmethod
    def store(cls, request, *, data: bytes, filename: str, kind: str, scope: dict):
        """Save an upload for this user and remember it in the session; drops stale uploads."""
        _drop_stale_uploads()
        pending = cls(secrets.token_urlsafe(24), kind, scope, filename)
        default_storage.save(pending.path, ContentFile(data))
        entries = request.session.get(PENDING_KEY, {})
        entries[pending.token] = {
            "user": request.user.pk,
            "kind": kind,
            "scope": scope,
            "filename": filename,
            "at": timezone.now().isoformat(),
        }
        request.session[PENDING_KEY] = entries
        return pending

    @classmethod
    def load(cls, request, token: str, *, kind: str):
        """The pending import of this token for this user and kind (404 otherwise)."""
        entry = request.session.get(PENDING_KEY, {}).get(token)
        if not entry or entry["user"] != request.user.pk or entry["kind"] != kind:
            raise Http404("ไม่พบไฟล์ที่รอนำเข้า")
        pending = cls(token, kind, entry["scope"], entry["filename"])
        if not default_storage.exists(pending.path):
            raise Http404("ไม่พบไฟล์ที่รอนำเข้า")
        return pending

    def discard(self, request) -> None:
        """Forget the upload and delete its file."""
        entries = request.session.get(PENDING_KEY, {})
        entries.pop(self.token, None)
        request.session[PENDING_KEY] = entries
        if default_storage.exists(self.path):
            default_storage.delete(self.path)


def _drop_stale_uploads() -> None:
    """Delete uploads nobody confirmed within PENDING_HOURS."""
    if not default_storage.exists("imports"):
        return
    cutoff = timezone.now() - datetime.timedelta(hours=PENDING_HOURS)
    for name in default_storage.listdir("imports")[1]:
        path = f"imports/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
