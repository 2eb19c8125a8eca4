"""Constraints (ข้อจำกัด) of a unit in a fiscal year: list, add, edit, delete."""

import pytest
from django.urls import reverse

from measures.models import Limitation
from tests.factories import LimitationFactory

pytestmark = pytest.mark.django_db


def test_staff_add_a_constraint_numbered_after_the_others(client, staff_dusit):
    LimitationFactory(text="บุคลากรมีภาระงานประจำมาก")
    client.force_login(staff_dusit)
    url = reverse("measures:limitation-create", kwargs={"code": "dusit", "year": 2565})
    existing = Limitation.objects.filter(unit__code="dusit", fiscal_year__year=2565).count()

    form = client.get(url)
    client.post(url, {"order": form.context["form"].initial["order"], "text": "งบประมาณจำกัด"})

    added = Limitation.objects.get(unit__code="dusit", text="งบประมาณจำกัด")
    assert (added.order, added.fiscal_year.year) == (existing + 1, 2565)


def test_the_list_shows_the_units_constraints_of_that_year_only(client, staff_dusit):
    mine = LimitationFactory(text="ข้อจำกัดปี 2565")
    LimitationFactory(
        text="ข้อจำกัดปีอื่น", fiscal_year=mine.fiscal_year.__class__.objects.get(year=2566)
    )
    client.force_login(staff_dusit)

    response = client.get(
        reverse("measures:limitation-list", kwargs={"code": "dusit", "year": 2565})
    )

    texts = [limitation.text for limitation in response.context["limitations"]]
    assert "ข้อจำกัดปี 2565" in texts
    assert "ข้อจำกัดปีอื่น" not in texts


def test_staff_edit_and_delete_a_constraint(client, staff_dusit):
    limitation = LimitationFactory()
    client.force_login(staff_dusit)

    client.post(
        reverse("measures:limitation-edit", kwargs={"pk": limitation.pk}),
        {"order": 3, "text": "ขาดแคลนบุคลากร"},
    )
    limitation.refresh_from_db()
    edited = (limitation.order, limitation.text)
    client.post(reverse("measures:limitation-delete", kwargs={"pk": limitation.pk}))

    assert edited == (3, "ขาดแคลนบุคลากร")
    assert not Limitation.objects.filter(pk=limitation.pk).exists()


def test_an_empty_constraint_is_refused(client, staff_dusit):
    client.force_login(staff_dusit)

    response = client.post(
        reverse("measures:limitation-create", kwargs={"code": "dusit", "year": 2565}),
        {"order": 1, "text": ""},
    )

    assert list(response.context["form"].errors) == ["text"]
