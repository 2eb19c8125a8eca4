"""Open data: published results as CSV (UTF-8 with BOM, Thai headers) and JSON."""

import csv
import io
import json
from decimal import Decimal

import pytest

from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.publishing import publish_assessment, unpublish_assessment
from portal_core.excel import unescape_text

pytestmark = pytest.mark.django_db

THAI_HEADERS = [
    "รหัสหน่วยงาน",
    "ชื่อหน่วยงาน",
    "ปีงบประมาณ (พ.ศ.)",
    "คะแนนรวม",
    "ระดับผลการประเมิน",
    "คะแนน IIT",
    "คะแนน EIT",
    "คะแนน OIT",
    *(f"ตัวชี้วัดที่ {n}" for n in range(1, 11)),
]
BMA_2566 = [
    "bma",
    "กรุงเทพมหานคร",
    "2566",
    "88.98",
    "ผ่าน",
    "82.44",
    "80.82",
    "100.00",
    "92.27",
    "77.83",
    "85.85",
    "77.95",
    "78.31",
    "82.88",
    "81.22",
    "78.37",
    "100.00",
    "100.00",
]


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_year_csv_starts_with_a_bom_and_has_thai_headers(client):
    response = client.get("/opendata/2566.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ita-2566.csv"'
    assert response.content[:3] == b"\xef\xbb\xbf"
    rows = read_csv(response)
    assert rows[0] == THAI_HEADERS
    assert BMA_2566 in rows


def test_the_year_csv_holds_every_published_result_of_the_year_only(client):
    rows = read_csv(client.get("/opendata/2566.csv"))

    published = Assessment.objects.published().filter(fiscal_year__year=2566)
    assert sorted(row[0] for row in rows[1:]) == sorted(a.unit.code for a in published)
    phra_nakhon = next(row for row in rows if row[0] == "phra-nakhon")
    assert phra_nakhon[2:5] == ["2566", "84.28", "ไม่ผ่าน"]
    assert phra_nakhon[5:] == [""] * 13  # no part scores known: blanks, not zeros


def test_the_year_json_has_the_same_records_with_numbers(client):
    response = client.get("/opendata/2566.json")

    payload = json.loads(response.content)
    assert payload["fiscal_year"] == 2566
    assert [field["label"] for field in payload["fields"]] == THAI_HEADERS
    bma = next(r for r in payload["results"] if r["unit_code"] == "bma")
    assert bma == {
        "unit_code": "bma",
        "unit_name": "กรุงเทพมหานคร",
        "fiscal_year": 2566,
        "overall": 88.98,
        "level": "ผ่าน",
        "iit": 82.44,
        "eit": 80.82,
        "oit": 100.0,
        **{f"indicator_{n}": float(v) for n, v in enumerate(BMA_2566[8:], start=1)},
    }


def test_the_unit_files_hold_every_published_year_oldest_first(client):
    rows = read_csv(client.get("/opendata/units/bma.csv"))
    payload = json.loads(client.get("/opendata/units/bma.json").content)

    assert [(row[2], row[3]) for row in rows[1:]] == [
        ("2562", "88.50"),
        ("2563", "91.48"),
        ("2565", "90.01"),
        ("2566", "88.98"),
    ]
    assert payload["unit_code"] == "bma"
    assert [r["overall"] for r in payload["results"]] == [88.5, 91.48, 90.01, 88.98]


def test_publishing_and_unpublishing_show_in_open_data_at_once(client, central_team):
    result = Assessment.objects.create(
        unit=OrgUnit.objects.get(code="bang-rak"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=Decimal("87.10"),
    )

    def codes() -> list[str]:
        return [row[0] for row in read_csv(client.get("/opendata/2566.csv"))[1:]]

    assert "bang-rak" not in codes()

    publish_assessment(result, by=central_team)
    assert "bang-rak" in codes()
    assert (
        json.loads(client.get("/opendata/units/bang-rak.json").content)["results"][0]["overall"]
        == 87.1
    )

    unpublish_assessment(result, by=central_team)
    assert "bang-rak" not in codes()
    assert json.loads(client.get("/opendata/units/bang-rak.json").content)["results"] == []


@pytest.mark.parametrize(
    ("name", "written"),
    [
        (
            '=HYPERLINK("http://example.invalid","คลิก")',
            '\'=HYPERLINK("http://example.invalid","คลิก")',
        ),
        # escaped as the exports escape it, so unescape_text gives the name back exactly
        ("'=1+1", "''=1+1"),
    ],
)
def test_a_cell_that_looks_like_a_formula_is_defused(client, name, written):
    unit = OrgUnit.objects.create(
        code="formula-test",
        name=name,
        kind=OrgUnit.Kind.AGENCY,
        parent=OrgUnit.objects.get(code="bma"),
    )
    Assessment.objects.create(
        unit=unit,
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=Decimal("90.00"),
        published_at="2026-01-01T00:00:00+07:00",
    )

    rows = read_csv(client.get("/opendata/units/formula-test.csv"))

    assert (rows[1][1], unescape_text(rows[1][1])) == (written, name)


def test_unknown_years_and_units_are_not_found(client):
    assert client.get("/opendata/2400.csv").status_code == 404
    assert client.get("/opendata/units/no-such-unit.json").status_code == 404


def test_the_open_data_page_lists_the_published_years_and_units(client):
    response = client.get("/opendata/")

    years = [fy.year for fy in response.context["years"]]
    assert years == [2566, 2565, 2564, 2563, 2562]
    content = response.content.decode()
    assert 'href="/opendata/2566.csv"' in content
    assert 'href="/opendata/units/dusit.json"' in content
