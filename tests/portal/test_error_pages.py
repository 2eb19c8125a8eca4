"""Error pages with DEBUG off: Thai, in the portal's layout, with the reason the code gave (never
Django's English internals) and a way back, under the same Content-Security-Policy."""

import pytest
from django.test import Client

from ita_portal.views.errors import user_message
from tests.test_csp import EXPECTED, policy

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def debug_off(settings):
    settings.DEBUG = False


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def _page(response) -> str:
    text = response.content.decode()
    assert 'class="site-header"' in text and 'class="site-footer"' in text, "not in the layout"
    assert 'href="/"' in text, "no way home"
    assert policy(response) == EXPECTED
    return text


def test_an_unknown_address_answers_a_thai_404_saying_what_was_not_found(client):
    response = client.get("/no/such/page/")

    text = _page(response)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in text and "ไม่พบหน้าหรือข้อมูลที่ต้องการ" in text
    assert "/no/such/page/" in text
    assert "Not Found" not in text and "Resolver404" not in text


def test_a_404_shows_the_thai_reason_the_code_gave(client):
    text = _page(client.get("/memos/999999/"))

    assert "ไม่พบบันทึกข้อความ" in text


def test_a_404_never_shows_djangos_english_lookup_message(client):
    response = client.get("/no-such-unit/2566/")

    text = _page(response)
    assert response.status_code == 404
    assert "matches the given query" not in text and "OrgUnit" not in text
    assert "ไม่พบหน้าหรือข้อมูลที่ต้องการ" in text


def test_a_403_says_why_the_user_may_not_and_leads_back(client, staff_dusit):
    client.force_login(staff_dusit)

    response = client.get("/dashboards/overview/", HTTP_REFERER="http://testserver/staff/")

    text = _page(response)
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์ดำเนินการนี้" in text
    assert "เฉพาะทีม ITA ส่วนกลางและผู้บริหารกรุงเทพมหานคร" in text
    assert 'href="http://testserver/staff/"' in text and "กลับไปหน้าก่อนหน้า" in text
    assert "403 Forbidden" not in text


def test_the_way_back_never_leads_to_another_site(client, staff_dusit):
    client.force_login(staff_dusit)

    text = _page(client.get("/dashboards/overview/", HTTP_REFERER="https://evil.example/"))

    assert "evil.example" not in text and "กลับไปหน้าก่อนหน้า" not in text


def test_a_stale_form_answers_a_thai_403_instead_of_the_csrf_diagnosis(staff_dusit):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    response = client.post("/login/", {"username": "dusit-staff", "password": "x"})

    text = _page(response)
    assert response.status_code == 403
    assert "ส่งแบบฟอร์มไม่สำเร็จ" in text and "คุกกี้" in text
    assert "CSRF" not in text and "Forbidden" not in text


def test_a_bad_request_answers_a_thai_400_without_the_internal_reason(client, settings):
    settings.ALLOWED_HOSTS = ["ita.example"]

    response = client.get("/", HTTP_HOST="ita.example:bad:port")

    text = _page(response)
    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in text
    assert "HTTP_HOST" not in text and "Bad Request" not in text


@pytest.mark.urls("tests.portal.error_urls")
def test_a_server_error_answers_a_thai_500_without_internals_or_the_database(
    client, staff_dusit, django_assert_num_queries
):
    client.force_login(staff_dusit)

    with django_assert_num_queries(0):
        response = client.get("/broken/")

    text = _page(response)
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in text and "ทีม ITA ส่วนกลาง" in text
    assert "hunter2" not in text and "db-primary" not in text and "Server Error" not in text


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("ไม่พบบันทึกข้อความ", "ไม่พบบันทึกข้อความ"),
        ("No Memo matches the given query.", ""),
        ({"tried": [], "path": "x/"}, ""),
        (None, ""),
    ],
    ids=["thai, for users", "django's english", "resolver's dict", "no message"],
)
def test_only_messages_written_for_users_are_shown(message, shown):
    exception = Exception() if message is None else Exception(message)
    assert user_message(exception) == shown
