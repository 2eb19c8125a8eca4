"""The what-if simulator page: for those who may open the unit's dashboard, a GET form whose
results are the simulation's, with Thai labels; 404 outside the user's units."""

import pytest
from django.urls import reverse

from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def _url(code: str, year: int, **query) -> str:
    url = reverse("dashboards:simulate", args=[code, year])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_unit_dashboard_links_to_the_simulator(client, director_dusit):
    client.force_login(director_dusit)

    page = client.get(reverse("dashboards:unit", args=["dusit", 2564]))

    assert _url("dusit", 2564) in page.content.decode()
    assert "จำลองผลคะแนน (What-if)" in page.content.decode()


def test_without_targets_the_page_shows_the_published_arithmetic(client, central_team):
    client.force_login(central_team)

    text = client.get(_url("bma", 2566)).content.decode()

    assert "จำลองผลคะแนน (What-if)" in text
    assert "88.98" in text
    assert "ถึงคะแนนผ่านเกณฑ์แล้ว" in text
    assert 'name="ind-9"' in text and 'name="sub-9.1"' in text and 'name="q-O1"' in text


def test_targets_typed_in_give_the_simulated_result_and_the_smallest_change(client, central_team):
    client.force_login(central_team)

    text = client.get(_url("bma", 2566, **{"ind-9": "80", "goal": "92"})).content.decode()

    assert "84.98" in text and "ต้องปรับปรุง" in text
    assert "รวมน้อยที่สุด <strong>0.09</strong> คะแนน" in text
    assert "ค่าเป้าหมายของหน่วยงาน 92.00" in text
    assert (
        not Assessment.objects.get(unit__code="bma", fiscal_year__year=2566)
        .indicator_scores.filter(score=80)
        .exists()
    )


def test_a_bad_target_is_refused_in_thai_and_the_real_scores_are_shown(client, central_team):
    client.force_login(central_team)

    text = client.get(_url("bma", 2566, **{"ind-9": "120"})).content.decode()

    assert "คำนวณไม่ได้ คะแนนต้องเป็นตัวเลข" in text
    assert "88.98" in text


def test_the_unit_staff_may_simulate_but_not_another_units(client, staff_dusit, staff_pathumwan):
    client.force_login(staff_dusit)
    assert client.get(_url("dusit", 2564)).status_code == 200

    client.force_login(staff_pathumwan)
    assert client.get(_url("dusit", 2564)).status_code == 404
    assert client.get(_url("pathum-wan", 2564)).status_code == 404  # no result that year


def test_the_simulator_needs_a_login(client):
    response = client.get(_url("dusit", 2564))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
