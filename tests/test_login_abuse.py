"""Repeated failed logins lock the user name and the address for a while, in Thai."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_dusit")]


def _login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_third_wrong_password_locks_the_account_with_a_thai_message(client):
    for _ in range(2):
        assert _login(client, "dusit-staff", "wrong").status_code == 200
    locked = _login(client, "dusit-staff", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in text and "15 นาที" in text


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_locked_account_is_refused_even_with_the_right_password(client):
    for _ in range(3):
        _login(client, "dusit-staff", "wrong")
    assert _login(client, "dusit-staff", "ita-demo-2569", ip="10.0.0.9").status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_an_address_that_keeps_failing_is_locked_for_every_user_name(client):
    for name in ("a", "b", "c"):
        _login(client, name, "wrong", ip="10.0.0.66")
    assert _login(client, "dusit-director", "ita-demo-2569", ip="10.0.0.66").status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_other_users_and_addresses_can_still_log_in(client):
    for _ in range(3):
        _login(client, "dusit-staff", "wrong", ip="10.0.0.5")
    response = _login(client, "dusit-director", "ita-demo-2569", ip="10.0.0.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
