"""The OIT checklist page: who may read, edit, check links and export; what a save does."""

import io

import pytest
from openpyxl import load_workbook

from measures.disclosure import oit_questions
from measures.models import DisclosureItem
from tests.measures.test_disclosure import fiscal_year

URL = "/staff/units/dusit/2570/disclosure/"


@pytest.fixture
def fy2570(db):
    return fiscal_year(2570)


def form_data(fy, **rows):
    """The posted checklist: every item as blank as it opens, with ``rows`` by code changed."""
    data = {}
    for question in oit_questions(fy):
        prefix = f"q{question.pk}"
        values = {"division": "", "status": "not_published", "urls": "", "notes": "", "version": ""}
        values.update(rows.get(question.code, {}))
        for name, value in values.items():
            data[f"{prefix}-{name}"] = value
    return data


def test_staff_see_every_oit_item_with_thai_labels(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)

    page = client.get(URL).content.decode()

    assert "ความพร้อมการเปิดเผยข้อมูลสาธารณะ (OIT)" in page
    assert "คะแนน OIT หากตรวจวันนี้" in page
    assert "ยังไม่เผยแพร่" in page and "ต้องปรับปรุง" in page
    assert all(f'id="item-{q.code}"' in page for q in oit_questions(fy2570))
    assert "ตรวจลิงก์ทั้งหมด" in page


def test_staff_save_an_item(client, staff_dusit, dusit, fy2570):
    client.force_login(staff_dusit)
    division = dusit.children.first()
    data = form_data(
        fy2570,
        O1={
            "status": "published",
            "urls": "https://dusit.example/o1\nhttps://dusit.example/o1-b",
            "division": str(division.pk),
            "notes": "ปรับหน้าเว็บแล้ว",
        },
    )

    response = client.post(URL, data, follow=True)

    assert "บันทึกรายการเปิดเผยข้อมูลแล้ว 1 ข้อ" in response.content.decode()
    item = DisclosureItem.objects.get(unit=dusit, question__code="O1")
    assert (item.status, item.division, item.notes, item.checked_by) == (
        "published",
        division,
        "ปรับหน้าเว็บแล้ว",
        staff_dusit,
    )
    assert item.links.count() == 2
    assert DisclosureItem.objects.filter(unit=dusit).count() == 1  # untouched rows stay unsaved


def test_a_published_item_needs_an_address_and_nothing_is_saved(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)
    data = form_data(fy2570, O1={"status": "needs_fix", "notes": "x"}, O2={"status": "published"})

    page = client.post(URL, data).content.decode()

    assert "ข้อที่เผยแพร่แล้วต้องระบุที่อยู่เว็บอย่างน้อยหนึ่งรายการ" in page
    assert not DisclosureItem.objects.exists()


def test_an_address_must_be_http_or_https(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)

    page = client.post(URL, form_data(fy2570, O1={"urls": "ftp://x.example/"})).content.decode()

    assert "ที่อยู่เว็บไม่ถูกต้อง: ftp://x.example/" in page
    assert not DisclosureItem.objects.exists()


def test_a_page_opened_before_someone_else_s_save_is_refused(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)
    stale = form_data(fy2570, O1={"status": "needs_fix"})
    client.post(URL, form_data(fy2570, O1={"status": "needs_fix", "notes": "ก่อน"}))

    page = client.post(URL, stale).content.decode()

    assert "มีผู้อื่นบันทึกไว้หลังจากที่ท่านเปิดหน้านี้" in page
    assert DisclosureItem.objects.get(question__code="O1").notes == "ก่อน"


def test_the_director_reads_but_may_not_save_or_check(client, director_dusit, fy2570):
    client.force_login(director_dusit)

    page = client.get(URL).content.decode()

    assert "ตรวจลิงก์ทั้งหมด" not in page and "บันทึกรายการ" not in page
    assert client.post(URL, form_data(fy2570)).status_code == 403
    assert client.post(URL + "check/").status_code == 403


def test_another_unit_s_staff_get_404(client, staff_pathumwan, fy2570):
    client.force_login(staff_pathumwan)

    assert client.get(URL).status_code == 404
    assert client.post(URL, form_data(fy2570)).status_code == 404
    assert client.post(URL + "check/").status_code == 404
    assert client.get(URL + "export/").status_code == 404


def test_the_link_check_button_without_addresses_says_so(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)

    response = client.post(URL + "check/", follow=True)

    assert "ยังไม่มีที่อยู่เว็บให้ตรวจ" in response.content.decode()


def test_the_export_holds_the_checklist_and_its_readiness(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)
    client.post(URL, form_data(fy2570, O1={"status": "published", "urls": "https://d.example/"}))

    response = client.get(URL + "export/")

    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["รายการ OIT", "ความพร้อม"]
    items = list(book["รายการ OIT"].values)
    assert items[0][:4] == ("ข้อ", "ตัวชี้วัดย่อย", "ข้อมูลที่เปิดเผย", "ที่อยู่เว็บที่เผยแพร่")
    assert items[1][0] == "O1" and items[1][3] == "https://d.example/"
    assert items[1][6] == "เผยแพร่แล้ว"
    assert len(items) == 1 + len(oit_questions(fy2570))
    readiness = list(book["ความพร้อม"].values)
    assert readiness[-1][:4] == ("OIT", "คะแนน OIT หากตรวจวันนี้", 1, len(oit_questions(fy2570)))


def test_the_results_page_of_2569_links_to_the_2570_checklist(client, staff_dusit, fy2570):
    client.force_login(staff_dusit)

    assert URL in client.get("/staff/units/dusit/2569/").content.decode()
