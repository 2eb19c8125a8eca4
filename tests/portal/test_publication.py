"""Publishing a unit-year's results: the unit's director and the central team, from a button on
the staff unit-year page or (the central team) from the admin's actions, always through
assessments.publishing, so the cached anonymous public page changes on the very next request."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, Membership, OrgUnit
from tests.factories import MembershipFactory

PUBLIC_PAGE = "/dusit/2566/"
UNIT_PAGE = "/dusit/"


@pytest.fixture
def dusit_2566(db) -> Assessment:
    """Dusit's 2566 result, entered but not yet published."""
    return Assessment.objects.create(
        unit=OrgUnit.objects.get(code="dusit"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=Decimal("88.42"),
        official_level="ผ่าน",
    )


@pytest.fixture
def published_2566(dusit_2566) -> Assessment:
    dusit_2566.published_at = timezone.now()
    dusit_2566.save()
    return dusit_2566


@pytest.fixture
def director_pathumwan(db):
    unit = OrgUnit.objects.get(code="pathum-wan")
    return MembershipFactory(unit=unit, role=Membership.Role.DIRECTOR).user


def _url(move: str, code: str = "dusit", year: int = 2566) -> str:
    return reverse(f"staff:assessment-{move}", kwargs={"code": code, "year": year})


def _unit_year_page(client, user, code: str = "dusit", year: int = 2566) -> str:
    client.force_login(user)
    return client.get(
        reverse("staff:unit-year", kwargs={"code": code, "year": year})
    ).content.decode()


def _anonymous_pages(client) -> tuple[int, str]:
    """The public page's status and whether the unit page lists 2566, as anyone sees them."""
    client.logout()
    return client.get(PUBLIC_PAGE).status_code, client.get(UNIT_PAGE).content.decode()


def _assert_cached_unpublished(client) -> None:
    status, unit_page = _anonymous_pages(client)
    assert status == 404
    assert PUBLIC_PAGE not in unit_page
    assert client.get(UNIT_PAGE)["X-Public-Cache"] == "hit"


def _assert_cached_published(client) -> None:
    status, unit_page = _anonymous_pages(client)
    assert status == 200
    assert PUBLIC_PAGE in unit_page
    assert client.get(PUBLIC_PAGE)["X-Public-Cache"] == "hit"


def _button(client, user, move: str, assessment: Assessment):
    client.force_login(user)
    return client.post(_url(move), follow=True)


def _admin_action(client, user, move: str, assessment: Assessment):
    client.force_login(user)
    return client.post(
        reverse("admin:assessments_assessment_changelist"),
        {"action": move, "_selected_action": [assessment.pk]},
        follow=True,
    )


BUTTON_SAYS = {
    "publish": "เผยแพร่ผลการประเมินปี 2566 ต่อสาธารณะแล้ว",
    "unpublish": "ยกเลิกการเผยแพร่ผลการประเมินปี 2566 แล้ว",
}
ADMIN_SAYS = {"publish": "เผยแพร่ต่อสาธารณะแล้ว 1 รายการ", "unpublish": "ยกเลิกการเผยแพร่แล้ว 1 รายการ"}
WAYS = {  # how, by whom, and what the page then says
    "unit-year button, director": (_button, "director_dusit", BUTTON_SAYS),
    "unit-year button, central team": (_button, "central_team", BUTTON_SAYS),
    "admin action, central team": (_admin_action, "central_team", ADMIN_SAYS),
}


@pytest.mark.parametrize("way", sorted(WAYS))
def test_every_way_to_publish_shows_on_the_anonymous_public_page_at_once(
    public_cache, client, dusit_2566, way, request
):
    act, who, says = WAYS[way]
    user = request.getfixturevalue(who)
    _assert_cached_unpublished(client)

    response = act(client, user, "publish", dusit_2566)

    assert says["publish"] in response.content.decode()
    dusit_2566.refresh_from_db()
    assert dusit_2566.published_at is not None
    assert dusit_2566.history.latest().history_user == user
    status, unit_page = _anonymous_pages(client)
    assert (status, PUBLIC_PAGE in unit_page) == (200, True)


@pytest.mark.parametrize("way", sorted(WAYS))
def test_every_way_to_unpublish_shows_on_the_anonymous_public_page_at_once(
    public_cache, client, published_2566, way, request
):
    act, who, says = WAYS[way]
    user = request.getfixturevalue(who)
    _assert_cached_published(client)

    response = act(client, user, "unpublish", published_2566)

    assert says["unpublish"] in response.content.decode()
    published_2566.refresh_from_db()
    assert published_2566.published_at is None
    change = published_2566.state_changes.last()
    assert (change.to_state, change.by) == ("unpublished", user)
    status, unit_page = _anonymous_pages(client)
    assert (status, PUBLIC_PAGE in unit_page) == (404, False)


def test_the_unit_year_page_leads_to_a_thai_confirmation_then_back(
    client, director_dusit, dusit_2566
):
    page = _unit_year_page(client, director_dusit)
    confirm = client.get(_url("publish")).content.decode()
    response = client.post(_url("publish"))

    assert "ยังไม่เผยแพร่ต่อสาธารณะ" in page
    assert f'href="{_url("publish")}"' in page
    assert "จะแสดงต่อสาธารณะทันที" in confirm
    assert 'name="csrfmiddlewaretoken"' in confirm
    assert "ยืนยันเผยแพร่ผลการประเมิน</button>" in confirm
    assert response.url == reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2566})
    assert f'href="{_url("unpublish")}"' in _unit_year_page(client, director_dusit)


def test_the_admin_action_names_what_it_refused(client, central_team, published_2566):
    first = published_2566.published_at

    response = _admin_action(client, central_team, "publish", published_2566)

    assert "เขตดุสิต ปี 2566: ผลการประเมินนี้เผยแพร่แล้ว" in response.content.decode()
    published_2566.refresh_from_db()
    assert published_2566.published_at == first


def test_the_admin_shows_the_publication_time_read_only(client, central_team, published_2566):
    client.force_login(central_team)
    url = reverse("admin:assessments_assessment_change", args=[published_2566.pk])

    page = client.get(url).content.decode()

    changelist = client.get(reverse("admin:assessments_assessment_changelist")).content.decode()
    assert 'name="published_at' not in page
    assert '<option value="publish">เผยแพร่ผลการประเมินที่เลือกต่อสาธารณะ</option>' in changelist
    assert '<option value="unpublish">ยกเลิกการเผยแพร่ผลการประเมินที่เลือก</option>' in changelist


def test_the_unit_year_page_shows_when_the_results_were_published(
    client, staff_dusit, published_2566
):
    published_2566.published_at = datetime.datetime(2023, 9, 4, 7, 30, tzinfo=datetime.UTC)
    published_2566.save()

    page = _unit_year_page(client, staff_dusit)

    assert "เผยแพร่ต่อสาธารณะแล้ว</span> เมื่อ 4 ก.ย. 66 14:30 น." in page


def test_unit_staff_see_no_button_and_are_refused(client, staff_dusit, dusit_2566):
    page = _unit_year_page(client, staff_dusit)

    assert _url("publish") not in page
    assert client.get(_url("publish")).status_code == 403
    assert client.post(_url("publish")).status_code == 403
    dusit_2566.refresh_from_db()
    assert dusit_2566.published_at is None


def test_another_units_director_does_not_find_the_unit_year(client, director_pathumwan, dusit_2566):
    client.force_login(director_pathumwan)

    assert client.get(_url("publish")).status_code == 404
    assert client.post(_url("publish")).status_code == 404
    dusit_2566.refresh_from_db()
    assert dusit_2566.published_at is None


def test_a_unit_year_without_results_has_nothing_to_publish(client, director_dusit):
    client.force_login(director_dusit)

    assert client.post(_url("publish", year=2567)).status_code == 404


def test_publishing_what_is_already_public_is_refused_in_thai(client, director_dusit, dusit_2564):
    first = dusit_2564.published_at
    client.force_login(director_dusit)

    response = client.post(_url("publish", year=2564), follow=True)

    assert "ผลการประเมินนี้เผยแพร่แล้ว" in response.content.decode()
    dusit_2564.refresh_from_db()
    assert dusit_2564.published_at == first


def test_unit_staff_with_an_admin_login_get_no_publication_actions(client, dusit_2566):
    user = MembershipFactory(unit=dusit_2566.unit, role=Membership.Role.STAFF).user
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="assessments", codename__endswith="assessment"
        )
    )

    response = _admin_action(client, user, "publish", dusit_2566)

    assert response.status_code == 200
    dusit_2566.refresh_from_db()
    assert dusit_2566.published_at is None


def test_a_result_without_its_official_score_offers_no_button(client, director_dusit, dusit_2566):
    dusit_2566.official_score = None
    dusit_2566.save()

    page = _unit_year_page(client, director_dusit)

    assert _url("publish") not in page
    assert "บันทึกคะแนนรวมที่ประกาศก่อน จึงจะเผยแพร่ได้" in page
