"""The measures tracker: overdue and due-soon measures of every unit, by unit and division."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import FiscalYear, OrgUnit
from ita_portal import dashboards
from measures.models import Measure
from tests.factories import MeasureFactory

URL = "/dashboards/measures/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def bma_executive(django_user_model):
    return django_user_model.objects.get(username="bma-executive")


@pytest.fixture
def bang_rak_measures(db):
    """Open, finished and draft measures of Bang Rak around today."""
    unit = OrgUnit.objects.get(code="bang-rak")
    fy = FiscalYear.objects.get(year=2567)
    admin, finance = (OrgUnit.objects.get(code=f"bang-rak-{c}") for c in ("admin", "finance"))
    today = timezone.localdate()

    def measure(title, days, status=Measure.Status.IN_PROGRESS, divisions=(), **fields):
        created = MeasureFactory(
            unit=unit,
            fiscal_year=fy,
            title=title,
            status=status,
            deadline=today + datetime.timedelta(days=days),
            **fields,
        )
        created.responsible_divisions.set(divisions)
        return created

    return {
        "late": measure("ติดป้ายช่องทางร้องเรียน", -5, divisions=[admin]),
        "soon": measure("ประชุมชี้แจงงบประมาณ", 10, divisions=[admin, finance]),
        "every": measure("อบรมจริยธรรมบุคลากร", 3, all_divisions=True),
        "far": measure("ปรับปรุงเว็บไซต์ทั้งหมด", 60, divisions=[admin]),
        "done": measure("ทำคู่มือแล้ว", -5, status=Measure.Status.DONE, divisions=[admin]),
        "draft": measure("ร่างที่คัดลอกจากปีก่อน", -5, divisions=[admin], draft=True),
    }


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff_dusit", "director_dusit"])
def test_unit_members_may_not_open_the_tracker(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["central_team", "bma_executive"])
def test_the_central_team_and_executives_open_the_tracker(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 200


def test_measures_are_grouped_by_unit_then_division(bang_rak_measures, central_team):
    groups = dashboards.tracked_measures(central_team, timezone.localdate())

    bang_rak = next(g for g in groups if g.unit.code == "bang-rak")
    titles = {
        division: [item.measure.title for item in items]
        for division, items in bang_rak.divisions.items()
    }
    assert titles == {
        "ฝ่ายปกครอง": ["ติดป้ายช่องทางร้องเรียน", "ประชุมชี้แจงงบประมาณ"],
        "ทุกฝ่าย": ["อบรมจริยธรรมบุคลากร"],
        "ฝ่ายการคลัง": ["ประชุมชี้แจงงบประมาณ"],
    }
    assert (bang_rak.overdue, bang_rak.due_soon) == (1, 2)


def test_the_page_says_how_late_or_how_soon_and_links_to_each_measure(
    client, central_team, bang_rak_measures
):
    client.force_login(central_team)

    content = client.get(URL).content.decode()

    assert "เกินกำหนด 5 วัน" in content
    assert "อีก 10 วัน" in content
    for key in ("far", "done", "draft"):
        assert bang_rak_measures[key].title not in content
    late = bang_rak_measures["late"]
    link = reverse("measures:measure-detail", kwargs={"pk": late.pk})
    assert f'<a href="{link}">{late.title}</a>' in content
