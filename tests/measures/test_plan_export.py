"""Exports of the measures app: a unit's plan in seed 004's layout and an assessment's
weaknesses; both import back unchanged and are safe from formula injection."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.urls import reverse

from assessments.models import Assessment, FiscalYear, OrgUnit
from measures.models import Measure, Weakness
from measures.plan_sheets import import_plan_workbook, plan_export, weaknesses_export
from measures.resources import PLAN_COLUMNS, WeaknessResource


@pytest.fixture
def bangkok_noi(db) -> OrgUnit:
    return OrgUnit.objects.get(code="bangkok-noi")


@pytest.fixture
def staff_bangkok_noi(django_user_model):
    return django_user_model.objects.get(username="bangkoknoi-staff")


def fy(year=2566) -> FiscalYear:
    return FiscalYear.objects.get(year=year)


def plan_rows(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content))["มาตรการ"].iter_rows(values_only=True))


def test_the_plan_export_has_seed_004s_columns_and_values(bangkok_noi):
    rows = plan_rows(plan_export(bangkok_noi, fy()))

    first = next(
        m
        for m in Measure.objects.filter(unit=bangkok_noi, fiscal_year__year=2566).order_by(
            "indicator__number", "order", "pk"
        )
    )
    assert list(rows[0]) == PLAN_COLUMNS
    assert len(rows) - 1 == Measure.objects.filter(unit=bangkok_noi, fiscal_year__year=2566).count()
    assert rows[1][0] == str(first.pk)
    assert rows[1][1:3] == ("1) การปฏิบัติหน้าที่", "พัฒนาจุดบริการ ศูนย์ราชการฉับไว ใสสะอาด")
    assert rows[1][6:] == ("ทุกเดือน", "ฝ่ายทะเบียน", "ทุก 1 เดือน")
    assert rows[2][6:] == ("30 มี.ค. 66", "ทุกฝ่าย", "ทุก 1 เดือน")


def test_the_bangkok_noi_plan_imports_back_unchanged(bangkok_noi, staff_bangkok_noi):
    count, history = Measure.objects.count(), Measure.history.count()

    report = import_plan_workbook(
        plan_export(bangkok_noi, fy()),
        unit=bangkok_noi,
        fiscal_year=fy(),
        user=staff_bangkok_noi,
        dry_run=False,
    )

    assert report.ok
    assert len(report.rows) == 30
    assert {row.outcome for row in report.rows} == {"unchanged"}
    assert (Measure.objects.count(), Measure.history.count()) == (count, history)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","คลิก")', "- ประชาสัมพันธ์", "@me", "'=x"])
def test_formula_like_text_stays_text_and_comes_back(dusit, staff_dusit, text):
    measure = Measure.objects.create(
        unit=dusit, fiscal_year=fy(), title="ทดสอบ", issue="ประเด็น", activity=text, output=text
    )
    exported = plan_export(dusit, fy())

    sheet = openpyxl.load_workbook(io.BytesIO(exported))["มาตรการ"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == str(measure.pk))
    report = import_plan_workbook(
        exported, unit=dusit, fiscal_year=fy(), user=staff_dusit, dry_run=True
    )

    assert row[3].data_type == "s"
    assert report.ok
    assert {r.outcome for r in report.rows} == {"unchanged"}


def test_the_plan_csv_is_utf8_with_a_byte_order_mark(client, staff_dusit, dusit):
    Measure.objects.create(unit=dusit, fiscal_year=fy(), title="ก", issue="ข", activity="=1+1")
    client.force_login(staff_dusit)

    response = client.get(
        reverse("measures:plan-export", kwargs={"code": "dusit", "year": 2566}), {"format": "csv"}
    )

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == PLAN_COLUMNS
    assert rows[-1][3] == "'=1+1"


def test_weaknesses_export_and_import_back_unchanged(dusit_2564, central_team):
    exported = weaknesses_export(dusit_2564)
    dataset = tablib.Dataset().load(exported, format="xlsx")

    result = WeaknessResource(assessment=dusit_2564).import_data(
        dataset, dry_run=False, user=central_team
    )

    weaknesses = Weakness.objects.filter(assessment=dusit_2564)
    assert len(dataset) == weaknesses.count() > 0
    assert dataset.headers[:6] == [
        "รหัสจุดอ่อน",
        "รหัสหน่วยงาน",
        "ปีงบประมาณ",
        "ตัวชี้วัดที่",
        "ตัวชี้วัดย่อยที่",
        "รหัสข้อ",
    ]
    assert not result.has_errors() and not result.has_validation_errors()
    assert {row.import_type for row in result.rows} == {"skip"}


def test_a_weakness_key_of_another_assessment_is_refused(dusit_2564, central_team):
    other = Weakness.objects.exclude(assessment=dusit_2564).first()
    dataset = tablib.Dataset([str(other.pk), "ใหม่"], headers=["รหัสจุดอ่อน", "การวิเคราะห์"])

    result = WeaknessResource(assessment=dusit_2564).import_data(dataset, user=central_team)

    assert {r.number: r.field_specific_errors for r in result.invalid_rows} == {
        1: {"รหัสจุดอ่อน": [f"ไม่พบจุดอ่อนรหัส {other.pk} ในผลการประเมินนี้"]}
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_dusit", 200), ("director_dusit", 200), ("staff_pathumwan", 404), (None, 302)],
)
def test_exports_are_for_those_who_see_the_unit(client, request, dusit_2564, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    urls = [
        reverse("measures:plan-export", kwargs={"code": "dusit", "year": 2566}),
        reverse("measures:weaknesses-export", kwargs={"pk": dusit_2564.pk}),
    ]

    assert [client.get(url).status_code for url in urls] == [status, status]


def test_the_weaknesses_download_is_named_for_the_unit_and_year(client, staff_dusit, dusit_2564):
    client.force_login(staff_dusit)

    response = client.get(reverse("measures:weaknesses-export", kwargs={"pk": dusit_2564.pk}))

    assert (
        response["Content-Disposition"] == 'attachment; filename="ita-2564-dusit-weaknesses.xlsx"'
    )
    assert Assessment.objects.filter(pk=dusit_2564.pk).exists()
