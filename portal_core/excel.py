"""Excel files in and out: what every import and export of the portal shares.

- ``check_xlsx`` refuses what is not an .xlsx workbook by its content, not its name: a ZIP holding
  ``[Content_Types].xml`` and ``xl/workbook.xml``; macro-enabled (.xlsm) and old .xls files are
  refused with their own message, and so is a file over 10 MB or a ZIP whose directory declares
  more than MAX_ZIP_ENTRIES entries or MAX_UNPACKED_BYTES unpacked (a zip bomb), all before
  openpyxl opens anything (portal_core.uploads.check_zip_package).
- ``check_xlsx`` also tells a password-protected workbook (an OLE container holding an
  EncryptionInfo stream) from an old .xls.
- ``read_sheets`` reads the values Excel cached, in one pass over each sheet's XML, and only
  what a person sees: the rules every import shares live there and in ``require_columns``:
  a hidden sheet, hidden rows with data and hidden columns under a header are refused; a sheet
  reaching past MAX_SHEET_ROWS rows or MAX_SHEET_COLUMNS columns is refused from its declared
  size before a row is read (and from its cells, when it declares none or too little); a
  merged range reads as its top-left value on every row it spans; a number formatted as a
  percentage reads as the number it shows (0.85 shown as 85% is 85); a formula cell without a
  cached value (a file written by a program and never opened in Excel) is reported at its cell
  instead of reading as empty.
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
import logging
import re
import secrets
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Collection
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
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from portal_core.uploads import (
    CFB_SIGNATURE,
    cfb_has_stream,
    check_size,
    check_zip_package,
    safe_filename,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ZIP_ENTRIES = 1000
MAX_SHEET_ROWS = 20_000
MAX_SHEET_COLUMNS = 100
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPED_STARTS = (*FORMULA_STARTS, "'")

NOT_XLSX = "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) กรุณาบันทึกเป็นไฟล์ Excel Workbook (.xlsx) แล้วนำเข้าใหม่"
OLD_XLS = "ไฟล์นี้เป็น Excel รุ่นเก่า (.xls) กรุณาบันทึกเป็น Excel Workbook (.xlsx) แล้วนำเข้าใหม่"
ENCRYPTED = (
    "ไฟล์นี้ตั้งรหัสผ่านไว้ ระบบเปิดอ่านไม่ได้ กรุณาเปิดไฟล์ใน Excel แล้วเอารหัสผ่านออก "
    "(ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก > เข้ารหัสด้วยรหัสผ่าน) บันทึกแล้วนำเข้าใหม่"
)
MACRO_XLSM = "ไฟล์นี้มีแมโคร (.xlsm) ระบบรับเฉพาะไฟล์ Excel Workbook (.xlsx) ที่ไม่มีแมโคร"
TOO_BIG = "ไฟล์มีขนาดเกิน 10 MB"
UNREADABLE = "เปิดไฟล์ Excel นี้ไม่ได้ ไฟล์อาจเสียหาย กรุณาบันทึกใหม่เป็น .xlsx แล้วนำเข้าอีกครั้ง"
FORMULA_WITHOUT_VALUE = "เซลล์สูตรไม่มีค่าที่คำนวณไว้"
SAVE_FAILED = (
    "เกิดข้อผิดพลาดในการบันทึก ระบบยังไม่ได้บันทึกข้อมูลใดจากไฟล์นี้ "
    "กรุณาลองนำเข้าอีกครั้ง หากยังพบปัญหาโปรดแจ้งทีม ITA ส่วนกลาง"
)

logger = logging.getLogger(__name__)


class ExcelFileError(ValueError):
    """The file as a whole cannot be read; the message is Thai and meant for the uploader."""


# --- checking and reading ----------------------------------------------------------------------


def check_xlsx(data: bytes, filename: str = "") -> None:
    """Refuse anything that is not a plain .xlsx workbook, judged by its content."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ExcelFileError(TOO_BIG)
    if data.startswith(CFB_SIGNATURE):
        # Excel keeps a password-protected .xlsx in the same container as an old .xls
        encrypted = cfb_has_stream(data, "EncryptionInfo") or cfb_has_stream(
            data, "EncryptedPackage"
        )
        raise ExcelFileError(ENCRYPTED if encrypted else OLD_XLS)
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
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(ESCAPED_STARTS):
        return value[1:]
    return value


class Percent(float):
    """A number cell formatted as a percentage, read as the number it shows: 0.85 shown as 85%
    reads as 85. ``shown`` is that number exactly (a decimal shift of the stored value)."""

    shown: Decimal

    def __new__(cls, stored: float):
        shown = Decimal(repr(float(stored))).scaleb(2).normalize()
        number = super().__new__(cls, shown)
        number.shown = shown
        return number

    def __str__(self) -> str:
        return f"{self.shown:f}%"

    __repr__ = __str__


@dataclass
class SheetRow:
    """One non-blank data row: its Excel row number, values by header, formula cells by header."""

    number: int
    values: dict[str, object]
    formulas_without_value: list[str] = field(default_factory=list)


@dataclass
class SheetData:
    """One sheet as read: the header row (as written) and the non-blank rows under it.

    A hidden sheet is listed with ``hidden`` set and nothing read from it; ``hidden_rows`` and
    ``hidden_columns`` name the hidden rows that hold something and the hidden columns under a
    header (see ``require_columns``, which refuses them).
    """

    title: str
    headers: list[str]
    rows: list[SheetRow]
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[str] = field(default_factory=list)

    def column_letter(self, header: str) -> str:
        """The Excel column letter of a header ("" when the sheet has no such column)."""
        if header in self.headers:
            return get_column_letter(self.headers.index(header) + 1)
        return ""


def _header_text(value) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def too_large(title: str, rows: int, columns: int) -> str:
    """The refusal of a sheet that reaches past MAX_SHEET_ROWS rows or MAX_SHEET_COLUMNS
    columns, naming how far it reaches."""
    reach = []
    if rows > MAX_SHEET_ROWS:
        reach.append(f"แถว {rows:,}")
    if columns > MAX_SHEET_COLUMNS:
        reach.append(f"คอลัมน์ {get_column_letter(columns)}")
    return (
        f"แผ่นงาน “{title}” ใช้พื้นที่ถึง{' และ'.join(reach)} เกินที่ระบบรับได้ "
        f"(ไม่เกิน {MAX_SHEET_ROWS:,} แถว และ {MAX_SHEET_COLUMNS} คอลัมน์ต่อแผ่นงาน) "
        "กรุณาลบแถวหรือคอลัมน์ที่ไม่ใช้ออก (กด Ctrl+End ใน Excel เพื่อดูเซลล์สุดท้ายที่ใช้) แล้วนำเข้าใหม่"
    )


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _percent_styles(book) -> set[int]:
    """The style ids whose number format shows a percentage (0%, 0.00%, a custom "0.0%")."""
    styles = set()
    for style_id, style in enumerate(book._cell_styles):
        code = (
            BUILTIN_FORMATS.get(style.numFmtId, "General")
            if style.numFmtId < BUILTIN_FORMATS_MAX_SIZE
            else book._number_formats[style.numFmtId - BUILTIN_FORMATS_MAX_SIZE]
        )
        if "%" in _QUOTED.sub("", code):
            styles.add(style_id)
    return styles


class _SheetParser(WorkSheetParser):
    """openpyxl's worksheet parser, as its read-only mode runs it, noting formula cells too.

    It yields only the rows the file holds (a lone cell in row 1,048,576 costs one row, not a
    million empty ones) and collects the rows' and columns' attributes (hidden) and the merged
    ranges on the way, so one pass over the XML gives everything the imports need.
    """

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        # only a formula without a cached value matters, so a cell with a value is not searched
        cell["formula"] = cell["value"] is None and element.find(FORMULA_TAG) is not None
        return cell


def _hidden(attributes: dict) -> bool:
    """Whether a row's or a column's attributes hide it: hidden, or a height of zero."""
    if attributes.get("hidden") in ("1", "true"):
        return True
    try:
        return float(attributes.get("ht", "1")) == 0
    except ValueError:
        return False


def _read_sheet(book, worksheet, percent_styles: set[int]) -> SheetData:
    title = worksheet.title
    if worksheet.sheet_state != "visible":
        return SheetData(title, [], [], hidden=True)
    # the size the sheet declares (<dimension>), before a single row is parsed
    declared_rows, declared_columns = worksheet.max_row or 0, worksheet.max_column or 0
    if declared_rows > MAX_SHEET_ROWS or declared_columns > MAX_SHEET_COLUMNS:
        raise ExcelFileError(too_large(title, declared_rows, declared_columns))
    cells_by_row: dict[int, list[dict]] = {}
    with worksheet._get_source() as source:
        parser = _SheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if not cells:
                continue
            last = max(cell["column"] for cell in cells)
            # a sheet without a <dimension>, or one that understates it
            if number > MAX_SHEET_ROWS or last > MAX_SHEET_COLUMNS:
                raise ExcelFileError(too_large(title, number, last))
            cells_by_row[number] = cells

    def value(cell: dict):
        number = cell["value"]
        if cell["style_id"] in percent_styles and cell["data_type"] == "n" and number is not None:
            return Percent(number)
        return number

    def line_of(cells: list[dict], width: int) -> list:
        line = [None] * width
        for cell in cells:
            if cell["column"] <= width:
                line[cell["column"] - 1] = value(cell)
        return line

    header_cells = cells_by_row.pop(1, [])
    header_line = line_of(header_cells, max((c["column"] for c in header_cells), default=0))
    headers = [_header_text(v) for v in header_line]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    lines = {number: line_of(cells, width) for number, cells in cells_by_row.items()}
    own = {number for number, line in lines.items() if not all(_is_blank(v) for v in line)}
    _fill_merged(lines, own, parser.merged_cells, header_line)
    rows = []
    for number in sorted(lines):
        formulas = [
            headers[cell["column"] - 1]
            for cell in cells_by_row[number]
            if cell["formula"] and cell["column"] <= width
        ]
        if formulas or number in own:
            rows.append(SheetRow(number, dict(zip(headers, lines[number], strict=True)), formulas))
    hidden_rows = sorted(
        number
        for key, attributes in parser.row_dimensions.items()
        if _hidden(attributes) and ((number := int(key)) in own or (number == 1 and width))
    )
    hidden_columns = [
        get_column_letter(col)
        for attributes in parser.column_dimensions.values()
        if _hidden(attributes)
        for col in range(int(attributes["min"]), int(attributes.get("max", attributes["min"])) + 1)
        if col <= width and headers[col - 1]
    ]
    return SheetData(title, headers, rows, hidden_rows=hidden_rows, hidden_columns=hidden_columns)


def _fill_merged(lines: dict[int, list], own: set[int], merged, header_line: list) -> None:
    """Each cell of a merged range, on a row that holds data of its own, reads as the range's
    top-left value (what Excel shows across the range; a range's top-left cell beyond the
    header's columns is not read, so neither is the range)."""
    if merged is None:
        return
    numbers = sorted(own)
    filled = 0
    for merged_range in merged.mergeCell:
        min_col, min_row, max_col, max_row = range_boundaries(merged_range.ref)
        source = header_line if min_row == 1 else lines.get(min_row, [])
        top_left = source[min_col - 1] if min_col <= len(source) else None
        for number in numbers[bisect_left(numbers, min_row) : bisect_right(numbers, max_row)]:
            line = lines[number]
            for col in range(min_col, min(max_col, len(line)) + 1):
                if (number, col) != (min_row, min_col):
                    line[col - 1] = top_left
                    filled += 1
        # ranges that overlap (Excel never writes them) must not multiply the work
        if filled > MAX_SHEET_ROWS * MAX_SHEET_COLUMNS:
            raise ExcelFileError(UNREADABLE)


def read_sheets(data: bytes, titles: Collection[str] | None = None) -> dict[str, SheetData]:
    """The sheets of a checked .xlsx file, by title, in the workbook's order.

    Only what a person sees in Excel is read: a hidden sheet is listed (``hidden``) but not
    read, and hidden rows and columns are noted for ``require_columns`` to refuse. With
    ``titles`` only those sheets are read (the others are listed empty). A sheet whose declared
    size, or whose cells, reach past MAX_SHEET_ROWS rows or MAX_SHEET_COLUMNS columns is
    refused before its rows are kept. Blank rows are left out; Excel row numbers are kept; each
    cell of a merged range reads as its top-left value on every row with data of its own; a
    number formatted as a percentage reads as the number it shows (``Percent``); each formula
    cell without a cached value is listed on its row (``formulas_without_value``).
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ExcelFileError(UNREADABLE) from exc
    try:
        percent_styles = _percent_styles(book)
        sheets = {}
        for worksheet in book.worksheets:
            if titles is None or worksheet.title in titles:
                sheets[worksheet.title] = _read_sheet(book, worksheet, percent_styles)
            else:
                sheets[worksheet.title] = SheetData(
                    worksheet.title, [], [], hidden=worksheet.sheet_state != "visible"
                )
    except ExcelFileError:
        raise
    except Exception as exc:  # a damaged sheet shows itself only while it is parsed
        raise ExcelFileError(UNREADABLE) from exc
    finally:
        book.close()
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
    """A cell as CSV text: numbers as they are, text that could start a formula escaped (the one
    escaper of every CSV the portal writes: exports, the admin's and open data)."""
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


def _spans(numbers: list[int]) -> str:
    """Row numbers as people read them: 3, 5–7, 12."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def require_columns(report: ImportReport, sheets: dict, title: str, headers: list[str]):
    """The sheet with this title if a person sees it whole and it has every header; otherwise
    record why and return None.

    The one rule of what an import reads: a hidden (or very hidden) sheet, hidden rows that
    hold something and hidden columns under a header are refused with the sheet and the rows or
    columns named, so nothing is imported that the person checking the file could not see.
    """
    sheet = sheets.get(title)
    if sheet is None:
        report.error(None, None, "", f"ไม่พบแผ่นงาน “{title}” ในไฟล์")
        return None
    if sheet.hidden:
        report.error(
            None,
            None,
            "",
            f"แผ่นงาน “{title}” ถูกซ่อนไว้ ระบบอ่านเฉพาะสิ่งที่มองเห็นใน Excel "
            "กรุณายกเลิกการซ่อนแผ่นงานนี้ (หรือลบออกแล้วตั้งชื่อแผ่นงานที่ใช้ให้ตรง) แล้วนำเข้าใหม่",
        )
        return None
    if sheet.hidden_rows:
        report.error(
            sheet,
            None,
            "",
            f"แผ่นงาน “{title}” มีแถวที่ซ่อนไว้ (รวมถึงแถวที่ถูกกรองออก): แถว {_spans(sheet.hidden_rows)} "
            "กรุณายกเลิกการซ่อนหรือลบแถวเหล่านั้น แล้วนำเข้าใหม่",
        )
    if sheet.hidden_columns:
        report.error(
            sheet,
            None,
            "",
            f"แผ่นงาน “{title}” มีคอลัมน์ที่ซ่อนไว้: คอลัมน์ {', '.join(sheet.hidden_columns)} "
            "กรุณายกเลิกการซ่อนหรือลบคอลัมน์เหล่านั้น แล้วนำเข้าใหม่",
        )
    if sheet.hidden_rows or sheet.hidden_columns:
        return None
    missing = [h for h in headers if h not in sheet.headers]
    for header in missing:
        report.error(sheet, 1, "", f"แผ่นงาน “{title}” ไม่มีคอลัมน์ “{header}” ในแถวหัวตาราง")
    return None if missing else sheet


def report_save_errors(report: ImportReport, sheet: SheetData, result, row_numbers: list[int]):
    """Record what django-import-export caught while saving (the database refused a write, a
    bug): in Thai for the uploader, the error's own English text and traceback in the log."""
    for number, errors in result.row_errors():
        for error in errors:
            logger.error("import of sheet %r failed at a row: %s\n%s", sheet.title, error.error,
                         error.traceback)  # fmt: skip
            report.error(sheet, row_numbers[number - 1], "", SAVE_FAILED)
    for error in result.base_errors:
        logger.error("import of sheet %r failed: %s\n%s", sheet.title, error.error, error.traceback)
        report.error(sheet, None, "", SAVE_FAILED)


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
