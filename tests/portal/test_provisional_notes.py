"""Every page showing items of a provisional framework says so in one short note."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import FiscalYear
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
NOTE = "เกณฑ์ปี ๒๕๖๙ เป็นฉบับชั่วคราว ยังไม่ยืนยันกับคู่มือ ป.ป.ช."


@pytest.fixture
def result_2569(dusit):
    return AssessmentFactory(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2569),
        official_score="88.00",
        published_at=timezone.now(),
    )


def test_score_entry_notes_the_provisional_framework(client, staff_dusit, result_2569):
    client.force_login(staff_dusit)
    page = client.get(reverse("assessments:score-entry", kwargs={"pk": result_2569.pk}))
    assert NOTE in page.content.decode()


def test_the_unit_dashboard_notes_it(client, staff_dusit, result_2569):
    client.force_login(staff_dusit)
    url = reverse("dashboards:unit", kwargs={"code": "dusit", "year": 2569})
    assert NOTE in client.get(url).content.decode()


def test_the_overview_dashboard_notes_it(client, central_team, result_2569):
    client.force_login(central_team)
    page = client.get(reverse("dashboards:overview"), {"year": 2569})
    assert NOTE in page.content.decode()


def test_the_public_year_page_notes_it(client, result_2569):
    page = client.get(reverse("public-unit-year", kwargs={"code": "dusit", "year": 2569}))
    assert NOTE in page.content.decode()


def test_pages_of_a_confirmed_framework_carry_no_note(client, staff_dusit, dusit_2564):
    client.force_login(staff_dusit)
    for url in (
        reverse("assessments:score-entry", kwargs={"pk": dusit_2564.pk}),
        reverse("dashboards:unit", kwargs={"code": "dusit", "year": 2564}),
        reverse("public-unit-year", kwargs={"code": "dusit", "year": 2564}),
    ):
        assert 'class="provisional-note"' not in client.get(url).content.decode()


def test_the_weakness_and_analysis_pages_of_the_result_note_it(client, staff_dusit, result_2569):
    client.force_login(staff_dusit)
    for name in ("measures:weakness-list", "measures:indicator-analysis"):
        page = client.get(reverse(name, kwargs={"pk": result_2569.pk}))
        assert NOTE in page.content.decode()


def test_the_measure_list_of_a_provisional_year_notes_its_indicators(client, staff_dusit):
    client.force_login(staff_dusit)
    page = client.get(reverse("measures:measure-list", kwargs={"code": "dusit", "year": 2570}))
    assert "เกณฑ์ปี ๒๕๗๐ เป็นฉบับชั่วคราว" in page.content.decode()
