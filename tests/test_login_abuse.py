"""Repeated failed logins lock one user name at one client address for a while, in Thai; no client
can lock anyone else out, and behind the TLS proxy the client's address comes from
X-Forwarded-For only as far as the configured proxies vouch for it.

Requests are built as gunicorn hands them to Django behind nginx: REMOTE_ADDR is the proxy, and
X-Forwarded-For holds what the client sent followed by the address nginx received it from.
"""

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings
from django.urls import reverse

from ita_portal.client_ip import client_ip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_dusit")]

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"
RIGHT = "ita-demo-2569"


def _login(client, username, password, ip="10.0.0.1", forwarded_for=None):
    extra = {"REMOTE_ADDR": ip}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _through_proxy(client, username, password, client_address):
    return _login(client, username, password, ip=PROXY, forwarded_for=client_address)


def _logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_third_wrong_password_locks_the_account_with_a_thai_message(client):
    for _ in range(2):
        assert _login(client, "dusit-staff", "wrong").status_code == 200
    locked = _login(client, "dusit-staff", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in text and "15 นาที" in text
    assert "“dusit-staff” จากเครื่องนี้" in text and "ผู้ใช้อื่นและเครื่องอื่น" in text
    assert 'class="site-header"' in text and f'href="{reverse("login")}"' in text


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_locked_account_is_refused_even_with_the_right_password_from_that_address(client):
    for _ in range(3):
        _login(client, "dusit-staff", "wrong", ip="10.0.0.9")
    assert _login(client, "dusit-staff", RIGHT, ip="10.0.0.9").status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failing_with_someone_elses_name_does_not_lock_them_out_elsewhere(client):
    for _ in range(5):
        _login(client, "dusit-staff", "wrong", ip=ATTACKER)
    assert _logged_in(_login(client, "dusit-staff", RIGHT, ip=COLLEAGUE))


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_failing_with_made_up_names_locks_no_one_else_at_that_address(client):
    """An office behind one NAT address: one person's typos must not lock out their colleagues."""
    for name in ("a", "b", "c", "d", "e", "f"):
        _login(client, name, "wrong", ip="10.0.0.66")
    assert _logged_in(_login(client, "dusit-director", RIGHT, ip="10.0.0.66"))


@override_settings(AXES_ENABLED=True, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_made_up_names_from_one_client_lock_out_no_real_user(client):
    """The outside probe: five failures for invented names from one client, all through the one
    proxy, then real users log in through the same proxy, from elsewhere and from that client."""
    for number in range(10):
        assert _through_proxy(client, f"nobody-{number}", "wrong", ATTACKER).status_code == 200
    for _ in range(5):
        _through_proxy(client, "dusit-staff", "wrong", ATTACKER)
    assert _through_proxy(client, "dusit-staff", RIGHT, ATTACKER).status_code == 429

    assert _logged_in(_through_proxy(client, "dusit-staff", RIGHT, COLLEAGUE))
    client.logout()
    assert _logged_in(_through_proxy(client, "dusit-director", RIGHT, ATTACKER))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_without_a_proxy_count_a_forged_forwarded_for_buys_no_extra_guesses(client):
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _login(client, "dusit-staff", "wrong", ip=ATTACKER, forwarded_for=forged)
    assert (
        _login(client, "dusit-staff", RIGHT, ip=ATTACKER, forwarded_for="192.0.2.4").status_code
        == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_a_forged_leftmost_entry_buys_no_extra_guesses(client):
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        _through_proxy(client, "dusit-staff", "wrong", f"{forged}, {ATTACKER}")
    locked = _through_proxy(client, "dusit-staff", RIGHT, f"192.0.2.4, {ATTACKER}")
    assert locked.status_code == 429


def _request(remote="10.0.0.1", forwarded_for=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().post("/login/", **extra)


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),
        (1, None, "10.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 172.16.0.5", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
    ids=[
        "no count ignores the header",
        "no header",
        "one proxy",
        "one proxy, forged entry",
        "two proxies",
        "two proxies, request skipped the outer one",
        "garbage falls back to the proxy",
        "IPv6",
    ],
)
def test_client_ip_reads_only_what_the_trusted_proxies_wrote(
    settings, count, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(_request(forwarded_for=forwarded_for)) == expected
