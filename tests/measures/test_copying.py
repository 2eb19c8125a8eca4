"""Copy last year's measures: drafts in the new year, indicators mapped by number, no duplicates."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import FiscalYear, OrgUnit
from measures.copying import copy_previous_year_measures
from measures.models import Measure
from tests.factories import MeasureFactory, MeasureStepFactory, MembershipFactory, indicator_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def bangrak(db) -> OrgUnit:
    return OrgUnit.objects.get(code="bang-rak")


@pytest.fixture
def last_year(bangrak, staff_dusit) -> list[Measure]:
    """Two measures of Bang Rak in 2566: one finished with results, one for all divisions."""
    fy = FiscalYear.objects.get(year=2566)
    done = MeasureFactory(
        unit=bangrak,
        fiscal_year=fy,
        indicator=indicator_of(fy, 9),
        title="ปรับปรุงข้อมูลบนเว็บไซต์",
        deadline=datetime.date(2023, 9, 30),
        monitoring_months=1,
        result="ปรับปรุงครบถ้วนแล้ว",
        status=Measure.Status.DONE,
        order=1,
    )
    MeasureStepFactory(measure=done, order=1, text="สำรวจข้อมูล", result="สำรวจแล้ว")
    MeasureStepFactory(measure=done, order=2, text="ปรับปรุงเว็บไซต์", result="ปรับแล้ว")
    done.responsible_divisions.set(OrgUnit.objects.divisions_of(bangrak)[:2])
    everyone = MeasureFactory(
        unit=bangrak,
        fiscal_year=fy,
        indicator=indicator_of(fy, 1),
        title="ประกาศเจตนารมณ์สุจริต",
        all_divisions=True,
        deadline=datetime.date(2024, 2, 29),
        order=2,
    )
    return [done, everyone]


def test_last_years_measures_become_drafts_of_this_year(bangrak, last_year, staff_dusit):
    fy2567 = FiscalYear.objects.get(year=2567)

    copies = copy_previous_year_measures(unit=bangrak, fiscal_year=fy2567, by=staff_dusit)

    assert [c.title for c in copies] == ["ปรับปรุงข้อมูลบนเว็บไซต์", "ประกาศเจตนารมณ์สุจริต"]
    web = Measure.objects.get(pk=copies[0].pk)
    assert (web.fiscal_year, web.draft, web.status, web.result) == (
        fy2567,
        True,
        Measure.Status.NOT_STARTED,
        "",
    )
    assert web.indicator == indicator_of(fy2567, 9)
    assert web.indicator.framework_id == fy2567.framework_id
    assert web.deadline == datetime.date(2024, 9, 30)
    assert web.monitoring_months == 1
    assert list(web.steps.values_list("order", "text", "result")) == [
        (1, "สำรวจข้อมูล", ""),
        (2, "ปรับปรุงเว็บไซต์", ""),
    ]
    assert set(web.responsible_divisions.all()) == set(last_year[0].responsible_divisions.all())
    everyone = Measure.objects.get(pk=copies[1].pk)
    assert (everyone.all_divisions, everyone.deadline) == (True, datetime.date(2025, 2, 28))


def test_last_years_measures_are_left_as_they_were(bangrak, last_year, staff_dusit):
    copy_previous_year_measures(
        unit=bangrak, fiscal_year=FiscalYear.objects.get(year=2567), by=staff_dusit
    )

    done = Measure.objects.get(pk=last_year[0].pk)
    assert (done.status, done.result, done.draft) == (Measure.Status.DONE, "ปรับปรุงครบถ้วนแล้ว", False)
    assert list(done.steps.values_list("result", flat=True)) == ["สำรวจแล้ว", "ปรับแล้ว"]


def test_copying_twice_does_not_duplicate(bangrak, last_year, staff_dusit):
    fy2567 = FiscalYear.objects.get(year=2567)
    copy_previous_year_measures(unit=bangrak, fiscal_year=fy2567, by=staff_dusit)

    again = copy_previous_year_measures(unit=bangrak, fiscal_year=fy2567, by=staff_dusit)

    assert again == []
    assert Measure.objects.filter(unit=bangrak, fiscal_year=fy2567).count() == 2


def test_only_the_units_own_measures_are_copied(bangrak, last_year, staff_dusit):
    copy_previous_year_measures(
        unit=OrgUnit.objects.get(code="sathon"),
        fiscal_year=FiscalYear.objects.get(year=2567),
        by=staff_dusit,
    )
    assert not Measure.objects.filter(fiscal_year__year=2567, unit=bangrak).exists()


def test_the_copy_button_reports_what_was_copied(client, bangrak, last_year):
    user = MembershipFactory(unit=bangrak).user
    client.force_login(user)
    url = reverse("measures:measure-copy", kwargs={"code": "bang-rak", "year": 2567})

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert [str(m) for m in first.context["messages"]] == [
        "คัดลอกมาตรการจากปี 2566 แล้ว 2 รายการ (สถานะร่าง)"
    ]
    assert [str(m) for m in second.context["messages"]] == ["ไม่มีมาตรการของปี 2566 ที่ยังไม่ได้คัดลอก"]
    assert Measure.objects.filter(unit=bangrak, fiscal_year__year=2567, draft=True).count() == 2
