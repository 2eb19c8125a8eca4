"""Measure status: one function, allowed moves only, who and when recorded; overdue measures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.measure_workflow import ALLOWED_TRANSITIONS, set_measure_status
from measures.models import Measure
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

S = Measure.Status
ALLOWED = sorted((a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets)
REFUSED = sorted((a, b) for a in S.values for b in S.values if b not in ALLOWED_TRANSITIONS[a])


def _measure_in(status: str) -> Measure:
    measure = MeasureFactory()
    Measure.objects.filter(pk=measure.pk).update(status=status)
    measure.refresh_from_db()
    return measure


def test_the_allowed_moves_are_the_ones_agreed():
    assert ALLOWED == sorted(
        [
            (S.NOT_STARTED, S.IN_PROGRESS),
            (S.NOT_STARTED, S.DONE),
            (S.NOT_STARTED, S.CANCELLED),
            (S.IN_PROGRESS, S.DONE),
            (S.IN_PROGRESS, S.CANCELLED),
            (S.IN_PROGRESS, S.NOT_STARTED),
            (S.DONE, S.IN_PROGRESS),
            (S.CANCELLED, S.NOT_STARTED),
        ]
    )


@pytest.mark.parametrize("start, target", ALLOWED)
def test_an_allowed_move_records_who_and_when_and_raises_the_version(staff_dusit, start, target):
    measure = _measure_in(start)

    set_measure_status(measure, status=target, by=staff_dusit)

    saved = Measure.objects.get(pk=measure.pk)
    assert (saved.status, saved.version) == (target, 2)
    change = saved.state_changes.get()
    assert (change.from_state, change.to_state, change.by) == (start, target, staff_dusit)
    assert saved.history.first().history_user == staff_dusit


@pytest.mark.parametrize("start, target", REFUSED)
def test_a_move_that_is_not_allowed_is_refused_and_nothing_changes(staff_dusit, start, target):
    measure = _measure_in(start)

    with pytest.raises(ValidationError):
        set_measure_status(measure, status=target, by=staff_dusit)

    saved = Measure.objects.get(pk=measure.pk)
    assert (saved.status, saved.state_changes.exists(), saved.version) == (start, False, 1)


def test_the_status_form_offers_only_the_allowed_moves(client, staff_dusit):
    measure = _measure_in(S.DONE)
    client.force_login(staff_dusit)

    response = client.get(reverse("measures:measure-detail", kwargs={"pk": measure.pk}))

    assert response.context["status_form"].fields["status"].choices == [
        (S.IN_PROGRESS, "กำลังดำเนินการ")
    ]


def test_posting_a_refused_move_shows_a_thai_message_and_changes_nothing(client, staff_dusit):
    measure = _measure_in(S.DONE)
    client.force_login(staff_dusit)

    response = client.post(
        reverse("measures:measure-status", kwargs={"pk": measure.pk}),
        {"status": S.CANCELLED},
        follow=True,
    )

    assert Measure.objects.get(pk=measure.pk).status == S.DONE
    assert [str(m) for m in response.context["messages"]][0].startswith("เปลี่ยนสถานะไม่ได้")


def test_staff_start_a_measure_from_its_page(client, staff_dusit):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    response = client.post(
        reverse("measures:measure-status", kwargs={"pk": measure.pk}),
        {"status": S.IN_PROGRESS},
        follow=True,
    )

    assert Measure.objects.get(pk=measure.pk).status == S.IN_PROGRESS
    assert [str(m) for m in response.context["messages"]] == ["เปลี่ยนสถานะเป็น “กำลังดำเนินการ” แล้ว"]
    assert "เปลี่ยนสถานะเมื่อ" in response.content.decode()
    assert f"โดย {staff_dusit.get_full_name()}</span>" in response.content.decode()


def test_a_measure_never_moved_shows_no_status_change_line(client, staff_dusit):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    page = client.get(reverse("measures:measure-detail", kwargs={"pk": measure.pk}))

    assert "เปลี่ยนสถานะเมื่อ" not in page.content.decode()


@pytest.mark.parametrize(
    "status, deadline, overdue",
    [
        (S.NOT_STARTED, datetime.date(2023, 3, 29), True),
        (S.IN_PROGRESS, datetime.date(2023, 3, 29), True),
        (S.IN_PROGRESS, datetime.date(2023, 3, 30), False),
        (S.DONE, datetime.date(2023, 3, 29), False),
        (S.CANCELLED, datetime.date(2023, 3, 29), False),
        (S.NOT_STARTED, None, False),
    ],
)
def test_a_measure_is_overdue_when_its_deadline_passed_and_it_is_not_finished(
    status, deadline, overdue
):
    measure = _measure_in(status)
    Measure.objects.filter(pk=measure.pk).update(deadline=deadline)
    measure.refresh_from_db()
    today = datetime.date(2023, 3, 30)

    assert measure.is_overdue(today) is overdue
    assert Measure.objects.overdue(today).filter(pk=measure.pk).exists() is overdue
