"""The OIT disclosure journey in a real browser (Debian's Chromium, never a downloaded one).

เขตดุสิต staff open the checklist of 2570 from the unit-year page, mark O1 published at two
addresses of a local HTTP server (one answers 200, one 404), save, press the link check and
download the Excel checklist; the central team then opens the BMA readiness page. Screenshots
at 1280 px go to test-results/ (gitignored), or to docs/screens/oit-*.png with UPDATE_SCREENS=1.
"""

import io
import os
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from assessments.models import Assessment, OrgUnit, Question, QuestionScore
from measures.models import DisclosureLink
from tests.measures.test_disclosure import fiscal_year

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / ("docs/screens" if os.environ.get("UPDATE_SCREENS") == "1" else "test-results")
PASSWORD = "ita-demo-2569"

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's Chromium is not at /usr/bin/chromium"
    ),
    pytest.mark.django_db(transaction=True),
]


class Pages(BaseHTTPRequestHandler):
    """/o1 answers 200 with HTML, anything else 404."""

    def do_HEAD(self):
        self.send_response(200 if self.path == "/o1" else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD

    def log_message(self, *args):
        pass


@pytest.fixture(autouse=True, scope="module")
def demo_data_after_the_flush(django_db_blocker):
    """Module-scoped, so its teardown runs after the test database's flush (function scope)."""
    yield
    with django_db_blocker.unblock():
        call_command("load_portal_data", stdout=StringIO())


@pytest.fixture
def site():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()


def test_staff_record_and_check_oit_items_and_the_bma_sees_every_unit(live_server, settings, site):
    from playwright.sync_api import expect, sync_playwright

    settings.DISCLOSURE_CHECK_ALLOW_PRIVATE = True  # the local server stands in for the web
    settings.DISCLOSURE_CHECK_TIMEOUT = 2
    call_command("load_portal_data", stdout=StringIO())
    fiscal_year(2570)
    dusit = OrgUnit.objects.get(code="dusit")
    last_year = Assessment.objects.get_or_create(unit=dusit, fiscal_year=fiscal_year(2569))[0]
    QuestionScore.objects.get_or_create(
        assessment=last_year,
        question=Question.objects.get(framework=last_year.fiscal_year.framework, code="O1"),
        defaults={"score": Decimal("0"), "remark": "ไม่พบข้อมูลผู้บริหารครบทุกคน"},
    )
    SCREENS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page.set_default_timeout(20_000)

        log_in(page, live_server.url, "dusit-staff")
        page.goto(f"{live_server.url}/staff/units/dusit/2569/")
        page.get_by_role("link", name="ความพร้อมการเปิดเผยข้อมูลปี 2570").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("(OIT)")
        expect(page.locator("#item-O1")).to_contain_text("ไม่พบข้อมูลผู้บริหารครบทุกคน")

        # mark O1 published at two addresses and save
        page.get_by_label("ที่อยู่เว็บของข้อ O1", exact=True).fill(f"{site}/o1\n{site}/gone")
        row = page.locator("#item-O1")
        row.get_by_label("ฝ่าย", exact=True).select_option(label="ฝ่ายปกครอง")
        row.get_by_label("สถานะ", exact=True).select_option(label="เผยแพร่แล้ว")
        page.get_by_role("button", name="บันทึกรายการ").click()
        expect(page.locator(".messages")).to_contain_text("บันทึกรายการเปิดเผยข้อมูลแล้ว 1 ข้อ")
        expect(page.locator("#item-O1")).to_contain_text("ยังไม่ตรวจลิงก์")

        # the link check records what each address answered
        page.get_by_role("button", name="ตรวจลิงก์ทั้งหมด").click()
        expect(page.locator(".messages")).to_contain_text("เปิดได้ 1 ลิงก์ มีปัญหา 1 ลิงก์")
        expect(page.locator("#item-O1 .badge.ok")).to_have_text("200")
        expect(page.locator("#item-O1 .badge.warn")).to_have_text("404")
        page.screenshot(path=str(SCREENS / "oit-checklist.png"), full_page=False)
        page.locator("#item-O1").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENS / "oit-checklist-item.png"))

        # the Excel checklist
        with page.expect_download() as download:
            page.get_by_role("link", name="ส่งออกรายการ (.xlsx)").click()
        book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        first = list(book["รายการ OIT"].values)[1]
        assert first[0] == "O1" and first[6] == "เผยแพร่แล้ว"

        # the central team: every unit's readiness, lowest first
        page.context.clear_cookies()
        log_in(page, live_server.url, "central")
        page.goto(f"{live_server.url}/dashboards/overview/")
        page.get_by_role("link", name="ความพร้อมการเปิดเผยข้อมูล OIT").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("(OIT)")
        expect(page).to_have_url(f"{live_server.url}/dashboards/disclosure/2570/")
        last = page.locator("tbody tr").last
        expect(last).to_contain_text("เขตดุสิต")
        last.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENS / "oit-bma.png"))
        browser.close()

    assert DisclosureLink.objects.get(url=f"{site}/o1").last_status == 200
