"""Staff act on the weakness register in few clicks: confirm every proposal at once, start a
measure from a weakness with the form filled in, and confirm before discarding or removing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import FiscalYear
from measures.models import Weakness
from measures.weaknesses import confirm_all_weaknesses
from tests.factories import MeasureFactory, WeaknessFactory, indicator_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(dusit_2564) -> list[Weakness]:
    """Three proposals on indicators 3, 4 and 5 of Dusit's 2564 result."""
    return [
        WeaknessFactory(
            assessment=dusit_2564,
            indicator=indicator_of(dusit_2564.fiscal_year, number),
            status=Weakness.Status.PROPOSED,
            order=100 + number,
        )
        for number in (3, 4, 5)
    ]


def _statuses(weaknesses: list[Weakness]) -> list[str]:
    return [Weakness.objects.get(pk=w.pk).status for w in weaknesses]


def test_confirming_all_confirms_every_proposal_of_the_assessment(
    dusit_2564, proposals, staff_dusit
):
    confirmed = confirm_all_weaknesses(dusit_2564, by=staff_dusit)

    assert sorted(w.pk for w in confirmed) == sorted(w.pk for w in proposals)
    assert _statuses(proposals) == [Weakness.Status.CONFIRMED] * 3
    assert not dusit_2564.weaknesses.filter(status=Weakness.Status.PROPOSED).exists()


def test_a_proposal_that_no_longer_validates_leaves_every_proposal_unconfirmed(
    dusit_2564, proposals, staff_dusit
):
    """The last proposal points at an indicator of another year's framework (written around
    the model's checks): the whole confirmation is refused, the first two included."""
    other_year = FiscalYear.objects.get(year=2567)
    Weakness.objects.filter(pk=proposals[-1].pk).update(indicator=indicator_of(other_year, 5))

    with pytest.raises(ValidationError):
        confirm_all_weaknesses(dusit_2564, by=staff_dusit)

    assert _statuses(proposals) == [Weakness.Status.PROPOSED] * 3


def test_the_confirm_all_button_confirms_the_proposals_and_says_how_many(
    client, dusit_2564, proposals, staff_dusit
):
    client.force_login(staff_dusit)
    page = client.get(reverse("measures:weakness-list", kwargs={"pk": dusit_2564.pk}))
    response = client.post(
        reverse("measures:weakness-confirm-all", kwargs={"pk": dusit_2564.pk}), follow=True
    )

    assert "ยืนยันทั้งหมด (3 รายการ)" in page.content.decode()
    assert "ยืนยันจุดอ่อนแล้ว 3 รายการ" in response.content.decode()
    assert _statuses(proposals) == [Weakness.Status.CONFIRMED] * 3


def test_a_confirmed_weakness_links_to_a_measure_form_of_the_following_year(
    client, dusit_2564, staff_dusit
):
    weakness = WeaknessFactory(assessment=dusit_2564)
    client.force_login(staff_dusit)
    url = reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565})
    link = f"{url}?weakness={weakness.pk}"

    listing = client.get(reverse("measures:weakness-list", kwargs={"pk": dusit_2564.pk}))
    detail = client.get(reverse("measures:weakness-detail", kwargs={"pk": weakness.pk}))

    assert link in listing.content.decode()
    assert link in detail.content.decode()
    assert "สร้างมาตรการจากจุดอ่อนนี้" in detail.content.decode()


def test_the_measure_form_opened_from_a_weakness_is_filled_in_for_the_following_year(
    client, dusit_2564, staff_dusit
):
    question = dusit_2564.fiscal_year.framework.questions.get(code="I8")
    weakness = WeaknessFactory(
        assessment=dusit_2564,
        indicator=question.indicator,
        question=question,
        topic=question.text,
    )
    client.force_login(staff_dusit)
    url = reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565})

    form = client.get(url, {"weakness": weakness.pk}).context["form"]

    assert form.instance.fiscal_year.year == 2565
    assert form["weakness"].value() == weakness.pk
    assert (
        form["indicator"].value()
        == indicator_of(FiscalYear.objects.get(year=2565), question.indicator.number).pk
    )
    assert form["issue"].value() == f"I8 {question.text}"


def test_a_weakness_of_another_unit_fills_in_nothing(client, pathumwan, staff_dusit):
    weakness = WeaknessFactory(assessment=pathumwan.assessments.get(fiscal_year__year=2566))
    client.force_login(staff_dusit)
    url = reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565})

    form = client.get(url, {"weakness": weakness.pk}).context["form"]

    assert form["weakness"].value() is None
    assert not form["issue"].value()


@pytest.mark.parametrize(
    "status, asks",
    [
        (Weakness.Status.PROPOSED, "ไม่รับข้อเสนอจุดอ่อน"),
        (Weakness.Status.CONFIRMED, "นำจุดอ่อนออกจากทะเบียน"),
    ],
)
def test_discarding_or_removing_asks_first_and_keeps_the_weakness_until_confirmed(
    client, dusit_2564, staff_dusit, status, asks
):
    weakness = WeaknessFactory(assessment=dusit_2564, status=status)
    MeasureFactory(weakness=weakness, title="ชี้แจงแผนการใช้จ่ายงบประมาณ")
    client.force_login(staff_dusit)
    url = reverse("measures:weakness-delete", kwargs={"pk": weakness.pk})

    question = client.get(url)

    page = question.content.decode()
    assert question.status_code == 200
    assert asks in page and "ยืนยันการนำออก" in page
    assert "ชี้แจงแผนการใช้จ่ายงบประมาณ" in page
    assert Weakness.objects.filter(pk=weakness.pk).exists()

    client.post(url)

    assert not Weakness.objects.filter(pk=weakness.pk).exists()


def test_the_register_links_to_the_confirmation_instead_of_removing_at_once(
    client, dusit_2564, staff_dusit
):
    weakness = WeaknessFactory(assessment=dusit_2564)
    client.force_login(staff_dusit)

    page = client.get(reverse("measures:weakness-list", kwargs={"pk": dusit_2564.pk}))

    delete_url = reverse("measures:weakness-delete", kwargs={"pk": weakness.pk})
    assert f'href="{delete_url}"' in page.content.decode()
    assert f'action="{delete_url}"' not in page.content.decode()
