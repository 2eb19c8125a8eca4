"""The overview, a unit dashboard and a public page in Debian's Chromium, desktop and phone.

Screenshots go to test-results/ (git-ignored) for a person to look at. live_server's database is
flushed after each test, so the test loads the portal data itself.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = Path(settings.BASE_DIR) / "test-results"
PASSWORD = "ita-demo-2569"
PAGES = [
    ("overview", "/dashboards/overview/?year=2566", "ภาพรวมผลการประเมิน ITA กรุงเทพมหานคร"),
    ("unit-dashboard", "/dashboards/units/dusit/2564/", "แดชบอร์ดผลการประเมิน ITA"),
    ("public-bma-2566", "/bma/2566/", "มี 6 ตัวชี้วัดที่ได้คะแนนต่ำกว่า 85 คะแนน"),
]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package")
@pytest.mark.django_db(transaction=True)
def test_dashboards_and_a_public_page_render_on_desktop_and_phone(live_server):
    call_command("load_portal_data", stdout=open("/dev/null", "w"))
    RESULTS.mkdir(exist_ok=True)

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width in (1280, 390):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="th-TH")
            page = context.new_page()
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", "central")
            page.fill("#id_password", PASSWORD)
            page.click("main form button[type=submit]")

            for name, path, heading in PAGES:
                page.goto(f"{live_server.url}{path}")
                assert page.get_by_text(heading).first.is_visible()
                page.screenshot(path=str(RESULTS / f"{name}-{width}.png"), full_page=True)
                # nothing but the wide tables (which scroll in their own region) is wider
                assert page.evaluate("document.documentElement.scrollWidth") <= width

            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip-link"
            context.close()
        browser.close()

    for name, _, _ in PAGES:
        for width in (1280, 390):
            assert (RESULTS / f"{name}-{width}.png").stat().st_size > 10_000
