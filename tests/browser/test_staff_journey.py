"""One staff journey in a real browser (Debian's Chromium, never a downloaded one).

Log in as เขตดุสิต staff, enter two scores, propose weaknesses, add a measure with two steps and
two divisions, and report progress with an evidence file. The screenshot of the finished measure
goes to test-results/ (gitignored).

live_server runs on a transactional database that is flushed after the test: the demo data is
loaded before the journey and loaded again afterwards, so the tests after this one still find it.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import OrgUnit, QuestionScore
from measures.models import Measure, ProgressUpdate, Weakness

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "ita-demo-2569"

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True, scope="module")
def demo_data_after_the_flush(django_db_blocker):
    """Module-scoped, so its teardown runs after the test database's flush (function scope)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_portal_data", stdout=StringIO())


def test_dusit_staff_enter_scores_propose_weaknesses_plan_a_measure_and_report_progress(
    live_server, settings, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_portal_data", stdout=StringIO())
    divisions = [d.name for d in OrgUnit.objects.divisions_of(OrgUnit.objects.get(code="dusit"))]
    RESULTS.mkdir(exist_ok=True)
    screenshot = RESULTS / "staff_journey.png"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)

        # log in: staff land on หน้าแรกของฉัน, then open their unit's years from the header
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("ชื่อผู้ใช้").fill("dusit-staff")
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("หน้าแรกของฉัน")
        page.get_by_role("link", name="งานของหน่วยงาน").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("สำนักงานเขตดุสิต")

        # 2566: open the score sheet and enter two question scores
        page.get_by_role("link", name="พ.ศ. 2566").click()
        page.get_by_role("button", name="สร้างแบบบันทึกผลการประเมิน").click()
        page.locator("summary", has_text="ตัวชี้วัดที่ 2 ").click()
        page.get_by_label("คะแนนข้อ I8", exact=True).fill("70.00")
        page.locator("summary", has_text="ตัวชี้วัดที่ 3 ").click()
        page.get_by_label("คะแนนข้อ I17", exact=True).fill("๖๐.๕๐")
        page.get_by_role("button", name="บันทึกคะแนนทั้งหมด").click()
        expect(page.locator(".messages")).to_contain_text("บันทึกผลการประเมินแล้ว (เพิ่ม 2")

        # propose weaknesses from those scores
        page.get_by_role("navigation", name="ตำแหน่งของหน้า").get_by_role(
            "link", name="ผลการประเมินปี 2566"
        ).click()
        page.get_by_role("link", name="ทะเบียนจุดอ่อนของผลปี 2566").click()
        page.get_by_role("button", name="เสนอจุดอ่อนจากคะแนน").click()
        expect(page.locator(".messages")).to_contain_text("เสนอจุดอ่อนใหม่ 2 รายการ")

        # 2567: a measure answering the I8 weakness, with two steps and two divisions; the page
        # of the 2566 results leads to the measures of 2567 that answer them
        page.get_by_role("navigation", name="ตำแหน่งของหน้า").get_by_role(
            "link", name="ผลการประเมินปี 2566"
        ).click()
        page.get_by_role("link", name="ดูและบันทึกมาตรการปี 2567").click()
        page.get_by_role("link", name="เพิ่มมาตรการ").click()
        option = page.locator("#id_weakness option", has_text="I8").first
        page.select_option("#id_weakness", value=option.get_attribute("value"))
        page.get_by_label("มาตรการ/แนวทางปฏิบัติ").fill("ชี้แจงแผนการใช้จ่ายงบประมาณแก่บุคลากร")
        page.get_by_label("ผลผลิต").fill("บุคลากรรับทราบแผนการใช้จ่ายงบประมาณ")
        page.locator("#id_steps-0-text").fill("จัดทำสรุปแผนการใช้จ่ายงบประมาณ")
        page.locator("#id_steps-0-ORDER").fill("1")
        page.locator("#id_steps-1-text").fill("ประชุมชี้แจงทุกฝ่าย")
        page.locator("#id_steps-1-ORDER").fill("2")
        page.get_by_label("ระยะเวลาแล้วเสร็จ").fill("31/03/2567")
        page.get_by_label(divisions[0], exact=True).check()
        page.get_by_label(divisions[1], exact=True).check()
        page.get_by_label("การกำกับติดตาม").select_option(label="ทุก 6 เดือน")
        page.get_by_role("button", name="บันทึกมาตรการ").click()
        expect(page.locator(".messages")).to_contain_text("เพิ่มมาตรการแล้ว")

        # report progress with an evidence file
        page.get_by_role("link", name="รายงานความคืบหน้า").click()
        page.locator("#id_note").fill("จัดประชุมชี้แจงแล้ว 3 ฝ่าย")
        page.get_by_label("ร้อยละความสำเร็จ").fill("50")
        page.get_by_label("ไฟล์หลักฐาน").set_input_files(
            {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 minutes"}
        )
        page.get_by_role("button", name="บันทึกความคืบหน้า").click()
        expect(page.locator(".messages")).to_contain_text("บันทึกความคืบหน้าแล้ว")
        expect(page.get_by_role("link", name="ไฟล์หลักฐาน")).to_be_visible()
        page.screenshot(path=str(screenshot), full_page=True)
        browser.close()

    scores = QuestionScore.objects.filter(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2566
    )
    assert sorted((s.question.code, str(s.score)) for s in scores) == [
        ("I17", "60.50"),
        ("I8", "70.00"),
    ]
    proposals = Weakness.objects.filter(
        assessment__unit__code="dusit", assessment__fiscal_year__year=2566
    )
    assert sorted(w.question.code for w in proposals) == ["I17", "I8"]
    measure = Measure.objects.get(unit__code="dusit", fiscal_year__year=2567)
    assert measure.weakness.question.code == "I8"
    assert list(measure.steps.values_list("order", "text")) == [
        (1, "จัดทำสรุปแผนการใช้จ่ายงบประมาณ"),
        (2, "ประชุมชี้แจงทุกฝ่าย"),
    ]
    assert sorted(d.name for d in measure.responsible_divisions.all()) == sorted(divisions[:2])
    update = ProgressUpdate.objects.get(measure=measure)
    assert (update.percent, update.note) == (50, "จัดประชุมชี้แจงแล้ว 3 ฝ่าย")
    assert screenshot.stat().st_size > 0
