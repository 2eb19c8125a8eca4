"""A double click on "บันทึกมาตรการ" in a real browser (Debian's Chromium) sends one POST and
makes one measure: static/js/forms.js holds the second submit back, and the server would turn it
away anyway (assessments.submissions; tests/measures/test_double_submit.py).

live_server runs on a transactional database that is flushed after the test: the demo data is
loaded before and again afterwards, so the tests after this one still find it.
"""

from io import StringIO

from django.core.management import call_command

from measures.models import Measure
from tests.browser.test_csp_browser import is_violation

# the same browser, skip condition and reload of the demo data after live_server's flush
from tests.browser.test_staff_journey import (  # noqa: F401 (the fixture is used by pytest)
    CHROMIUM,
    PASSWORD,
    demo_data_after_the_flush,
    pytestmark,
)

TITLE = "ชี้แจงแผนการใช้จ่ายงบประมาณ (ดับเบิลคลิก)"


def test_a_double_click_on_save_sends_one_post_and_makes_one_measure(live_server):
    from playwright.sync_api import expect, sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    create_url = f"{live_server.url}/staff/units/dusit/2565/measures/add/"
    violations = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        page.on("console", lambda m: violations.append(m.text) if is_violation(m.text) else None)

        page.goto(f"{live_server.url}/login/")
        page.get_by_label("ชื่อผู้ใช้").fill("dusit-staff")
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
        expect(page.get_by_role("heading", level=2, name="สำนักงานเขตดุสิต")).to_be_visible()

        page.goto(create_url)
        page.get_by_label("ตัวชี้วัด", exact=True).select_option(index=2)
        page.get_by_label("มาตรการ/แนวทางปฏิบัติ").fill(TITLE)
        # POSTs are held at the network, as by a slow server, while the second click comes 68 ms
        # after the first (as reported); mouse clicks, since the page is already navigating.
        # Without forms.js Chromium sends both.
        held = []
        page.route(create_url, lambda route: held.append(route))
        save = page.get_by_role("button", name="บันทึกมาตรการ")
        save.scroll_into_view_if_needed()
        box = save.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        page.mouse.click(x, y)
        page.wait_for_timeout(68)
        page.mouse.click(x, y)
        page.wait_for_timeout(500)
        sent = len(held)
        held[-1].continue_()
        expect(page.locator(".messages")).to_contain_text("เพิ่มมาตรการแล้ว")
        browser.close()

    assert sent == 1
    assert Measure.objects.filter(title=TITLE).count() == 1
    assert violations == []
