"""A measure for a weakness is about the weakness's indicator, wherever the measure comes from:
it takes that indicator (of its own year's framework) and so reaches the memos and exports that
group measures by indicator; another indicator is refused."""

import importlib
import io

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Assessment, FiscalYear
from measures.copying import copy_previous_year_measures
from measures.memo_content import analysis_content, plan_content, results_content
from measures.models import Measure, Memo
from measures.plan_sheets import plan_export
from tests.factories import WeaknessFactory, indicator_of, measure_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fy2565(db) -> FiscalYear:
    return FiscalYear.objects.get(year=2565)


@pytest.fixture
def weakness(dusit_2564):
    """A weakness of Dusit's 2564 result on indicator 2 (answered by measures of 2565)."""
    return WeaknessFactory(assessment=dusit_2564, indicator=indicator_of(dusit_2564.fiscal_year, 2))


def _create(client, user, **fields):
    client.force_login(user)
    url = reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565})
    return client.post(url, measure_form_data(**fields))


def test_a_measure_created_for_a_weakness_takes_its_indicator(
    client, staff_dusit, weakness, fy2565
):
    response = _create(client, staff_dusit, weakness=weakness.pk, title="ชี้แจงแผนงบประมาณ")

    measure = Measure.objects.get(title="ชี้แจงแผนงบประมาณ")
    assert response.status_code == 302
    assert measure.weakness == weakness
    assert measure.indicator == indicator_of(fy2565, 2)


def test_a_measure_for_a_weakness_refuses_another_indicator(client, staff_dusit, weakness, fy2565):
    response = _create(
        client,
        staff_dusit,
        weakness=weakness.pk,
        indicator=indicator_of(fy2565, 5).pk,
        title="ชี้แจงแผนงบประมาณ",
    )

    assert response.status_code == 200
    assert response.context["form"].errors["indicator"] == ["ตัวชี้วัดต้องตรงกับจุดอ่อนที่แก้ไข (ตัวชี้วัดที่ 2)"]
    assert not Measure.objects.filter(title="ชี้แจงแผนงบประมาณ").exists()


def test_the_indicator_comes_from_the_framework_of_the_year_the_work_is_done(pathumwan):
    """A 2566 weakness (framework ITA2566) answered in 2567 (framework ITA2567)."""
    assessment = Assessment.objects.get(unit=pathumwan, fiscal_year__year=2566)
    weakness = assessment.weaknesses.get(question__code="E1")
    fy2567 = FiscalYear.objects.get(year=2567)
    measure = Measure(unit=pathumwan, fiscal_year=fy2567, weakness=weakness, title="มาตรการ")

    measure.full_clean()

    assert measure.indicator.framework_id == fy2567.framework_id != weakness.indicator.framework_id
    assert measure.indicator.number == weakness.indicator.number


def test_every_way_of_saving_a_measure_checks_the_weakness(dusit, weakness, fy2565):
    """The rule is the model's (full_clean), so imports, the admin and copying keep it too."""
    measure = Measure(
        unit=dusit,
        fiscal_year=fy2565,
        weakness=weakness,
        indicator=indicator_of(fy2565, 3),
        title="มาตรการ",
    )

    with pytest.raises(ValidationError) as error:
        measure.full_clean()

    assert error.value.message_dict == {"indicator": ["ตัวชี้วัดต้องตรงกับจุดอ่อนที่แก้ไข (ตัวชี้วัดที่ 2)"]}


def _dusit_memo(kind: str) -> Memo:
    return Memo.objects.get(unit__code="dusit", fiscal_year__year=2565, kind=kind)


def _indicator_measure_titles(content, number: int) -> list[str]:
    rows = [row for group in content.tools for row in group.rows]
    return [
        item.measure.title
        for row in rows
        if row.indicator.number == number
        for item in row.measures
    ]


def test_the_analysis_and_results_memos_show_it_under_its_indicator(client, staff_dusit, weakness):
    _create(client, staff_dusit, weakness=weakness.pk, title="ชี้แจงแผนงบประมาณ")

    analysis = analysis_content(_dusit_memo(Memo.Kind.ANALYSIS))
    results = results_content(_dusit_memo(Memo.Kind.RESULTS))

    assert "ชี้แจงแผนงบประมาณ" in _indicator_measure_titles(analysis, 2)
    assert "ชี้แจงแผนงบประมาณ" in _indicator_measure_titles(results, 2)


def test_a_plan_memo_and_the_plan_export_list_it_by_its_indicator(
    client, staff_dusit, weakness, dusit, fy2565
):
    _create(
        client,
        staff_dusit,
        weakness=weakness.pk,
        title="ชี้แจงแผนงบประมาณ",
        activity="ประชุมชี้แจงแผนงบประมาณ",
    )
    memo = Memo(unit=dusit, fiscal_year=fy2565, kind=Memo.Kind.MEASURES_PLAN)

    plan = plan_content(memo)
    sheet = openpyxl.load_workbook(io.BytesIO(plan_export(dusit, fy2565)))["มาตรการ"]
    exported = {row[3]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}

    by_indicator = {
        item.measure.title: row.indicator.number
        for row in plan.by_indicator
        for item in row.measures
    }
    assert by_indicator["ชี้แจงแผนงบประมาณ"] == 2
    assert "ชี้แจงแผนงบประมาณ" not in [item.measure.title for item in plan.by_issue]
    assert exported["ประชุมชี้แจงแผนงบประมาณ"] == f"2) {indicator_of(fy2565, 2).name}"


def test_copying_a_measure_for_a_weakness_twice_makes_one_copy(
    client, staff_dusit, weakness, dusit, fy2565
):
    Measure.objects.create(unit=dusit, fiscal_year=fy2565, weakness=weakness, title="ติดตามผล")
    fy2566 = FiscalYear.objects.get(year=2566)

    copy_previous_year_measures(unit=dusit, fiscal_year=fy2566, by=staff_dusit)
    second = copy_previous_year_measures(unit=dusit, fiscal_year=fy2566, by=staff_dusit)

    copy = Measure.objects.get(unit=dusit, fiscal_year=fy2566, title="ติดตามผล")
    assert second == []
    assert copy.indicator == indicator_of(fy2566, 2, dusit)


def test_the_demo_measures_of_pathumwan_carry_their_weaknesses_indicators(pathumwan):
    measures = Measure.objects.filter(unit=pathumwan, fiscal_year__year=2567).select_related(
        "indicator", "weakness__indicator"
    )

    assert [m.indicator.number for m in measures] == [m.weakness.indicator.number for m in measures]
    assert {m.indicator.framework_id for m in measures} == {
        FiscalYear.objects.get(year=2567).framework_id
    }


def test_the_migration_gives_existing_measures_their_weaknesses_indicators(dusit, weakness, fy2565):
    migration = importlib.import_module("measures.migrations.0004_measure_indicator_from_weakness")
    saved_before = Measure.objects.create(  # as the form saved it before Measure.clean took it
        unit=dusit, fiscal_year=fy2565, weakness=weakness, title="มาตรการเดิม"
    )

    migration.take_weakness_indicators(apps, schema_editor=None)

    saved_before.refresh_from_db()
    assert saved_before.indicator == indicator_of(fy2565, 2)
