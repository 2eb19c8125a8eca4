"""The measures admin: a measure's status is read-only, and the status actions go through
measures.measure_workflow.set_measure_status like the staff pages."""

import pytest
from django.urls import reverse

from assessments.models import StateChange
from measures.models import Measure
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
Status = Measure.Status


def status_action(client, user, status: str, *measures: Measure):
    client.force_login(user)
    return client.post(
        reverse("admin:measures_measure_changelist"),
        {"action": f"set_status_{status}", "_selected_action": [m.pk for m in measures]},
        follow=True,
    )


def test_the_change_page_shows_the_status_read_only_and_the_list_offers_each_move(
    client, central_team
):
    measure = MeasureFactory()
    client.force_login(central_team)

    page = client.get(reverse("admin:measures_measure_change", args=[measure.pk])).content
    changelist = client.get(reverse("admin:measures_measure_changelist")).content.decode()

    assert b'name="status"' not in page
    for status in Status:
        option = f'<option value="set_status_{status.value}">'
        assert f"{option}เปลี่ยนสถานะมาตรการที่เลือกเป็น “{status.label}”</option>" in changelist


def test_the_action_moves_the_measures_and_records_who_as_the_staff_pages_do(client, central_team):
    first, second = MeasureFactory(), MeasureFactory()

    response = status_action(client, central_team, Status.IN_PROGRESS, first, second)

    assert "เปลี่ยนสถานะเป็น “กำลังดำเนินการ” แล้ว 2 รายการ" in response.content.decode()
    moved = Measure.objects.filter(pk__in=[first.pk, second.pk])
    assert set(moved.values_list("status", "version")) == {(Status.IN_PROGRESS, 2)}
    assert {(c.subject, c.to_state, c.by) for c in StateChange.objects.all()} == {
        (first, Status.IN_PROGRESS, central_team),
        (second, Status.IN_PROGRESS, central_team),
    }


def test_a_move_the_workflow_refuses_is_named_and_nothing_changes(client, central_team):
    done = MeasureFactory(status=Status.DONE, title="จัดอบรมเรื่องการใช้งบประมาณ")
    fresh = MeasureFactory()

    response = status_action(client, central_team, Status.CANCELLED, done, fresh)

    content = response.content.decode()
    assert "จัดอบรมเรื่องการใช้งบประมาณ: เปลี่ยนสถานะจาก “ดำเนินการแล้วเสร็จ” เป็น “ยกเลิก” ไม่ได้" in (content)
    assert "เปลี่ยนสถานะเป็น “ยกเลิก” แล้ว 1 รายการ" in content
    done.refresh_from_db()
    assert (done.status, done.state_changes.exists(), done.version) == (Status.DONE, False, 1)


def test_saving_the_change_form_leaves_the_status_alone(client, central_team):
    measure = MeasureFactory()
    client.force_login(central_team)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    for inline in context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(
        {
            "status": Status.DONE,
            "title": "ชื่อมาตรการที่แก้ในผู้ดูแลระบบ",
            "responsible_divisions": [],
            "deadline": "30/03/2565",  # the admin takes Buddhist-era dates, as the staff forms do
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    measure.refresh_from_db()
    assert (measure.title, measure.status) == ("ชื่อมาตรการที่แก้ในผู้ดูแลระบบ", Status.NOT_STARTED)
