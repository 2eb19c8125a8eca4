"""Publishing and withdrawing an assessment: one function each, recorded in its history."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.publishing import publish_assessment, unpublish_assessment


@pytest.fixture
def unpublished(db) -> Assessment:
    return Assessment.objects.create(
        unit=OrgUnit.objects.get(code="bang-rak"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=Decimal("87.10"),
    )


def test_publishing_sets_the_time_and_records_who(unpublished, central_team):
    publish_assessment(unpublished, by=central_team)

    unpublished.refresh_from_db()
    assert unpublished.published_at is not None
    assert unpublished.history.latest().history_user == central_team
    change = unpublished.state_changes.get()
    assert (change.from_state, change.to_state, change.by) == (
        "unpublished",
        "published",
        central_team,
    )
    assert str(change) == "ยังไม่เผยแพร่ → เผยแพร่ต่อสาธารณะ"
    assert Assessment.objects.published().filter(pk=unpublished.pk).exists()


def test_withdrawing_clears_the_time_and_records_who(unpublished, central_team):
    publish_assessment(unpublished, by=central_team)

    unpublish_assessment(unpublished, by=central_team)

    unpublished.refresh_from_db()
    assert unpublished.published_at is None
    assert list(unpublished.state_changes.values_list("to_state", "by")) == [
        ("published", central_team.pk),
        ("unpublished", central_team.pk),
    ]
    assert not Assessment.objects.published().filter(pk=unpublished.pk).exists()


def test_publishing_twice_is_refused_and_keeps_the_first_time(unpublished, central_team):
    publish_assessment(unpublished, by=central_team)
    first = Assessment.objects.get(pk=unpublished.pk).published_at

    with pytest.raises(ValidationError) as error:
        publish_assessment(unpublished, by=central_team)

    assert error.value.messages == ["ผลการประเมินนี้เผยแพร่แล้ว"]
    assert Assessment.objects.get(pk=unpublished.pk).published_at == first


def test_withdrawing_what_is_not_public_is_refused(unpublished, central_team):
    with pytest.raises(ValidationError) as error:
        unpublish_assessment(unpublished, by=central_team)

    assert error.value.messages == ["ผลการประเมินนี้ยังไม่ได้เผยแพร่"]


def test_an_assessment_without_its_official_score_is_not_published(unpublished, central_team):
    unpublished.official_score = None
    unpublished.save()

    with pytest.raises(ValidationError) as error:
        publish_assessment(unpublished, by=central_team)

    assert error.value.messages == ["ยังไม่ได้บันทึกคะแนนรวมที่ประกาศ จึงยังเผยแพร่ไม่ได้"]
    assert Assessment.objects.get(pk=unpublished.pk).published_at is None
