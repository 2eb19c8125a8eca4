"""The measures tracker: overdue and due-soon measures of every unit, by unit and division."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import FiscalYear, OrgUnit
from ita_portal import dashboards
from measures import queries
from measures.models import Measure
from portal_core.thai import be_numeric_date
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
def test_unit_members_open_the_tracker_for_their_own_units_only(
    client, request, persona, bang_rak_measures
):
    dusit = OrgUnit.objects.get(code="dusit")
    own = MeasureFactory(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2567),
        title="มาตรการของเขตดุสิตที่เกินกำหนด",
        deadline=timezone.localdate() - datetime.timedelta(days=2),
    )
    client.force_login(request.getfixturevalue(persona))

    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert own.title in content
    assert bang_rak_measures["late"].title not in content
    assert "ภาพรวมกรุงเทพมหานคร" not in content


def test_a_unit_filter_naming_another_unit_shows_nothing_of_it(
    client, director_dusit, bang_rak_measures
):
    client.force_login(director_dusit)

    response = client.get(URL, {"unit": "bang-rak", "due": "all", "status": "all"})

    assert response.status_code == 200
    assert bang_rak_measures["late"].title not in response.content.decode()


@pytest.mark.parametrize("persona", ["central_team", "bma_executive"])
def test_the_central_team_and_executives_open_the_tracker(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 200


def bang_rak_items(user, **query) -> dict[str, list[str]]:
    today = timezone.localdate()
    years = queries.tracked_measures(user, today, queries.TrackerQuery(unit="bang-rak", **query))
    return {item.measure.title: item.divisions for group in years for item in group.items}


def test_each_measure_is_one_row_with_its_divisions_listed_in_it(bang_rak_measures, central_team):
    assert bang_rak_items(central_team) == {
        "ติดป้ายช่องทางร้องเรียน": ["ฝ่ายปกครอง"],
        "ประชุมชี้แจงงบประมาณ": ["ฝ่ายปกครอง", "ฝ่ายการคลัง"],
        "อบรมจริยธรรมบุคลากร": ["ทุกฝ่าย"],
    }


def test_filters_narrow_by_division_status_and_deadline(bang_rak_measures, central_team):
    assert set(bang_rak_items(central_team, division="ฝ่ายการคลัง")) == {
        "ประชุมชี้แจงงบประมาณ",
        "อบรมจริยธรรมบุคลากร",  # every division's measure is also the finance division's
    }
    assert set(bang_rak_items(central_team, due="overdue")) == {"ติดป้ายช่องทางร้องเรียน"}
    assert set(bang_rak_items(central_team, due="all", status="done")) == {"ทำคู่มือแล้ว"}
    assert "ปรับปรุงเว็บไซต์ทั้งหมด" in bang_rak_items(central_team, due="all")
    assert "ร่างที่คัดลอกจากปีก่อน" not in bang_rak_items(central_team, due="all", status="all")
    assert bang_rak_items(central_team, year=2566) == {}


def test_work_left_over_from_an_ended_year_is_grouped_under_that_year_after_this_year(
    central_team, bang_rak_measures
):
    today = timezone.localdate()
    current = FiscalYear.year_of(today)
    FiscalYear.objects.get_or_create(
        year=current, defaults={"framework": FiscalYear.objects.get(year=2568).framework}
    )
    this_year = MeasureFactory(
        unit=OrgUnit.objects.get(code="bang-rak"),
        fiscal_year=FiscalYear.objects.get(year=current),
        title="มาตรการปีนี้",
        deadline=today + datetime.timedelta(days=5),
    )

    years = queries.tracked_measures(central_team, today, queries.TrackerQuery(unit="bang-rak"))

    assert [(g.year, g.earlier) for g in years] == [(current, False), (2567, True)]
    assert [i.measure for i in years[0].items] == [this_year]
    assert (years[1].overdue, years[1].due_soon) == (1, 2)


def test_the_page_says_how_late_or_how_soon_and_links_to_each_measure(
    client, central_team, bang_rak_measures
):
    client.force_login(central_team)

    content = client.get(URL, {"unit": "bang-rak"}).content.decode()

    assert "อีก 10 วัน" in content
    assert "ค้างจากปีงบประมาณ พ.ศ. 2567" in content
    for key in ("far", "done", "draft"):
        assert bang_rak_measures[key].title not in content
    late = bang_rak_measures["late"]
    link = reverse("measures:measure-detail", kwargs={"pk": late.pk})
    assert f'<a href="{link}">{late.title}</a>' in content
    assert "ฝ่ายปกครอง, ฝ่ายการคลัง" in content


def test_the_excel_export_holds_the_filtered_rows_with_buddhist_era_dates(
    client, central_team, bang_rak_measures
):
    client.force_login(central_team)

    response = client.get(f"{URL}export/", {"unit": "bang-rak", "due": "overdue"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(dashboards.TRACKER_COLUMNS)
    late = bang_rak_measures["late"]
    assert rows[1:] == [
        (
            2567,
            late.unit.display_name,
            late.title,
            "ฝ่ายปกครอง",
            be_numeric_date(late.deadline),
            "กำลังดำเนินการ",
            5,
        )
    ]
