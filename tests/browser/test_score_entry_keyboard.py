"""Score entry by keyboard: Tab walks the score fields of the sheet, one after the other, without
stopping on the toggles of the closed indicator sections; one link opens every section."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tests.browser.test_yearly_cycle import (
    CHROMIUM,
    PASSWORD,
    demo_data_after_the_flush,  # noqa: F401  (the module fixture that reloads the demo data)
)

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]

FOCUSED_SCORE = "document.activeElement.classList.contains('score-input')"
FOCUSED_ID = "document.activeElement.id"


def test_tab_walks_from_each_score_field_to_the_next_and_one_link_opens_every_section(
    live_server,
):
    from playwright.sync_api import expect, sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("ชื่อผู้ใช้").fill("dusit-staff")
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
        page.get_by_role("link", name="พ.ศ. 2566").click()
        page.get_by_role("button", name="สร้างแบบบันทึกผลการประเมิน").click()

        # the score fields of the tools, indicators and open sections (after the official result)
        visible = page.locator("form.score-form section.tool input.score-input:visible")
        ids = [visible.nth(i).get_attribute("id") for i in range(visible.count())]
        page.locator(f"#{ids[0]}").focus()
        walked = [ids[0]]
        for _ in ids[1:]:
            page.keyboard.press("Tab")
            assert page.evaluate(FOCUSED_SCORE), f"Tab from {walked[-1]} left the score fields"
            walked.append(page.evaluate(FOCUSED_ID))
        assert walked == ids
        first = page.get_by_role("textbox", name=re.compile(r"^คะแนนตัวชี้วัดที่ 1( |$)"))
        second = page.get_by_role("textbox", name=re.compile(r"^คะแนนตัวชี้วัดที่ 2( |$)"))
        first.focus()
        page.keyboard.press("Tab")
        expect(second).to_be_focused()

        page.get_by_role("link", name="แสดงข้อคำถามทั้งหมด").click()
        closed = page.locator("details.indicator-items:not([open])")
        expect(closed).to_have_count(0)
        expect(page.get_by_label("คะแนนข้อ I8", exact=True)).to_be_visible()
        browser.close()
