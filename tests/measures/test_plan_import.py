"""Importing a measures plan drafted in Excel in seed 004's columns: dry run, all or nothing,
no duplicates on re-import, Thai messages, and the pages."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import FiscalYear
from measures.models import Measure
from measures.plan_sheets import import_plan_workbook

# Headers as seed 004 writes them, line breaks included.
SEED_HEADERS = [
    "ตัวชี้วัด",
    "ประเด็นที่ต้องเตรียมความพร้อม/ยกระดับ",
    "กิจกรรมที่จะดำเนินการ",
    "ผลผลิต",
    "วิธีการสร้าง\nการรับรู้",
    "ระยะเวลา\nแล้วเสร็จ",
    "ผู้รับผิดชอบ",
    "ระยะเวลากำกับติดตามโดย ผอ.เขต",
]
SEED_ROWS = [
    [
        "1) การปฏิบัติหน้าที่",
        "พัฒนาจุดบริการ ศูนย์ราชการฉับไว ใสสะอาด",
        "กิจกรรมสร้างวัฒนธรรมการให้บริการ\n- บริการด้วยใจ",
        "1 ครั้ง/เดือน",
        "เขต ยุคใหม่ ใส่ใจบริการ",
        "ทุกเดือน",
        "ฝ่ายทะเบียน",
        "ทุก ๑ เดือน",
    ],
    [
        None,
        "เพิ่มจุดเผยแพร่ คู่มือ",
        "- ประชาสัมพันธ์ คู่มือ checklist",
        "- มีคู่มือ 2 ช่องทาง",
        "info graphic",
        "30 มี.ค. 66",
        "ทุกฝ่าย",
        "ทุก 1 เดือน",
    ],
    [
        "4) การใช้ทรัพย์สินของราชการ",
        "จัดทำมาตรการจัดการทรัพย์สินของราชการ",
        "- จัดทำมาตรการ แล้วเสร็จ",
        "- info graphic",
        "Line group\n\nFB",
        "30/03/2566",
        "ฝ่ายการคลัง\nฝ่ายเทศกิจ",
        "ทุก ๖ เดือน",
    ],
    [
        6,
        "พัฒนาและเผยแพร่ TRACKING",
        "พัฒนาและเผยแพร่ระบบ E-service",
        "- ระบบ Tracking",
        "- สื่อประชาสัมพันธ์",
        "๕ เม.ย. ๒๕๖๖",
        "ฝ่ายปกครอง, ฝ่ายโยธา, ฝ่ายสิ่งแวดล้อมฯ",
        None,
    ],
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def plan(rows=SEED_ROWS, headers=SEED_HEADERS, *, merge=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "มาตรการ"
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    if merge:
        sheet.merge_cells(merge)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def run(data, user, unit, *, dry_run=False, year=2566):
    return import_plan_workbook(
        data, unit=unit, fiscal_year=FiscalYear.objects.get(year=year), user=user, dry_run=dry_run
    )


def dusit_measures(dusit):
    return Measure.objects.filter(unit=dusit, fiscal_year__year=2566)


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_a_seed_004_plan_creates_the_units_measures(dusit, staff_dusit):
    before = dusit_measures(dusit).count()

    report = run(plan(), staff_dusit, dusit)

    assert errors(report) == []
    assert [row.outcome for row in report.rows] == ["new"] * 4
    new = list(dusit_measures(dusit).order_by("-pk")[:4])[::-1]
    assert dusit_measures(dusit).count() == before + 4
    described = [
        (
            m.indicator.number,
            m.title,
            m.deadline,
            m.deadline_note,
            m.all_divisions,
            sorted(d.name for d in m.responsible_divisions.all()),
            m.monitoring_months,
            m.created_by,
        )
        for m in new
    ]
    assert described == [
        (1, SEED_ROWS[0][2], None, "ทุกเดือน", False, ["ฝ่ายทะเบียน"], 1, staff_dusit),
        (1, SEED_ROWS[1][2], datetime.date(2023, 3, 30), "", True, [], 1, staff_dusit),
        (
            4,
            SEED_ROWS[2][2],
            datetime.date(2023, 3, 30),
            "",
            False,
            ["ฝ่ายการคลัง", "ฝ่ายเทศกิจ"],
            6,
            staff_dusit,
        ),
        (
            6,
            SEED_ROWS[3][2],
            datetime.date(2023, 4, 5),
            "",
            False,
            ["ฝ่ายปกครอง", "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล", "ฝ่ายโยธา"],
            None,
            staff_dusit,
        ),
    ]
    assert new[2].communication == "Line group\n\nFB"


def test_importing_the_same_plan_again_changes_nothing(dusit, staff_dusit):
    run(plan(), staff_dusit, dusit)
    count, history = dusit_measures(dusit).count(), Measure.history.count()

    report = run(plan(), staff_dusit, dusit)

    assert report.ok
    assert [row.outcome for row in report.rows] == ["unchanged"] * 4
    assert (dusit_measures(dusit).count(), Measure.history.count()) == (count, history)


def test_a_changed_cell_updates_its_measure_and_raises_its_version(dusit, staff_dusit):
    run(plan(), staff_dusit, dusit)
    rows = [list(row) for row in SEED_ROWS]
    rows[2][5] = "15 เม.ย. 66"
    measure = dusit_measures(dusit).get(activity=SEED_ROWS[2][2])

    report = run(plan(rows), staff_dusit, dusit)

    assert [row.outcome for row in report.rows] == [
        "unchanged",
        "unchanged",
        "changed",
        "unchanged",
    ]
    assert report.rows[2].changes == [("ระยะเวลาแล้วเสร็จ", "30 มี.ค. 66", "15 เม.ย. 66")]
    measure.refresh_from_db()
    assert (measure.deadline, measure.version) == (datetime.date(2023, 4, 15), 2)


def test_a_merged_indicator_cell_counts_for_every_row_it_spans(dusit, staff_dusit):
    rows = [list(row) for row in SEED_ROWS[2:]]
    rows[1][0] = None

    report = run(plan(rows, merge="A2:A3"), staff_dusit, dusit, dry_run=True)

    assert report.ok
    assert [row.label for row in report.rows] == [SEED_ROWS[2][2], SEED_ROWS[3][2]]


BAD_ROWS = {
    "unknown division": (
        {6: "ฝ่ายการคลัง\nฝ่ายไม่มีจริง"},
        [(3, "G", "ไม่พบ “ฝ่ายไม่มีจริง” ในฝ่ายของเขตดุสิต")],
    ),
    "all divisions and one more": (
        {6: "ทุกฝ่าย, ฝ่ายการคลัง"},
        [(3, "G", "ระบุ “ทุกฝ่าย” แล้วไม่ต้องระบุฝ่ายอื่นอีก")],
    ),
    "a date that does not exist": (
        {5: "31/02/2566"},
        [(3, "F", "ไม่มีวันที่นี้ในปฏิทิน: '31/02/2566'")],
    ),
    "a Christian-era year": (
        {5: "30/03/2023"},
        [(3, "F", "ปีต้องเป็นปีพุทธศักราช เช่น 2566: '30/03/2023'")],
    ),
    "monitoring in words nobody reads": (
        {7: "บ่อย ๆ"},
        [(3, "H", "ไม่เข้าใจระยะเวลากำกับติดตาม “บ่อย ๆ” (เขียน เช่น “ทุก 1 เดือน” หรือ “ทุก 6 เดือน”)")],
    ),
    "monitoring beyond a year": (
        {7: "ทุก 18 เดือน"},
        [(3, "H", "ระยะเวลากำกับติดตามต้องอยู่ระหว่างทุก 1 ถึง 12 เดือน")],
    ),
    "no activity": ({2: None}, [(3, "C", "ต้องระบุกิจกรรมที่จะดำเนินการ")]),
    "unknown indicator": ({0: "11) ตัวชี้วัดใหม่"}, [(3, "A", "ไม่พบตัวชี้วัด “11) ตัวชี้วัดใหม่” ในเกณฑ์ปี 2566")]),
    "the same activity twice": (
        {0: None, 2: "- ประชาสัมพันธ์ คู่มือ checklist"},
        [(3, "", "มาตรการเดียวกัน (รหัสมาตรการ หรือตัวชี้วัดและกิจกรรมที่จะดำเนินการ) ซ้ำกับแถวที่ 2")],
    ),
}


@pytest.mark.parametrize(("cells", "expected"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_a_bad_row_gets_a_thai_message_naming_it_and_nothing_is_written(
    dusit, staff_dusit, cells, expected
):
    rows = [list(row) for row in SEED_ROWS[1:3]]
    for index, value in cells.items():
        rows[1][index] = value
    before = (dusit_measures(dusit).count(), Measure.history.count())

    report = run(plan(rows), staff_dusit, dusit)

    assert errors(report) == expected
    assert (dusit_measures(dusit).count(), Measure.history.count()) == before


def test_a_plan_without_a_required_column_is_refused(dusit, staff_dusit):
    headers = [h for h in SEED_HEADERS if h != "ผู้รับผิดชอบ"]

    report = run(plan([row[:6] + row[7:] for row in SEED_ROWS], headers), staff_dusit, dusit)

    assert errors(report) == [(1, "", "แผ่นงาน “มาตรการ” ไม่มีคอลัมน์ “ผู้รับผิดชอบ” ในแถวหัวตาราง")]


def test_a_formula_without_a_value_is_refused_at_its_cell(dusit, staff_dusit):
    rows = [list(row) for row in SEED_ROWS]
    rows[3][5] = "=TODAY()"

    report = run(plan(rows), staff_dusit, dusit)

    assert errors(report) == [(5, "F", "เซลล์สูตรไม่มีค่าที่คำนวณไว้")]
    assert not dusit_measures(dusit).filter(activity=SEED_ROWS[0][2]).exists()


def test_a_key_of_another_units_measure_is_refused(dusit, staff_dusit, pathumwan):
    other = Measure.objects.create(
        unit=pathumwan, fiscal_year=FiscalYear.objects.get(year=2566), title="อื่น", issue="อื่น"
    )
    headers = ["รหัสมาตรการ", *SEED_HEADERS]

    report = run(plan([[other.pk, *SEED_ROWS[0]]], headers), staff_dusit, dusit)

    assert errors(report) == [(2, "A", f"ไม่พบมาตรการรหัส {other.pk} ในแผนของเขตดุสิต ปี 2566")]
    other.refresh_from_db()
    assert other.activity == ""


# --- the pages ---------------------------------------------------------------------------------


def import_url(code="dusit", year=2566):
    return reverse("measures:plan-import", kwargs={"code": code, "year": year})


def test_staff_upload_a_plan_check_it_and_confirm(client, dusit, staff_dusit):
    client.force_login(staff_dusit)
    response = client.post(import_url(), {"file": SimpleUploadedFile("plan.xlsx", plan())})
    preview_url = response["Location"]

    page = client.get(preview_url)
    confirm = client.post(preview_url + "confirm/")

    assert "ยืนยันการนำเข้า (4 รายการ)" in page.content.decode()
    assert confirm["Location"] == reverse(
        "measures:measure-list", kwargs={"code": "dusit", "year": 2566}
    )
    assert dusit_measures(dusit).filter(activity=SEED_ROWS[3][2]).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_dusit", 200), ("staff_pathumwan", 404), ("director_dusit", 403), (None, 302)],
)
def test_only_the_units_editors_import_its_plan(db, client, request, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    assert client.get(import_url()).status_code == status
