"""History on the measure page: who, when, which fields (in Thai) from what to what."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import FiscalYear, OrgUnit
from measures.disclosure import oit_questions
from measures.models import DisclosureItem, Measure
from portal_core.history import change_log
from tests.factories import MeasureFactory, MeasureStepFactory, measure_form_data

pytestmark = pytest.mark.django_db


def _history(client, measure):
    response = client.get(reverse("measures:measure-detail", kwargs={"pk": measure.pk}))
    return response, response.context["history"]


def test_creating_a_measure_is_recorded_with_its_author(client, staff_dusit):
    client.force_login(staff_dusit)
    client.post(
        reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565}),
        measure_form_data(
            issue="การรับรู้งบประมาณ",
            title="ชี้แจงแผนงบประมาณ",
            steps=[{"text": "ประชุม", "result": "", "ORDER": "1"}],
        ),
    )
    measure = Measure.objects.get(title="ชี้แจงแผนงบประมาณ")

    _, history = _history(client, measure)

    created = [e for e in history if e.subject == "มาตรการ" and e.action == "สร้าง"]
    assert len(created) == 1
    assert created[0].who == "นายพัฒนา อังศุกสิกร"
    assert ("มาตรการ/แนวทางปฏิบัติ", "–", "ชี้แจงแผนงบประมาณ") in [
        (c.label, c.old, c.new) for c in created[0].changes
    ]
    assert [(e.subject, e.action) for e in history if e.subject != "มาตรการ"] == [
        ("ขั้นตอนที่ 1", "สร้าง")
    ]


def test_an_edit_shows_each_changed_field_from_what_to_what(client, staff_dusit):
    measure = MeasureFactory(title="ชื่อเดิม", monitoring_months=1)
    MeasureStepFactory(measure=measure, order=1, text="ขั้นตอนเดิม")
    client.force_login(staff_dusit)

    client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
        measure_form_data(measure, title="ชื่อใหม่", monitoring_months="6", deadline="31/03/2566"),
    )
    response, history = _history(client, measure)

    change = next(e for e in history if e.subject == "มาตรการ" and e.action == "แก้ไข")
    assert change.who == "นายพัฒนา อังศุกสิกร"
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("ระยะเวลาแล้วเสร็จ", "30/03/2565", "31/03/2566"),
        ("การกำกับติดตาม (ทุกกี่เดือน)", "1", "6"),
        ("มาตรการ/แนวทางปฏิบัติ", "ชื่อเดิม", "ชื่อใหม่"),
    ]
    page = response.content.decode()
    assert "ชื่อเดิม" in page and "ชื่อใหม่" in page


def test_a_change_of_divisions_is_shown_by_their_names(client, staff_dusit):
    measure = MeasureFactory()
    division = OrgUnit.objects.divisions_of(measure.unit).first()
    client.force_login(staff_dusit)

    client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
        measure_form_data(measure, divisions=[division]),
    )
    _, history = _history(client, measure)

    changes = [(c.label, c.old, c.new) for e in history for c in e.changes]
    assert ("ฝ่ายที่รับผิดชอบ", "–", division.name) in changes


def test_a_status_change_is_recorded_with_who_and_thai_labels(client, staff_dusit):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    client.post(
        reverse("measures:measure-status", kwargs={"pk": measure.pk}),
        {"status": Measure.Status.DONE},
    )
    _, history = _history(client, measure)

    latest = history[0]
    assert latest.who == "นายพัฒนา อังศุกสิกร"
    labels = {c.label: (c.old, c.new) for c in latest.changes}
    assert labels == {"สถานะ": ("ยังไม่เริ่ม", "ดำเนินการแล้วเสร็จ")}


def test_deleting_a_step_is_recorded(client, staff_dusit):
    measure = MeasureFactory()
    step = MeasureStepFactory(measure=measure, order=1, text="ขั้นตอนที่จะลบ")
    client.force_login(staff_dusit)

    client.post(
        reverse("measures:measure-edit", kwargs={"pk": measure.pk}),
        measure_form_data(
            measure,
            steps=[{"id": step.pk, "text": step.text, "result": "", "ORDER": "1", "DELETE": True}],
        ),
    )
    _, history = _history(client, measure)

    assert (history[0].subject, history[0].action, history[0].who) == (
        "ขั้นตอนที่ 1",
        "ลบ",
        "นายพัฒนา อังศุกสิกร",
    )


def test_a_recorded_time_is_shown_in_bangkok_time_with_a_buddhist_era_date(dusit):
    fiscal_year = FiscalYear.objects.get(year=2570)
    item = DisclosureItem.objects.create(
        unit=dusit, fiscal_year=fiscal_year, question=oit_questions(fiscal_year)[0]
    )
    moment = datetime.datetime(2026, 12, 4, 19, 30, tzinfo=datetime.UTC)  # 5 Dec 02:30 in Bangkok
    item.checked_at = moment
    item.save()

    history = change_log(item.history.all(), describe=str)

    labels = {c.label: (c.old, c.new) for c in history[0].changes}
    assert labels["ตรวจสอบล่าสุดเมื่อ"] == ("–", "05/12/2569 02:30 น.")


def test_when_a_change_was_made_is_shown_in_bangkok_time(client, staff_dusit):
    measure = MeasureFactory()
    moment = datetime.datetime(2026, 12, 4, 19, 30, tzinfo=datetime.UTC)  # 5 Dec 02:30 in Bangkok
    measure.history.update(history_date=moment)
    client.force_login(staff_dusit)

    response, _history_entries = _history(client, measure)

    assert "5 ธ.ค. 69 02:30 น." in response.content.decode()
