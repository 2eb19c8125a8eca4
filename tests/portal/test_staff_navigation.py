"""Staff navigation: log in, land on your unit, pick a fiscal year, reach every part of its work."""

import pytest
from django.urls import reverse

from assessments.models import Assessment, OrgUnit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "ita-demo-2569"


def test_the_login_page_is_in_thai(client):
    response = client.get(reverse("login"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>เข้าสู่ระบบ</h1>" in page
    assert "ชื่อผู้ใช้" in page and "รหัสผ่าน" in page


def test_staff_land_on_my_home_with_their_own_unit_after_login(client, staff_dusit):
    response = client.post(
        reverse("login"), {"username": "dusit-staff", "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain == [(reverse("staff:my"), 302)]
    assert [cycle.unit.code for cycle in response.context["cycles"]] == ["dusit"]


def test_a_wrong_password_is_refused_in_thai(client, staff_dusit):
    response = client.post(reverse("login"), {"username": "dusit-staff", "password": "ผิด"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "กรุณาใส่  ชื่อผู้ใช้  และรหัสผ่านที่ถูกต้อง มีการแยกแยะตัวพิมพ์ใหญ่-เล็ก"
    ]
    assert not response.wsgi_request.user.is_authenticated


def test_logging_out_ends_the_session(client, staff_dusit):
    client.force_login(staff_dusit)

    client.post(reverse("logout"))

    assert client.get(reverse("staff:home")).status_code == 302


def test_the_central_team_sees_every_unit_and_can_search(client, central_team):
    client.force_login(central_team)

    everything = client.get(reverse("staff:home"))
    found = client.get(reverse("staff:home"), {"q": "ดุสิต"})
    districts = client.get(reverse("staff:home"), {"kind": "district"})

    assert len(everything.context["units"]) == OrgUnit.objects.exclude(kind="division").count()
    assert [u.code for u in found.context["units"]] == ["dusit"]
    assert {u.kind for u in districts.context["units"]} == {"district"}
    assert len(districts.context["units"]) == 50


def test_an_executive_above_many_units_gets_the_list(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="bma-executive"))

    response = client.get(reverse("staff:home"))

    assert response.status_code == 200
    assert len(response.context["units"]) > 1


def test_a_user_without_a_unit_is_told_to_ask_the_central_team(client):
    client.force_login(UserFactory())

    response = client.get(reverse("staff:home"))

    assert response.context["units"] == []
    assert "กรุณาติดต่อทีม ITA ส่วนกลาง" in response.content.decode()


def test_the_unit_page_lists_fiscal_years_with_their_results(client, staff_dusit, dusit_2564):
    client.force_login(staff_dusit)

    response = client.get(reverse("staff:unit", kwargs={"code": "dusit"}))

    rows = {row["fiscal_year"].year: row for row in response.context["years"]}
    assert rows[2564]["assessment"] == dusit_2564
    assert rows[2566]["assessment"] is None
    assert reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}) in (
        response.content.decode()
    )


def test_the_unit_year_page_links_the_results_and_the_work_that_answers_them(
    client, staff_dusit, dusit_2564
):
    client.force_login(staff_dusit)

    response = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}))

    page = response.content.decode()
    for url in [
        reverse("assessments:score-entry", kwargs={"pk": dusit_2564.pk}),
        reverse("measures:weakness-list", kwargs={"pk": dusit_2564.pk}),
        reverse("measures:indicator-analysis", kwargs={"pk": dusit_2564.pk}),
        reverse("measures:measure-list", kwargs={"code": "dusit", "year": 2565}),
        reverse("measures:limitation-list", kwargs={"code": "dusit", "year": 2565}),
    ]:
        assert f'href="{url}"' in page
    assert response.context["check"].official == dusit_2564.official_score


def test_the_unit_year_page_links_its_memos_and_excel_files(client, staff_dusit):
    client.force_login(staff_dusit)
    page = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}))

    content = page.content.decode()
    results = {"code": "dusit", "year": 2564}
    work = {"code": "dusit", "year": 2565}
    for name, kwargs in (
        ("assessments:scores-template", results),
        ("assessments:scores-export", results),
        ("assessments:scores-import", results),
        ("measures:memo-list", work),
        ("measures:plan-export", work),
        ("measures:plan-import", work),
    ):
        assert f'href="{reverse(name, kwargs=kwargs)}"' in content
    create = reverse("measures:memo-create", kwargs=work)
    assert f'href="{create}?kind=analysis"' in content


def test_staff_may_open_a_years_score_sheet_but_the_director_may_not(
    client, staff_dusit, director_dusit
):
    url = reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2567})
    create = reverse("assessments:assessment-create", kwargs={"code": "dusit", "year": 2567})

    client.force_login(staff_dusit)
    as_staff = client.get(url).content.decode()
    client.force_login(director_dusit)
    as_director = client.get(url).content.decode()

    assert f'action="{create}"' in as_staff
    assert f'action="{create}"' not in as_director
    assert not Assessment.objects.filter(unit__code="dusit", fiscal_year__year=2567).exists()


def test_an_unknown_fiscal_year_is_404(client, staff_dusit):
    client.force_login(staff_dusit)
    assert client.get("/staff/units/dusit/2400/").status_code == 404


def test_a_division_page_sends_staff_to_its_office(client, staff_dusit, dusit):
    division = OrgUnit.objects.divisions_of(dusit).first()
    client.force_login(staff_dusit)

    response = client.get(reverse("staff:unit", kwargs={"code": division.code}))

    assert response["Location"] == reverse("staff:unit", kwargs={"code": "dusit"})


def test_the_central_team_finds_every_units_score_files_per_year(client, central_team):
    client.force_login(central_team)
    content = client.get(reverse("staff:home")).content.decode()
    for name in ("scores-template-all", "scores-export-all", "scores-import-all"):
        assert f'href="{reverse(f"assessments:{name}", kwargs={"year": 2564})}"' in content
