"""Measures: every field, ordered steps, divisions, Buddhist-era dates, stale edits, queries."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import FiscalYear, OrgUnit
from measures.measure_workflow import StepEntry, save_measure, set_measure_status
from measures.models import Measure, MeasureStep
from tests.factories import (
    MeasureFactory,
    MeasureStepFactory,
    MembershipFactory,
    WeaknessFactory,
    indicator_of,
    measure_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fy2565(db) -> FiscalYear:
    return FiscalYear.objects.get(year=2565)


def _divisions(code: str, count: int) -> list[OrgUnit]:
    return list(OrgUnit.objects.divisions_of(OrgUnit.objects.get(code=code))[:count])


def _create_url(code: str = "dusit", year: int = 2565) -> str:
    return reverse("measures:measure-create", kwargs={"code": code, "year": year})


def test_staff_add_a_measure_with_every_field_two_steps_and_two_divisions(
    client, staff_dusit, fy2565, dusit_2564
):
    weakness = WeaknessFactory(assessment=dusit_2564)
    divisions = _divisions("dusit", 2)
    client.force_login(staff_dusit)

    response = client.post(
        _create_url(),
        measure_form_data(
            weakness=weakness.pk,
            indicator=indicator_of(fy2565, 2).pk,
            issue="บุคลากรไม่ทราบแผนการใช้จ่ายงบประมาณ",
            title="เผยแพร่แผนการใช้จ่ายงบประมาณ",
            activity="ประชุมชี้แจงทุกฝ่าย",
            output="บุคลากรรับทราบแผน",
            communication="หนังสือเวียนและไลน์กลุ่ม",
            deadline="30/03/2566",
            deadline_note="ภายในไตรมาสที่ 2",
            supervision="กำกับดูแลโดยคณะผู้บริหาร",
            monitoring_months="6",
            result="",
            order="1",
            steps=[
                {"text": "จัดทำแผน", "result": "", "ORDER": "1"},
                {"text": "ประชุมชี้แจง", "result": "", "ORDER": "2"},
            ],
            divisions=divisions,
        ),
    )

    measure = Measure.objects.get(unit__code="dusit", title="เผยแพร่แผนการใช้จ่ายงบประมาณ")
    assert response["Location"] == reverse("measures:measure-detail", kwargs={"pk": measure.pk})
    assert (measure.weakness, measure.indicator.number, measure.fiscal_year) == (
        weakness,
        2,
        fy2565,
    )
    assert measure.deadline == datetime.date(2023, 3, 30)
    assert (measure.monitoring_months, measure.monitoring_label) == (6, "ทุก 6 เดือน")
    assert (measure.supervision, measure.communication) == (
        "กำกับดูแลโดยคณะผู้บริหาร",
        "หนังสือเวียนและไลน์กลุ่ม",
    )
    assert [s.text for s in measure.steps.all()] == ["จัดทำแผน", "ประชุมชี้แจง"]
    assert set(measure.responsible_divisions.all()) == set(divisions)
    assert (measure.status, measure.version, measure.created_by) == (
        Measure.Status.NOT_STARTED,
        1,
        staff_dusit,
    )


def test_the_deadline_is_shown_in_the_buddhist_era_on_the_page_and_in_the_form(client, staff_dusit):
    measure = MeasureFactory(deadline=datetime.date(2023, 3, 30))
    client.force_login(staff_dusit)

    detail = client.get(reverse("measures:measure-detail", kwargs={"pk": measure.pk}))
    edit = client.get(reverse("measures:measure-edit", kwargs={"pk": measure.pk}))

    assert "30 มีนาคม 2566 (30/03/2566)" in detail.content.decode()
    assert 'value="30/03/2566"' in edit.content.decode()


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("30/03/2566", datetime.date(2023, 3, 30)),
        ("30-3-66", datetime.date(2023, 3, 30)),
        ("๓๐/๐๓/๒๕๖๖", datetime.date(2023, 3, 30)),
        ("30 มี.ค. 66", datetime.date(2023, 3, 30)),
        ("1 ตุลาคม 2565", datetime.date(2022, 10, 1)),
    ],
)
def test_the_measure_form_reads_buddhist_era_dates_as_offices_write_them(
    client, staff_dusit, fy2565, typed, stored
):
    client.force_login(staff_dusit)

    client.post(
        _create_url(),
        measure_form_data(indicator=indicator_of(fy2565).pk, title="ทดสอบวันที่", deadline=typed),
    )

    assert Measure.objects.get(title="ทดสอบวันที่").deadline == stored


FAR_OFF = (
    "ระยะเวลาแล้วเสร็จ {day} ห่างจากปีงบประมาณ 2565 (01/10/2564 – 30/09/2565) เกิน 2 ปี "
    "กรุณาตรวจสอบปี พ.ศ. (เช่น 30/03/2566 หรือ 30/03/66)"
)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("30/02/2566", "ไม่มีวันที่นี้ในปฏิทิน: '30/02/2566'"),
        ("30/03/2023", "ปีต้องเป็นปีพุทธศักราช เช่น 2566: '30/03/2023'"),
        ("พรุ่งนี้", "รูปแบบวันที่ไม่ถูกต้อง: 'พรุ่งนี้' (ใช้ วว/ดด/ปปปป พ.ศ. เช่น 30/03/2566)"),
        ("30/03/23", FAR_OFF.format(day="30/03/2523")),
        ("30/3/2700", FAR_OFF.format(day="30/03/2700")),
    ],
)
def test_a_bad_date_is_refused_in_thai_and_the_input_is_kept(
    client, staff_dusit, fy2565, typed, message
):
    client.force_login(staff_dusit)

    response = client.post(
        _create_url(),
        measure_form_data(indicator=indicator_of(fy2565).pk, title="ทดสอบวันที่ผิด", deadline=typed),
    )

    assert response.context["form"].errors["deadline"] == [message]
    assert f'value="{typed}"' in response.content.decode()
    assert not Measure.objects.filter(title="ทดสอบวันที่ผิด").exists()


def test_a_division_of_another_unit_cannot_be_responsible(client, staff_dusit, fy2565):
    client.force_login(staff_dusit)

    response = client.post(
        _create_url(),
        measure_form_data(
            indicator=indicator_of(fy2565).pk,
            title="ฝ่ายของเขตอื่น",
            divisions=_divisions("pathum-wan", 1),
        ),
    )

    assert "responsible_divisions" in response.context["form"].errors
    assert not Measure.objects.filter(title="ฝ่ายของเขตอื่น").exists()


def test_all_divisions_replaces_a_list_of_divisions(client, staff_dusit, fy2565):
    client.force_login(staff_dusit)

    client.post(
        _create_url(),
        measure_form_data(
            indicator=indicator_of(fy2565).pk,
            title="ทุกฝ่ายร่วมกัน",
            all_divisions="on",
            divisions=_divisions("dusit", 2),
        ),
    )

    measure = Measure.objects.get(title="ทุกฝ่ายร่วมกัน")
    assert measure.all_divisions is True
    assert list(measure.responsible_divisions.all()) == []


def test_a_measure_must_answer_a_weakness_an_indicator_or_an_issue(client, staff_dusit):
    client.force_login(staff_dusit)

    response = client.post(_create_url(), measure_form_data(title="ไม่ระบุอะไรเลย"))

    assert response.context["form"].non_field_errors() == [
        "มาตรการต้องระบุตัวชี้วัด จุดอ่อน หรือประเด็นอย่างน้อยหนึ่งอย่าง"
    ]


def test_another_units_weakness_is_not_a_choice(client, staff_dusit, fy2565):
    from assessments.models import Assessment

    foreign = WeaknessFactory(
        assessment=Assessment.objects.get(unit__code="pathum-wan", fiscal_year__year=2566),
        indicator=indicator_of(FiscalYear.objects.get(year=2566), 2),
    )
    client.force_login(staff_dusit)

    response = client.post(
        _create_url(), measure_form_data(weakness=foreign.pk, title="จุดอ่อนของเขตอื่น")
    )

    assert "weakness" in response.context["form"].errors
    assert not Measure.objects.filter(title="จุดอ่อนของเขตอื่น").exists()


def test_an_indicator_of_another_years_framework_is_not_a_choice(client, staff_dusit):
    client.force_login(staff_dusit)
    other = indicator_of(FiscalYear.objects.get(year=2566), 1)

    response = client.post(_create_url(), measure_form_data(indicator=other.pk, title="ผิดปี"))

    assert "indicator" in response.context["form"].errors


def test_steps_are_reordered_removed_and_added_in_one_save(client, staff_dusit):
    measure = MeasureFactory()
    first = MeasureStepFactory(measure=measure, order=1, text="หนึ่ง")
    second = MeasureStepFactory(measure=measure, order=2, text="สอง")
    third = MeasureStepFactory(measure=measure, order=3, text="สาม")
    client.force_login(staff_dusit)

    response = client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
        measure_form_data(
            measure,
            steps=[
                {"id": first.pk, "text": "หนึ่ง", "result": "", "ORDER": "3"},
                {"id": second.pk, "text": "สอง", "result": "", "ORDER": "1", "DELETE": True},
                {"id": third.pk, "text": "สาม", "result": "ทำแล้ว", "ORDER": "2"},
                {"text": "สี่", "result": "", "ORDER": "1"},
            ],
        ),
    )

    assert response.status_code == 302
    steps = list(MeasureStep.objects.filter(measure=measure).values_list("order", "text", "result"))
    assert steps == [(1, "สี่", ""), (2, "สาม", "ทำแล้ว"), (3, "หนึ่ง", "")]


def test_a_stale_edit_is_refused_in_thai_and_keeps_the_users_input(client, staff_dusit):
    measure = MeasureFactory(title="ชื่อเดิม")
    opened = measure_form_data(measure)  # the form as opened: version 1
    other = Measure.objects.get(pk=measure.pk)
    other.title = "แก้โดยอีกคน"
    save_measure(other, divisions=[], steps=[], expected_version=1, by=staff_dusit)
    client.force_login(staff_dusit)

    response = client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
        {**opened, "title": "ชื่อที่ฉันพิมพ์"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()[0].startswith("มีผู้แก้ไขมาตรการนี้ไปแล้ว")
    assert "ชื่อที่ฉันพิมพ์" in response.content.decode()
    measure.refresh_from_db()
    assert (measure.title, measure.version) == ("แก้โดยอีกคน", 2)


def test_a_status_change_after_the_form_opened_also_makes_it_stale(client, staff_dusit):
    measure = MeasureFactory()
    opened = measure_form_data(measure)
    set_measure_status(measure, status=Measure.Status.IN_PROGRESS, by=staff_dusit)
    client.force_login(staff_dusit)

    response = client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}), {**opened, "title": "ใหม่"}
    )

    measure.refresh_from_db()
    assert response.status_code == 200
    assert (measure.status, measure.title) == (Measure.Status.IN_PROGRESS, opened["title"])


def test_a_current_edit_saves_and_raises_the_version(client, staff_dusit):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
        measure_form_data(measure, title="แก้ไขแล้ว", result="ดำเนินการครบทุกฝ่าย"),
    )

    measure.refresh_from_db()
    assert (measure.title, measure.result, measure.version) == (
        "แก้ไขแล้ว",
        "ดำเนินการครบทุกฝ่าย",
        2,
    )


def test_save_measure_refuses_divisions_outside_the_unit(staff_dusit):
    from django.core.exceptions import ValidationError

    measure = MeasureFactory()
    with pytest.raises(ValidationError):
        save_measure(
            measure,
            divisions=_divisions("pathum-wan", 1),
            steps=[StepEntry(None, "ขั้นตอน")],
            expected_version=measure.version,
            by=staff_dusit,
        )
    assert Measure.objects.get(pk=measure.pk).version == 1
    assert not measure.steps.exists()


def test_staff_delete_a_measure_after_confirming(client, staff_dusit):
    measure = MeasureFactory()
    MeasureStepFactory(measure=measure)
    client.force_login(staff_dusit)
    url = reverse("measures:measure-delete", kwargs={"pk": measure.pk})

    confirm = client.get(url)
    client.post(url)

    assert "ยืนยันการลบ" in confirm.content.decode()
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not MeasureStep.objects.filter(measure_id=measure.pk).exists()


@pytest.fixture
def bangrak_staff(db):
    return MembershipFactory(unit=OrgUnit.objects.get(code="bang-rak")).user


def _bangrak_measure() -> Measure:
    unit = OrgUnit.objects.get(code="bang-rak")
    measure = MeasureFactory(unit=unit, fiscal_year=FiscalYear.objects.get(year=2567))
    MeasureStepFactory(measure=measure)
    measure.responsible_divisions.set(_divisions("bang-rak", 2))
    return measure


@pytest.mark.parametrize("count", [1, 3])
def test_the_measure_list_runs_the_same_queries_for_one_or_three_measures(
    client, bangrak_staff, django_assert_num_queries, count
):
    for _ in range(count):
        _bangrak_measure()
    client.force_login(bangrak_staff)
    url = reverse("measures:measure-list", kwargs={"code": "bang-rak", "year": 2567})

    # session, user, unit lookup, fiscal year, measures, their divisions, their steps, can_edit
    with django_assert_num_queries(9):  # +1: the confidence note
        response = client.get(url)

    assert len(response.context["rows"]) == count


def test_the_measure_list_flags_overdue_measures(client, staff_dusit):
    late = MeasureFactory(deadline=datetime.date(2022, 3, 30))
    done = MeasureFactory(deadline=datetime.date(2022, 3, 30))
    Measure.objects.filter(pk=done.pk).update(status=Measure.Status.DONE)
    client.force_login(staff_dusit)

    response = client.get(reverse("measures:measure-list", kwargs={"code": "dusit", "year": 2565}))

    flags = {m.pk: overdue for m, overdue in response.context["rows"]}
    assert (flags[late.pk], flags[done.pk]) == (True, False)


@pytest.mark.parametrize(
    "deadline, plausible",
    [
        (datetime.date(2019, 10, 1), True),  # two years before fiscal 2565 starts
        (datetime.date(2019, 9, 30), False),
        (datetime.date(2024, 9, 30), True),  # two years after it ends
        (datetime.date(2024, 10, 1), False),
    ],
)
def test_a_deadline_may_lie_at_most_two_years_outside_the_measures_fiscal_year(
    fy2565, deadline, plausible
):
    measure = Measure(
        unit=OrgUnit.objects.get(code="dusit"), fiscal_year=fy2565, title="ท", issue="ท"
    )
    measure.deadline = deadline

    assert measure.deadline_plausible() is plausible
