"""The what-if simulator and the measures that worked elsewhere in Debian's Chromium, as เขตดุสิต
staff: simulate targets from the unit dashboard, open the measures elsewhere for a weakness and
copy one as a draft. Screenshots at 1280 px go to test-results/ (gitignored), or to
docs/screens/whatif-*.png with UPDATE_SCREENS=1.

live_server's database is flushed after the test: the demo data is loaded before the journey
and again afterwards, so the tests after this one still find it.
"""

import os
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from measures.models import Measure

# the same browser, skip condition and reload of the demo data after live_server's flush
from tests.browser.test_staff_journey import (  # noqa: F401 (the fixture is used by pytest)
    CHROMIUM,
    PASSWORD,
    demo_data_after_the_flush,
    pytestmark,
)
from tests.measures.test_elsewhere import e1_weakness_of_dusit

SCREENS = Path(settings.BASE_DIR) / (
    "docs/screens" if os.environ.get("UPDATE_SCREENS") == "1" else "test-results"
)


def test_dusit_staff_simulate_targets_and_copy_a_measure_that_worked_elsewhere(live_server):
    from playwright.sync_api import expect, sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    weakness = e1_weakness_of_dusit()
    SCREENS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("ชื่อผู้ใช้").fill("dusit-staff")
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()

        # the simulator, from the unit dashboard: indicator 4 up, O1 passed, a unit target of 95
        page.goto(f"{live_server.url}/dashboards/units/dusit/2564/")
        page.get_by_role("link", name="จำลองผลคะแนน (What-if)").click()
        expect(page.locator(".stat-value").first).to_have_text("90.40")
        page.get_by_label("4. การใช้ทรัพย์สินของราชการ").fill("90")
        page.locator("tr", has_text="9. การเปิดเผยข้อมูล").locator("summary").click()
        page.get_by_label("O1 ", exact=False).first.fill("100")
        page.get_by_label("ค่าเป้าหมายคะแนนรวมของหน่วยงาน").fill("95")
        page.get_by_role("button", name="คำนวณ").click()
        # indicator 4 +9.04 at 0.06 a point (+0.54); O1 passed: 9.1 +11.11 (one of nine items),
        # indicator 9 +2.22, overall +0.44
        expect(page.locator(".stat-value").first).to_have_text("91.39")
        expect(page.get_by_role("heading", name="ค่าเป้าหมายของหน่วยงาน 95.00")).to_be_visible()
        page.screenshot(path=str(SCREENS / "whatif-simulator.png"), full_page=True)

        # measures that worked elsewhere, from the weakness
        page.goto(f"{live_server.url}/staff/weaknesses/{weakness.pk}/")
        page.get_by_role("link", name="มาตรการจากหน่วยงานอื่นที่ได้ผล").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("ข้อ E1")
        highest = page.locator("table.peers").first
        expect(highest.locator("tbody tr").first).to_contain_text("เขตพระนคร")
        page.screenshot(path=str(SCREENS / "whatif-elsewhere.png"), full_page=True)

        # copy Pathum Wan's measure as a draft of 2567
        page.get_by_role("button", name="คัดลอกเป็นร่างมาตรการ").first.click()
        expect(page.locator(".messages")).to_contain_text("คัดลอกเป็นร่างมาตรการปีงบประมาณ 2567 แล้ว")
        expect(page.locator("main")).to_contain_text("ร่าง (คัดลอกมา ยังไม่ยืนยัน)")
        page.screenshot(path=str(SCREENS / "whatif-copied.png"), full_page=True)
        page.go_back()
        page.reload()
        expect(page.locator("main")).to_contain_text("คัดลอกเป็นร่างแล้ว")
        browser.close()

    draft = Measure.objects.get(unit__code="dusit", weakness=weakness)
    assert (draft.fiscal_year.year, draft.draft) == (2567, True)
    for name in ("simulator", "elsewhere", "copied"):
        assert (SCREENS / f"whatif-{name}.png").stat().st_size > 10_000
