"""Response headers and account settings: Content-Security-Policy without inline script or style,
clickjacking protection, password validators and session expiry."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # one style attribute of django-simple-history's admin page, allowed by its hash only
    "style-src-attr": "'unsafe-hashes' 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy header as directive → sources."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, sources = part.strip().partition(" ")
        directives[name] = sources
    return directives


@pytest.mark.parametrize("url", ["/", "/bma/2566/", "/login/", "/admin/login/"])
def test_every_page_carries_the_policy_with_no_inline_script_or_style(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert policy(response) == EXPECTED
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_staff_pages_carry_the_policy_too(client, central_team):
    client.force_login(central_team)

    response = client.get("/dashboards/")

    assert policy(response) == EXPECTED


def test_no_template_writes_inline_script_handlers_or_style(client):
    """The pages themselves hold no <script>, no on…= handler and no style attribute."""
    html = client.get("/bma/2566/").content.decode()

    assert "<script" not in html
    assert " onclick=" not in html and " onload=" not in html
    assert "style=" not in html and "<style" not in html


def test_pages_may_not_be_framed(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "password",
    ["short1", "12345678901", "password123", "dusit-staff"],
    ids=["too short", "all digits", "common", "same as the user name"],
)
def test_weak_passwords_are_refused(staff_dusit, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=staff_dusit)


def test_a_strong_password_is_accepted(staff_dusit):
    assert validate_password("ครุฑ-เท้าเหยียด-2569-ดุสิต", user=staff_dusit) is None


def test_a_session_expires_after_its_age(settings, staff_dusit):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client = Client()
    client.force_login(staff_dusit)
    assert client.get("/staff/units/dusit/").status_code == 200

    session = client.session
    session.set_expiry(-1)  # as if the eight hours had passed
    session.save()

    response = client.get("/staff/units/dusit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
