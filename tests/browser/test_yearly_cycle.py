"""The whole yearly cycle in a real browser, for a district with no data (issue 13).

The central team opens fiscal 2570; เขตคลองเตย's staff enter the district's 2569 results on the
web form; its director publishes them and an anonymous visitor sees them at once; staff propose
and confirm weaknesses, add a 2570 measure for one of them, report progress and draft the analysis
memo; the director approves and publishes it; the public reads the memo and its PDF, whose digest
the verification page confirms; a later edit of the measure leaves the published page and PDF
byte for byte unchanged. The test prints how many clicks the journey took.

live_server runs on a transactional database that is flushed after the test: the demo data is
loaded before the journey and again afterwards, so the tests after this one still find it.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import Assessment, FiscalYear, Framework, Membership, OrgUnit
from measures.models import Measure, Memo, Weakness
from tests.factories import UserFactory

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "ita-demo-2569"
UNIT = "khlong-toei"
INDICATOR_SCORES = ["90", "80", "88", "79", "83", "86", "84", "81", "95", "100"]

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


class Clicks:
    """Counts what the user does with the mouse: clicks, ticks and choices."""

    def __init__(self):
        self.count = 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def _login(page, base: str, username: str, click: Clicks) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    click(page.locator("main").get_by_role("button", name="เข้าสู่ระบบ"))


def _logout(page, base: str, click: Clicks) -> None:
    button = page.get_by_role("button", name="ออกจากระบบ")
    if not button.count():  # the memo page has no site header: go back to the portal first
        click.count += 1
        page.goto(f"{base}/staff/")
    click(button)


def _people(unit: OrgUnit) -> None:
    for role, suffix in ((Membership.Role.STAFF, "staff"), (Membership.Role.DIRECTOR, "director")):
        user = UserFactory(username=f"{UNIT}-{suffix}", first_name=f"ทดสอบ{suffix}")
        user.set_password(PASSWORD)
        user.save()
        Membership.objects.create(user=user, unit=unit, role=role)


def _forget_2570() -> None:
    """load_portal_data ships 2570; the journey opens it from the portal page instead."""
    framework = FiscalYear.objects.get(year=2570).framework
    FiscalYear.objects.filter(year=2570).delete()
    Framework.objects.filter(pk=framework.pk).delete()


def test_a_district_runs_its_year_from_results_to_a_published_memo_that_stays_as_approved(
    live_server, settings, tmp_path
):
    from playwright.sync_api import expect, sync_playwright

    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_portal_data", stdout=StringIO())
    unit = OrgUnit.objects.get(code=UNIT)
    _people(unit)
    _forget_2570()
    division = OrgUnit.objects.divisions_of(unit).first().name
    base = live_server.url
    click = Clicks()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(20_000)
        public = browser.new_context().new_page()

        # the central team opens fiscal 2570 from the portal (a provisional copy of 2569)
        _login(page, base, "central", click)
        click(page.get_by_role("link", name="งานของหน่วยงาน"))
        click(page.get_by_role("link", name="ปีงบประมาณและเกณฑ์การประเมิน"))
        click(page.get_by_role("button", name="เปิดปีงบประมาณ 2570"))
        expect(page.locator(".messages")).to_contain_text("2570")
        _logout(page, base, click)

        # staff enter the district's 2569 results through the web form
        # login lands on หน้าแรกของฉัน, whose first next step is the results still to enter
        _login(page, base, f"{UNIT}-staff", click)
        expect(page.locator("h1")).to_contain_text("หน้าแรกของฉัน")
        click(page.get_by_role("link", name="ผลการประเมินปี 2569 ที่ยังไม่ได้บันทึก"))
        click(page.get_by_role("button", name="สร้างแบบบันทึกผลการประเมิน"))
        page.get_by_label("คะแนนรวมที่ประกาศ").fill("87.12")
        for number, score in enumerate(INDICATOR_SCORES, 1):
            name = re.compile(rf"^คะแนนตัวชี้วัดที่ {number}( |$)")
            page.get_by_role("textbox", name=name).fill(score)
        click(page.get_by_role("button", name="บันทึกคะแนนทั้งหมด"))
        expect(page.locator(".messages")).to_contain_text("บันทึกผลการประเมินแล้ว")
        _logout(page, base, click)

        # not public yet; the director publishes and the public page shows it at once
        assert public.goto(f"{base}/{UNIT}/2569/").status == 404
        _login(page, base, f"{UNIT}-director", click)
        page.goto(f"{base}/staff/units/{UNIT}/2569/")
        click(page.get_by_role("link", name="เผยแพร่ผลการประเมิน"))
        click(page.locator("main").get_by_role("button", name="เผยแพร่"))
        expect(page.locator(".messages")).to_contain_text("เผยแพร่")
        assert public.goto(f"{base}/{UNIT}/2569/").status == 200
        expect(public.locator("main")).to_contain_text("87.12")
        _logout(page, base, click)

        # staff propose and confirm weaknesses, then answer one with a 2570 measure
        _login(page, base, f"{UNIT}-staff", click)
        click(page.get_by_role("link", name="ผลการประเมินปี 2569 และงานปี 2570"))
        click(page.get_by_role("link", name="ทะเบียนจุดอ่อนของผลปี 2569"))
        click(page.get_by_role("button", name="เสนอจุดอ่อนจากคะแนน"))
        expect(page.locator(".messages")).to_contain_text("เสนอจุดอ่อนใหม่")
        while page.get_by_role("button", name="ยืนยัน", exact=True).count():
            click(page.get_by_role("button", name="ยืนยัน", exact=True).first)
        click(page.get_by_role("link", name="ผลการประเมินปี 2569"))
        click(page.get_by_role("link", name="ดูและบันทึกมาตรการปี 2570"))
        click(page.get_by_role("link", name="เพิ่มมาตรการ"))
        option = page.locator("#id_weakness option", has_text="ตัวชี้วัดที่ 4").first
        page.select_option("#id_weakness", value=option.get_attribute("value"))
        click.count += 1
        page.get_by_label("มาตรการ/แนวทางปฏิบัติ").fill("จัดทำคู่มือการยืมทรัพย์สินของราชการ")
        page.get_by_label("ผลผลิต").fill("คู่มือการยืมทรัพย์สินของราชการ")
        page.locator("#id_steps-0-text").fill("ร่างคู่มือ")
        page.locator("#id_steps-0-ORDER").fill("1")
        page.locator("#id_steps-1-text").fill("เวียนแจ้งทุกฝ่าย")
        page.locator("#id_steps-1-ORDER").fill("2")
        page.get_by_label("ระยะเวลาแล้วเสร็จ").fill("31/03/2570")
        click(page.get_by_label(division, exact=True))
        click(page.get_by_role("button", name="บันทึกมาตรการ"))
        expect(page.locator(".messages")).to_contain_text("เพิ่มมาตรการแล้ว")
        measure_url = page.url

        # report progress, then draft the analysis memo of the 2569 results
        click(page.get_by_role("link", name="รายงานความคืบหน้า"))
        page.locator("#id_note").fill("ร่างคู่มือเสร็จแล้ว")
        page.get_by_label("ร้อยละความสำเร็จ").fill("50")
        click(page.get_by_role("button", name="บันทึกความคืบหน้า"))
        expect(page.locator(".messages")).to_contain_text("บันทึกความคืบหน้าแล้ว")
        page.goto(f"{base}/staff/units/{UNIT}/2569/")
        click(page.get_by_role("link", name="จัดทำบันทึกวิเคราะห์ผลปี 2569"))
        page.get_by_role("textbox", name="เรื่อง", exact=True).fill(
            "การวิเคราะห์ผลการประเมิน ITA ของสำนักงานเขตคลองเตย ปี ๒๕๖๙"
        )
        page.get_by_role("textbox", name="เรียน", exact=True).fill("ผู้อำนวยการเขตคลองเตย")
        click(page.get_by_role("button", name="บันทึกร่าง"))
        click(page.get_by_role("button", name="เสนอพิจารณา"))
        expect(page.locator(".messages")).to_contain_text("เสนอพิจารณาแล้ว")
        memo_url = page.url.split("#")[0]
        _logout(page, base, click)

        # the director approves and publishes the memo
        # the director finds it in the approval inbox of หน้าแรกของฉัน
        _login(page, base, f"{UNIT}-director", click)
        click(page.get_by_role("link", name="การวิเคราะห์ผลการประเมิน ITA ของสำนักงานเขตคลองเตย"))
        click(page.get_by_role("button", name="อนุมัติและออกเลขที่"))
        expect(page.locator(".messages")).to_contain_text("อนุมัติ")
        click(page.get_by_role("button", name="เผยแพร่ต่อสาธารณะ"))
        expect(page.locator(".messages")).to_contain_text("เผยแพร่")
        _logout(page, base, click)

        # the public reads it; its PDF's digest verifies
        pdf_url = memo_url.rstrip("/") + ".pdf"
        html_before = public.goto(memo_url).body()
        pdf_before = public.request.get(pdf_url).body()
        assert "จัดทำคู่มือการยืมทรัพย์สินของราชการ".encode() in html_before
        pdf_path = tmp_path / "memo.pdf"
        pdf_path.write_bytes(pdf_before)
        public.goto(f"{base}/verify/")
        public.locator("input[type=file]").set_input_files(str(pdf_path))
        click(public.locator("main").get_by_role("button").first)
        expect(public.locator("main")).to_contain_text("ตรงกับ")

        # a later edit of the measure leaves the published page and PDF unchanged
        _login(page, base, f"{UNIT}-staff", click)
        page.goto(measure_url.rstrip("/") + "/edit/")
        page.get_by_label("มาตรการ/แนวทางปฏิบัติ").fill("ปรับชื่อมาตรการภายหลังการเผยแพร่")
        click(page.get_by_role("button", name="บันทึกมาตรการ"))
        expect(page.locator(".messages")).to_contain_text("แก้ไข")
        assert public.goto(memo_url).body() == html_before
        assert public.request.get(pdf_url).body() == pdf_before
        browser.close()

    print(f"\nthe yearly cycle took {click.count} clicks")
    assessment = Assessment.objects.get(unit=unit, fiscal_year__year=2569)
    assert assessment.published_at is not None
    assert FiscalYear.objects.get(year=2570).framework.provisional
    assert not Weakness.objects.filter(
        assessment=assessment, status=Weakness.Status.PROPOSED
    ).exists()
    assert Measure.objects.get(unit=unit).fiscal_year.year == 2570
    assert Memo.objects.get(unit=unit).status == Memo.Status.PUBLISHED
