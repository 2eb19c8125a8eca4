"""The Content-Security-Policy in a real browser (Debian's Chromium): no page the portal shows makes
the browser report a violation, the admin included, and the policy really blocks inline script.

Chromium writes every violation to the console ("Refused to apply inline style…", "Refused to
execute inline script…"), so the test listens to the console of each page. live_server flushes
the database afterwards: the demo data is loaded before and again after the test.
"""

from io import StringIO

from django.core.management import call_command

from assessments.models import Assessment, FiscalYear
from measures.models import Memo

# the same browser, skip condition and reload of the demo data after live_server's flush
from tests.browser.test_staff_journey import (  # noqa: F401 (the fixture is used by pytest)
    CHROMIUM,
    PASSWORD,
    demo_data_after_the_flush,
    pytestmark,
)


def is_violation(text: str) -> bool:
    """Chromium's console messages for a blocked resource or inline code."""
    return "Content Security Policy" in text or "Refused to" in text


def test_no_page_of_the_portal_violates_the_content_security_policy(live_server):
    from playwright.sync_api import sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    dusit_2564 = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    memo = Memo.objects.published().order_by("pk").first()
    draft = Memo.objects.create(
        unit=dusit_2564.unit,
        fiscal_year=FiscalYear.objects.get(year=2566),
        kind=Memo.Kind.ANALYSIS,
        subject="ร่างบันทึกทดสอบนโยบายความปลอดภัย",
        addressee="ผู้อำนวยการเขตดุสิต",
    )
    public_pages = ["/", "/bma/2566/", f"/memos/{memo.pk}/"]
    staff_pages = [
        "/dashboards/overview/",
        "/dashboards/units/dusit/2564/",
        f"/staff/assessments/{dusit_2564.pk}/scores/",
        f"/staff/memos/{draft.pk}/edit/",
        "/admin/",
        "/admin/measures/measure/",
        f"/admin/assessments/assessment/{dusit_2564.pk}/history/",
    ]
    violations: list[tuple[str, str]] = []
    visited: list[tuple[str, int]] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.set_default_timeout(20_000)
        page.on(
            "console",
            lambda message: (
                is_violation(message.text) and violations.append((page.url, message.text))
            ),
        )

        for url in public_pages:
            response = page.goto(f"{live_server.url}{url}", wait_until="networkidle")
            visited.append((url, response.status))

        page.goto(f"{live_server.url}/login/")
        page.get_by_label("ชื่อผู้ใช้").fill("central")
        page.get_by_label("รหัสผ่าน").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
        page.wait_for_load_state("networkidle")
        for url in staff_pages:
            response = page.goto(f"{live_server.url}{url}", wait_until="networkidle")
            visited.append((url, response.status))
        admin_title = page.title()
        seen_on_pages = list(violations)

        # the policy is enforced, not only sent: an inline script slipped into a page is refused
        page.goto(f"{live_server.url}/", wait_until="networkidle")
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "document.title = 'injected'";
                document.body.appendChild(script);
            }"""
        )
        page.wait_for_timeout(200)
        injected_title = page.title()
        browser.close()

    assert [status for _, status in visited] == [200] * len(visited), visited
    assert "ITA Portal" in admin_title
    assert seen_on_pages == []
    assert injected_title != "injected"
    assert len(violations) == 1 and "inline script" in violations[0][1]
