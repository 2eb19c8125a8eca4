"""Open data: the published results as CSV (UTF-8 with BOM, so Excel reads Thai) and JSON.

One row per unit and fiscal year, published assessments only. Each view is a pure function of
the database, so its response is cached until the next publication change (ita_portal.cache).
"""

from decimal import Decimal

from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from assessments import results
from assessments.models import Assessment, FiscalYear, OrgUnit
from ita_portal.cache import public_file, public_page
from portal_core.excel import CSV_CONTENT_TYPE, csv_bytes, file_response

HEADERS = [
    ("unit_code", "รหัสหน่วยงาน"),
    ("unit_name", "ชื่อหน่วยงาน"),
    ("fiscal_year", "ปีงบประมาณ (พ.ศ.)"),
    ("overall", "คะแนนรวม"),
    ("level", "ระดับผลการประเมิน"),
    *((code.lower(), f"คะแนน {code}") for code in results.TOOL_CODES),
    *((f"indicator_{n}", f"ตัวชี้วัดที่ {n}") for n in results.INDICATOR_NUMBERS),
]


def _record(row: results.ResultRow) -> dict:
    """A result row as open data: keys of HEADERS, scores as numbers or None."""
    record = {
        "unit_code": row.unit.code,
        "unit_name": row.unit.name,
        "fiscal_year": row.year,
        "overall": row.overall,
        "level": row.level,
    }
    record.update({code.lower(): row.tools[code] for code in results.TOOL_CODES})
    record.update({f"indicator_{n}": row.indicators[n] for n in results.INDICATOR_NUMBERS})
    return record


def _csv_value(value):
    """Scores with two places; everything else as portal_core.excel.csv_text writes it (blanks
    for missing, text that could start a formula escaped)."""
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def _csv_response(records: list[dict], filename: str) -> HttpResponse:
    rows = [[_csv_value(record[key]) for key, _ in HEADERS] for record in records]
    content = csv_bytes([label for _, label in HEADERS], rows)
    return file_response(content, filename, CSV_CONTENT_TYPE)


def _json_value(value):
    return float(value) if isinstance(value, Decimal) else value


def _json_response(records: list[dict], **meta) -> JsonResponse:
    payload = {
        **meta,
        "fields": [{"key": key, "label": label} for key, label in HEADERS],
        "results": [{k: _json_value(v) for k, v in record.items()} for record in records],
    }
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 1})


def _published_records(assessments) -> list[dict]:
    published = Assessment.objects.published()
    return [_record(row) for row in results.result_rows(assessments, previous_from=published)]


@public_page
def index(request):
    """What can be downloaded: one file per fiscal year and one per unit."""
    years = (
        FiscalYear.objects.annotate(
            published=Count("assessments", filter=Q(assessments__published_at__isnull=False))
        )
        .filter(published__gt=0)
        .order_by("-year")
    )
    units = (
        OrgUnit.objects.filter(assessments__published_at__isnull=False)
        .distinct()
        .order_by("order", "name")
    )
    return render(request, "portal/opendata.html", {"years": years, "units": units})


@public_file
def year_results(request, year: int, fmt: str):
    """Every published result of one fiscal year."""
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    records = _published_records(Assessment.objects.published().filter(fiscal_year=fiscal_year))
    if fmt == "csv":
        return _csv_response(records, f"ita-{year}.csv")
    return _json_response(records, fiscal_year=year)


@public_file
def unit_results(request, code: str, fmt: str):
    """Every published result of one unit, oldest year first."""
    unit = get_object_or_404(OrgUnit, code=code)
    records = _published_records(Assessment.objects.published().filter(unit=unit))
    if fmt == "csv":
        return _csv_response(records, f"ita-{unit.code}.csv")
    return _json_response(records, unit_code=unit.code, unit_name=unit.name)
