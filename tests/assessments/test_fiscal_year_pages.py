"""The central team's fiscal-year pages: open a year, reach its framework sheets, confirm it."""

import pytest
from django.urls import reverse

from assessments.models import FiscalYear, Framework

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("assessments:fiscal-years", {}, "get"),
        ("assessments:fiscal-year", {"year": 2570}, "get"),
        ("assessments:fiscal-year-open", {}, "post"),
        ("assessments:framework-confirm", {"year": 2570}, "post"),
        ("assessments:framework-clear-questions", {"year": 2570}, "post"),
    ],
)
def test_only_the_central_team_reaches_the_fiscal_year_pages(
    client, staff_dusit, django_user_model, name, kwargs, method
):
    url = reverse(name, kwargs=kwargs)
    assert getattr(client, method)(url).status_code == 302  # to the login page
    director = django_user_model.objects.get(username="bma-executive")
    for user in (staff_dusit, director):
        client.force_login(user)
        assert getattr(client, method)(url).status_code == 404
    assert FiscalYear.objects.filter(year=2571).count() == 0
    assert Framework.objects.get(code="ita2570").provisional
    assert Framework.objects.get(code="ita2570").questions.exists()


def test_the_central_team_opens_the_next_year_from_the_portal(client, central_team):
    client.force_login(central_team)
    page = client.get(reverse("assessments:fiscal-years")).content.decode()
    assert "เปิดปีงบประมาณ 2571 (คัดลอกเกณฑ์ปี 2570)" in page
    response = client.post(reverse("assessments:fiscal-year-open"))
    assert response.url == reverse("assessments:fiscal-year", kwargs={"year": 2571})
    framework = FiscalYear.objects.get(year=2571).framework
    assert framework.provisional and framework.copied_from.code == "ita2570"
    page = client.get(response.url).content.decode()
    assert "เกณฑ์ปี ๒๕๗๑ เป็นฉบับชั่วคราว (คัดลอกจากปี ๒๕๗๐)" in page


def test_the_year_page_links_to_the_framework_import_with_its_dry_run(client, central_team):
    client.force_login(central_team)
    framework = Framework.objects.get(code="ita2570")
    page = client.get(reverse("assessments:fiscal-year", kwargs={"year": 2570})).content.decode()
    for model in ("framework", "tool", "indicator", "subindicator", "question", "levelband"):
        assert reverse(f"admin:assessments_{model}_import") in page
    export = f"{reverse('admin:assessments_question_export')}?framework__id__exact={framework.pk}"
    assert export in page
    assert client.get(reverse("admin:assessments_question_import")).status_code == 200


def test_confirming_on_the_page_removes_the_note(client, central_team):
    client.force_login(central_team)
    url = reverse("assessments:fiscal-year", kwargs={"year": 2570})
    client.post(reverse("assessments:framework-confirm", kwargs={"year": 2570}))
    assert not Framework.objects.get(code="ita2570").provisional
    page = client.get(url).content.decode()
    assert "ฉบับชั่วคราว" not in page.split("<main")[1].split("ยืนยันเกณฑ์")[0]
    assert 'class="provisional-note"' not in page


def test_clearing_on_the_page_empties_the_copied_questions(client, central_team):
    client.force_login(central_team)
    client.post(reverse("assessments:framework-clear-questions", kwargs={"year": 2570}))
    assert not Framework.objects.get(code="ita2570").questions.exists()
    response = client.post(
        reverse("assessments:framework-clear-questions", kwargs={"year": 2568}), follow=True
    )
    assert "ล้างข้อคำถามได้เฉพาะเกณฑ์ฉบับชั่วคราว" in response.content.decode()
    assert Framework.objects.get(code="ita2568").questions.exists()
