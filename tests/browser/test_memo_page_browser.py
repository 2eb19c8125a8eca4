"""The public memo pages in Debian's Chromium at a phone's 390 px: nothing is wider than the
screen (the page is fluid up to A4's width; wide tables scroll in their own region).

Screenshots go to test-results/ (git-ignored). live_server's database is flushed after each
test, so the test loads the portal data itself.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from measures.models import Memo

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
RESULTS = Path(settings.BASE_DIR) / "test-results"
PHONE = 390


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package")
@pytest.mark.django_db(transaction=True)
def test_every_public_memo_page_fits_a_phone(live_server):
    call_command("load_portal_data", stdout=open("/dev/null", "w"))
    RESULTS.mkdir(exist_ok=True)
    memos = list(Memo.objects.published().order_by("pk").values_list("pk", flat=True))

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": PHONE, "height": 844}, locale="th-TH")
        widths = {}
        for pk in memos:
            page.goto(f"{live_server.url}/memos/{pk}/")
            assert page.get_by_role("link", name="ดาวน์โหลด PDF").is_visible()
            page.screenshot(path=str(RESULTS / f"memo-{pk}-{PHONE}.png"))
            widths[pk] = page.evaluate("document.documentElement.scrollWidth")
        browser.close()

    assert len(memos) == 5
    assert widths == {pk: PHONE for pk in memos}
