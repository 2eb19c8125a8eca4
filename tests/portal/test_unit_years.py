"""Two years, one cycle: the results of year N beside the work of year N+1 that answers them."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import FiscalYear
from ita_portal.views import staff
from measures.models import Measure, Memo
from tests.factories import MeasureFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def _rows(client):
    response = client.get(reverse("staff:unit", kwargs={"code": "dusit"}))
    return {row["fiscal_year"].year: row for row in response.context["years"]}, response


def test_each_row_of_the_list_pairs_a_result_with_the_measures_that_answer_it(
    client, staff_dusit, dusit_2564
):
    answering = Measure.objects.filter(unit__code="dusit", fiscal_year__year=2565).count()
    assert answering > 0
    client.force_login(staff_dusit)
    rows, response = _rows(client)
    assert (rows[2564]["assessment"], rows[2564]["measures"]) == (dusit_2564, answering)
    assert rows[2564]["answering_year"] == 2565
    page = response.content.decode()
    measures_2565 = reverse("measures:measure-list", kwargs={"code": "dusit", "year": 2565})
    assert f'<a href="{measures_2565}">{answering} มาตรการ</a> (ปี 2565)' in page


def test_the_latest_year_says_its_answering_year_is_not_open(client, staff_dusit):
    client.force_login(staff_dusit)
    rows, response = _rows(client)
    assert not rows[2570]["answering_open"]
    assert "ยังไม่เปิดปีงบประมาณ 2571" in response.content.decode()


def test_in_december_2569_the_row_of_the_2569_results_is_the_one_being_answered(
    client, staff_dusit, monkeypatch
):
    monkeypatch.setattr(staff.timezone, "localdate", lambda: datetime.date(2026, 12, 3))
    client.force_login(staff_dusit)
    rows, response = _rows(client)
    assert [year for year, row in rows.items() if row["current"]] == [2569]
    assert "ขณะนี้คือปีงบประมาณ 2570" in response.content.decode()


def test_the_year_page_shows_the_result_and_the_next_years_work(client, staff_dusit, dusit_2564):
    memos = list(Memo.objects.filter(unit__code="dusit", fiscal_year__year=2565))
    assert memos
    measure = Measure.objects.filter(unit__code="dusit", fiscal_year__year=2565).first()
    update = ProgressUpdateFactory(measure=measure, note="จัดประชุมชี้แจงแล้ว")
    client.force_login(staff_dusit)

    response = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}))

    page = response.content.decode()
    assert "ผลการประเมินปี 2564" in page and "การดำเนินงานปีงบประมาณ 2565" in page
    assert (
        response.context["measure_total"]
        == Measure.objects.filter(unit__code="dusit", fiscal_year__year=2565).count()
    )
    assert response.context["recent_progress"][0] == update
    assert reverse("measures:measure-detail", kwargs={"pk": measure.pk}) in page
    for memo in memos:
        assert f'href="{memo.get_absolute_url()}"' in page


def test_the_year_page_links_back_to_the_results_its_own_years_work_answered(client, staff_dusit):
    client.force_login(staff_dusit)
    page = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2565}))
    back = reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564})
    assert f'<a href="{back}">ผลการประเมินปี 2564</a>' in page.content.decode()


@pytest.mark.parametrize("name", ["measures:measure-list", "measures:memo-list"])
def test_the_work_years_pages_lead_back_to_the_results_they_answer(client, staff_dusit, name):
    client.force_login(staff_dusit)
    page = client.get(reverse(name, kwargs={"code": "dusit", "year": 2565})).content.decode()
    results = reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564})
    assert f'<a href="{results}#work">ปีงบประมาณ 2565 (ตอบผลปี 2564)</a>' in page


def test_measures_of_the_results_year_itself_are_not_counted_as_answering_it(
    client, staff_dusit, dusit
):
    MeasureFactory(unit=dusit, fiscal_year=FiscalYear.objects.get(year=2570))
    client.force_login(staff_dusit)
    rows, _ = _rows(client)
    assert rows[2569]["measures"] == 1
    assert rows[2570]["measures"] == 0


def test_the_year_page_of_a_provisional_framework_says_so(client, staff_dusit):
    client.force_login(staff_dusit)
    page = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2569}))
    assert "เกณฑ์ปี ๒๕๖๙ เป็นฉบับชั่วคราว ยังไม่ยืนยันกับคู่มือ ป.ป.ช." in page.content.decode()
    page = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2568}))
    assert 'class="provisional-note"' not in page.content.decode()
