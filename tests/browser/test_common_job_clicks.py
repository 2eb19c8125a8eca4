"""The common job of a unit's staff, counted in clicks (issue 16's "done when").

Create the year's assessment, enter ten indicator scores, confirm five weaknesses, add one
measure with two steps, report progress with evidence, draft the analysis memo and download its
PDF: at most 25 clicks. Every click or press of a button or link counts, and so do choosing from
a list and picking a file; typing into a field does not. The unit's signatory list is kept
once on its own page, outside the year's job, so it is there before the job starts.

Counted the same way, the job took 25 clicks before issue 16 (confirming each weakness on its
own, reaching the measure form through two pages and choosing the weakness, typing the memo's
subject and addressee) and 19 with ยืนยันทั้งหมด, สร้างมาตรการจากจุดอ่อนนี้ and the drafted memo.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Assessment, OrgUnit
from measures.models import Measure, Memo, ProgressUpdate, Signatory, Weakness
from tests.browser.test_yearly_cycle import (
    CHROMIUM,
    UNIT,
    Clicks,
    _login,
    _people,
    demo_data_after_the_flush,  # noqa: F401  (the module fixture that reloads the demo data)
)

# five of the ten indicators below the weakness target (85)
SCORES = ["90", "80", "88", "79", "83", "86", "84", "70", "95", "100"]
CLICK_BUDGET = 25
# kept once on the unit's signatory page, not part of the year's job
SIGNATORY = ("นางสาวทดสอบ ลงนาม", "หัวหน้าฝ่ายปกครอง\nสำนักงานเขตคลองเตย")
SIGNATORY_CHOICE = "นางสาวทดสอบ ลงนาม · หัวหน้าฝ่ายปกครอง"

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_the_common_job_of_a_year_takes_at_most_25_clicks(live_server, settings, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_portal_data", stdout=StringIO())
    unit = OrgUnit.objects.get(code=UNIT)
    _people(unit)
    Signatory.objects.create(unit=unit, name=SIGNATORY[0], position=SIGNATORY[1])
    division = OrgUnit.objects.divisions_of(unit).first().name
    click = Clicks()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_context(accept_downloads=True).new_page()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.set_default_timeout(20_000)

        # create the year's assessment and enter the ten indicator scores
        _login(page, live_server.url, f"{UNIT}-staff", click)
        click(page.get_by_role("link", name="2569").first)
        click(page.get_by_role("button", name="สร้างแบบบันทึกผลการประเมิน"))
        for number, score in enumerate(SCORES, 1):
            name = re.compile(rf"^คะแนนตัวชี้วัดที่ {number}( |$)")
            page.get_by_role("textbox", name=name).fill(score)
        click(page.get_by_role("button", name="บันทึกคะแนนทั้งหมด"))
        expect(page.locator(".messages")).to_contain_text("บันทึกผลการประเมินแล้ว")

        # confirm the five weaknesses the scores reveal
        click(page.get_by_role("link", name="ผลการประเมินปี 2569").first)
        click(page.get_by_role("link", name="ทะเบียนจุดอ่อนของผลปี 2569"))
        click(page.get_by_role("button", name="เสนอจุดอ่อนจากคะแนน"))
        expect(page.locator(".messages")).to_contain_text("เสนอจุดอ่อนใหม่ 5 รายการ")
        click(page.get_by_role("button", name="ยืนยันทั้งหมด (5 รายการ)"))
        expect(page.locator(".messages")).to_contain_text("ยืนยันจุดอ่อนแล้ว 5 รายการ")

        # one measure with two steps for the weakest indicator (8), started from its weakness
        row = page.locator("tr", has=page.get_by_role("link", name="ตัวชี้วัดที่ 8", exact=True))
        click(row.get_by_role("link", name="สร้างมาตรการจากจุดอ่อนนี้"))
        expect(page.locator("#id_weakness option:checked")).to_contain_text("ตัวชี้วัดที่ 8")
        page.get_by_label("มาตรการ/แนวทางปฏิบัติ").fill("ประชาสัมพันธ์ช่องทางร้องเรียนทุกช่องทาง")
        page.locator("#id_steps-0-text").fill("จัดทำสื่อประชาสัมพันธ์")
        page.locator("#id_steps-0-ORDER").fill("1")
        page.locator("#id_steps-1-text").fill("เผยแพร่ทางเว็บไซต์และป้ายประกาศ")
        page.locator("#id_steps-1-ORDER").fill("2")
        page.get_by_label("ระยะเวลาแล้วเสร็จ").fill("31/03/2570")
        click(page.get_by_label(division, exact=True))
        click(page.get_by_role("button", name="บันทึกมาตรการ"))
        expect(page.locator(".messages")).to_contain_text("เพิ่มมาตรการแล้ว")

        # report progress with an evidence file
        click(page.get_by_role("link", name="รายงานความคืบหน้า"))
        page.locator("#id_note").fill("จัดทำสื่อแล้ว")
        page.get_by_label("ร้อยละความสำเร็จ").fill("50")
        page.get_by_label("ไฟล์หลักฐาน").set_input_files(
            {"name": "poster.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 poster"}
        )
        click.count += 1  # choosing the file
        click(page.get_by_role("button", name="บันทึกความคืบหน้า"))
        expect(page.locator(".messages")).to_contain_text("บันทึกความคืบหน้าแล้ว")

        # draft the analysis memo and download its PDF
        click(page.get_by_role("link", name="ปีงบประมาณ 2570 (ตอบผลปี 2569)"))
        click(page.get_by_role("link", name="จัดทำบันทึกวิเคราะห์ผลปี 2569"))
        expect(page.get_by_role("textbox", name="เรียน", exact=True)).to_have_value(
            "ผู้อำนวยการเขตคลองเตย"
        )
        page.locator("#id_signatures-0-signatory").select_option(label=SIGNATORY_CHOICE)
        click.count += 1
        click(page.get_by_role("button", name="บันทึกร่าง"))
        expect(page.locator(".messages")).to_contain_text("สร้างร่างบันทึกข้อความแล้ว")
        with page.expect_download() as download:
            click(page.get_by_role("link", name="ดาวน์โหลด PDF"))
        assert download.value.path().read_bytes().startswith(b"%PDF")
        browser.close()

    print(f"\nthe common job took {click.count} clicks")
    assessment = Assessment.objects.get(unit=unit, fiscal_year__year=2569)
    assert assessment.indicator_scores.count() == 10
    assert assessment.weaknesses.filter(status=Weakness.Status.CONFIRMED).count() == 5
    measure = Measure.objects.get(unit=unit, fiscal_year__year=2570)
    assert measure.steps.count() == 2
    assert ProgressUpdate.objects.get(measure=measure).evidence_file
    assert measure.status == Measure.Status.IN_PROGRESS
    memo = Memo.objects.get(unit=unit, kind=Memo.Kind.ANALYSIS)
    assert memo.assessment == assessment
    assert memo.subject.endswith("ของสำนักงานเขตคลองเตย ประจำปีงบประมาณ พ.ศ.๒๕๗๐")
    assert list(memo.signatures.values_list("name", flat=True)) == [SIGNATORY[0]]
    assert click.count <= CLICK_BUDGET
