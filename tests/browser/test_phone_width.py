"""Phones: no staff, director or public page scrolls sideways at 390 px, and each role's landing
page as it looks at 1280 and 390 px, in Debian's Chromium.

The pages are collected from the demo data by following every link from each role's starting
pages (downloads, the admin and logging out left aside), at most PER_PATTERN pages of one URL
shape (``/staff/measures/N/``), so every template is opened with the demo's own data. A page is
wide enough when the document is no wider than the viewport: a wide table scrolls in its own box.
Screenshots go to test-results/ (gitignored), or to docs/screens/landing-*.png with
UPDATE_SCREENS=1.

live_server's database is flushed after the test: the demo data is loaded before and again
afterwards, so the tests after these still find it.
"""

import os
import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from measures.models import Memo

# the same browser, skip condition and reload of the demo data after live_server's flush
from tests.browser.test_staff_journey import (  # noqa: F401 (the fixture is used by pytest)
    CHROMIUM,
    PASSWORD,
    demo_data_after_the_flush,
    pytestmark,
)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PER_PATTERN = 2
START = {
    "dusit-staff": ["/staff/my/", "/staff/units/dusit/", "/staff/units/dusit/2564/"],
    "dusit-director": ["/staff/my/", "/dashboards/", "/dashboards/measures/?due=all"],
    None: ["/", "/dusit/", "/dusit/2564/", "/bma/2566/", "/opendata/", "/verify/"],
}
SKIP = re.compile(
    r"(export|template|\.pdf|\.xlsx|\.csv|\.json|/evidence/|/admin/|/logout/|/login/|"
    r"/static/|/media/|/transition/|/publish/|/unpublish/|/propose/|/check/|/copy/)"
)
SCREENS = Path(settings.BASE_DIR) / (
    "docs/screens" if os.environ.get("UPDATE_SCREENS") == "1" else "test-results"
)
# The memo document pages are an A4 page on screen until issue 16.8 lays them out for phones.
MEMO_PAGE = re.compile(r"^/memos/\d+/(revisions/\d+/)?$")


def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def _log_in(page, base: str, username: str | None) -> None:
    if username is None:
        return
    page.goto(f"{base}/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url(f"{base}/**")


def _pages(page, base: str, starts: list[str]) -> list[str]:
    """Every page reachable from ``starts`` through links, PER_PATTERN of each URL shape."""
    seen, shapes, queue, pages = set(), {}, list(starts), []
    while queue:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        shape = re.sub(r"\d+", "N", urlsplit(path).path)
        if shapes.get(shape, 0) >= PER_PATTERN:
            continue
        response = page.request.get(base + path, max_redirects=0)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        pages.append(path)
        for href in re.findall(r'href="(/[^"#]*)"', response.text()):
            queue.append(href.replace("&amp;", "&"))
    return pages


# Table headers whose text wraps at a place that is not a word boundary (Thai words by ICU's
# dictionary, as Intl.Segmenter gives them): the places where a character starts a new line.
BROKEN_HEADERS = """() => {
  const words = new Intl.Segmenter("th", {granularity: "word"});
  const broken = [];
  for (const th of document.querySelectorAll("th")) {
    for (const node of [...th.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)) {
      const text = node.textContent;
      const starts = new Set([...words.segment(text)].map(s => s.index));
      let top = null;
      for (let i = 0; i < text.length; i++) {
        if (/\\s/.test(text[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2 && !starts.has(i)) broken.push(text.trim());
        top = rect.top;
      }
    }
  }
  return broken;
}"""


def _too_wide(page, base: str, paths: list[str]) -> list[tuple[str, object]]:
    """Pages wider than the phone, and table headers broken inside a word."""
    wide = []
    for path in paths:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append((path, width))
        wide += [(path, header) for header in page.evaluate(BROKEN_HEADERS)]
    return wide


@pytest.mark.parametrize("username", list(START), ids=lambda u: u or "public")
def test_no_page_scrolls_sideways_on_a_phone(live_server, username):
    from playwright.sync_api import sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    base = live_server.url
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport=PHONE, locale="th-TH")
        page.set_default_timeout(20_000)
        _log_in(page, base, username)
        paths = _pages(page, base, START[username])
        wide = _too_wide(page, base, [p for p in paths if not MEMO_PAGE.match(p)])
        browser.close()

    assert len(paths) >= (20 if username else 8)
    assert wide == [], "too wide or a header broken: " + ", ".join(f"{p} ({w})" for p, w in wide)


def test_the_memo_page_fits_a_phone(live_server):
    from playwright.sync_api import sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    memos = [memo.get_absolute_url() for memo in Memo.objects.published()]
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport=PHONE, locale="th-TH")
        wide = _too_wide(page, live_server.url, memos)
        browser.close()
    assert len(memos) == 5
    assert wide == []


LANDINGS = ["dusit-staff", "dusit-director", "central", "bma-executive"]


def test_each_roles_landing_page_at_1280_and_390_px(live_server):
    from playwright.sync_api import expect, sync_playwright

    call_command("load_portal_data", stdout=StringIO())
    SCREENS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        for username in LANDINGS:
            for viewport in (DESKTOP, PHONE):
                page = browser.new_page(viewport=viewport, locale="th-TH")
                page.set_default_timeout(20_000)
                _log_in(page, base, username)
                heading = "ภาพรวมผลการประเมิน" if username == "bma-executive" else "หน้าแรกของฉัน"
                expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
                assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                name = f"landing-{username}-{viewport['width']}.png"
                page.screenshot(path=str(SCREENS / name), full_page=True)
                page.close()
        browser.close()
