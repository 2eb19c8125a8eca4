"""The link check against a local HTTP server: 200, 404, a redirect, no HEAD, a timeout, and the
refusal of private addresses and other schemes."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from measures import link_check
from measures.disclosure import check_links, links_of
from measures.link_check import (
    NOT_HTTP,
    PRIVATE,
    TIMEOUT,
    TOO_MANY_REDIRECTS,
    CheckOptions,
    check_url,
    check_urls,
)
from measures.models import DisclosureItem, DisclosureLink
from tests.measures.test_disclosure import fiscal_year

LOCAL = CheckOptions(timeout=0.5, max_redirects=3, allow_private=True)
THAI_PATH = "/%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99?%E0%B8%9B%E0%B8%B5=2570"


class Handler(BaseHTTPRequestHandler):
    """/ok 200 HTML, /missing 404, /moved → /ok, /loop → /loop, /nohead 405 to HEAD, /slow."""

    def answer(self, body: bool) -> None:
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/ok")
        elif self.path == "/loop":
            self.send_response(301)
            self.send_header("Location", "/loop")
        elif self.path == "/nohead" and not body:
            self.send_response(405)
        elif self.path in ("/ok", "/nohead", "/slow", THAI_PATH):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_that_answers_200_is_recorded_with_its_type(server):
    result = check_url(f"{server}/ok", LOCAL)

    assert (result.status, result.final_url, result.error) == (200, f"{server}/ok", "")
    assert result.content_type == "text/html; charset=utf-8"


def test_a_missing_page_records_404(server):
    assert check_url(f"{server}/missing", LOCAL).status == 404


def test_a_redirect_is_followed_to_its_final_address(server):
    result = check_url(f"{server}/moved", LOCAL)

    assert (result.status, result.final_url) == (200, f"{server}/ok")


def test_endless_redirects_stop_at_the_limit(server):
    result = check_url(f"{server}/loop", LOCAL)

    assert (result.status, result.error) == (None, TOO_MANY_REDIRECTS)


def test_a_server_that_refuses_head_is_asked_with_get(server):
    assert check_url(f"{server}/nohead", LOCAL).status == 200


def test_a_server_that_does_not_answer_in_time_times_out(server):
    started = time.monotonic()
    result = check_url(f"{server}/slow", LOCAL)

    assert (result.status, result.error) == (None, TIMEOUT)
    assert time.monotonic() - started < 1.5  # one timeout, no second try with GET


def test_private_and_loopback_addresses_are_refused_unless_allowed(server):
    strict = CheckOptions(timeout=0.5)

    for url in (f"{server}/ok", "http://localhost/", "http://10.0.0.1/", "http://[::1]/"):
        assert check_url(url, strict).error == PRIVATE, url


def test_a_redirect_into_the_private_network_is_refused(monkeypatch):
    # the test server counts as public here; the address it redirects to is checked again
    monkeypatch.setattr(link_check, "_is_public", lambda address: address != "10.0.0.1")

    class ToPrivate(Handler):
        def do_HEAD(self):
            self.send_response(302)
            self.send_header("Location", "http://10.0.0.1/secret")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ToPrivate)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        result = check_url(f"http://127.0.0.1:{httpd.server_address[1]}/", CheckOptions(timeout=1))
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (result.error, result.final_url) == (PRIVATE, "http://10.0.0.1/secret")


def test_a_thai_address_is_sent_percent_encoded(server):
    assert check_url(f"{server}/รายงาน?ปี=2570", LOCAL).status == 200


def test_addresses_not_started_within_the_budget_are_left(server):
    results = check_urls([f"{server}/slow", f"{server}/ok", f"{server}/ok"], LOCAL, 1, budget=0.2)

    assert results[0].error == TIMEOUT
    assert results[1:] == [None, None]


def test_other_schemes_are_refused():
    for url in ("ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)"):
        assert check_url(url, LOCAL).error == NOT_HTTP


def test_many_addresses_keep_their_order(server):
    urls = [f"{server}/ok", f"{server}/missing", f"{server}/moved"] * 3

    results = check_urls(urls, LOCAL, workers=2)

    assert [r.status for r in results] == [200, 404, 200] * 3
    assert [r.url for r in results] == urls


@pytest.fixture
def links(db, dusit, server):
    fy = fiscal_year(2570)
    questions = list(fy.framework.questions.filter(code__in=["O1", "O2"]).order_by("order"))
    items = [
        DisclosureItem.objects.create(unit=dusit, fiscal_year=fy, question=q) for q in questions
    ]
    return [
        DisclosureLink.objects.create(item=items[0], url=f"{server}/ok"),
        DisclosureLink.objects.create(item=items[0], url=f"{server}/moved", order=1),
        DisclosureLink.objects.create(item=items[1], url=f"{server}/missing"),
        DisclosureLink.objects.create(item=items[1], url=f"{server}/slow", order=1),
    ]


def test_check_links_records_every_address_answer(links, settings, server):
    settings.DISCLOSURE_CHECK_ALLOW_PRIVATE = True
    settings.DISCLOSURE_CHECK_TIMEOUT = 0.5
    now = timezone.now()

    check_links(links, now)

    rows = {
        link.url: (link.last_status, link.final_url, link.error, link.checked_at)
        for link in DisclosureLink.objects.all()
    }
    assert rows == {
        f"{server}/ok": (200, f"{server}/ok", "", now),
        f"{server}/moved": (200, f"{server}/ok", "", now),
        f"{server}/missing": (404, f"{server}/missing", "", now),
        f"{server}/slow": (None, f"{server}/slow", TIMEOUT, now),
    }


def test_the_production_default_refuses_the_local_server(links):
    check_links(links, timezone.now())

    assert set(DisclosureLink.objects.values_list("error", flat=True)) == {PRIVATE}


def test_a_run_cut_short_keeps_the_last_check_and_starts_there_next_time(links, settings):
    settings.DISCLOSURE_CHECK_ALLOW_PRIVATE = True
    settings.DISCLOSURE_CHECK_TIMEOUT = 0.5
    fy = links[0].item.fiscal_year
    check_links(links_of(fy), timezone.now())
    never = DisclosureLink.objects.create(item=links[0].item, url="https://new.example/")

    run = check_links(links_of(fy), timezone.now(), budget=0)

    assert (run.checked, run.left) == ([], 5)
    assert list(links_of(fy))[0] == never
    assert DisclosureLink.objects.get(pk=links[2].pk).last_status == 404


def test_the_management_command_checks_the_year_s_links(links, settings, server, capsys):
    settings.DISCLOSURE_CHECK_ALLOW_PRIVATE = True
    settings.DISCLOSURE_CHECK_TIMEOUT = 0.5

    call_command("check_disclosure_links", "--year", "2570", "--unit", "dusit")

    assert DisclosureLink.objects.get(url=f"{server}/missing").last_status == 404
    assert "ตรวจลิงก์แล้ว 4 ลิงก์" in capsys.readouterr().out


def test_the_checklist_button_checks_the_unit_s_links(links, settings, server, client, staff_dusit):
    settings.DISCLOSURE_CHECK_ALLOW_PRIVATE = True
    settings.DISCLOSURE_CHECK_TIMEOUT = 0.5
    client.force_login(staff_dusit)

    response = client.post("/staff/units/dusit/2570/disclosure/check/", follow=True)

    page = response.content.decode()
    assert "ตรวจลิงก์แล้ว 4 ลิงก์ เปิดได้ 2 ลิงก์ มีปัญหา 2 ลิงก์" in page
    assert TIMEOUT in page and "404" in page
    assert DisclosureLink.objects.get(url=f"{server}/moved").final_url == f"{server}/ok"


def test_the_button_says_what_it_left_for_the_next_press(links, settings, client, staff_dusit):
    settings.DISCLOSURE_CHECK_BUTTON_SECONDS = 0
    client.force_login(staff_dusit)

    response = client.post("/staff/units/dusit/2570/disclosure/check/", follow=True)

    assert "ยังไม่ได้ตรวจอีก 4 ลิงก์เพราะใช้เวลานาน" in response.content.decode()
