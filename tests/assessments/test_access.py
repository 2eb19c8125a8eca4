"""The assessments access helpers: which units a user reaches, 404 outside them, 403 read-only."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from assessments.access import (
    get_assessment_for_user,
    get_fiscal_year,
    get_unit_year_for_user,
    navigable_units,
)
from assessments.models import Assessment, OrgUnit

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_staff_navigate_only_their_own_unit(staff_dusit):
    assert [u.code for u in navigable_units(staff_dusit)] == ["dusit"]


def test_the_central_team_navigates_every_unit_but_no_division(central_team):
    units = navigable_units(central_team)
    assert units.count() == OrgUnit.objects.exclude(kind=OrgUnit.Kind.DIVISION).count()
    assert not units.filter(kind=OrgUnit.Kind.DIVISION).exists()


def test_anonymous_users_navigate_nothing():
    assert list(navigable_units(AnonymousUser())) == []


def test_staff_get_their_unit_and_year_for_writing(staff_dusit, dusit):
    unit, fiscal_year = get_unit_year_for_user(_request(staff_dusit), "dusit", 2565, write=True)
    assert (unit, fiscal_year.year) == (dusit, 2565)


def test_another_units_staff_get_404_for_the_unit(staff_pathumwan):
    with pytest.raises(Http404):
        get_unit_year_for_user(_request(staff_pathumwan), "dusit", 2565)


def test_the_director_reads_the_unit_but_gets_403_on_a_write(director_dusit):
    request = _request(director_dusit)
    assert get_unit_year_for_user(request, "dusit", 2565)[0].code == "dusit"
    with pytest.raises(PermissionDenied):
        get_unit_year_for_user(request, "dusit", 2565, write=True)


def test_an_unknown_fiscal_year_is_404():
    with pytest.raises(Http404):
        get_fiscal_year(2400)


def test_a_division_is_not_a_unit_year_even_for_its_own_staff(staff_dusit, dusit):
    division = OrgUnit.objects.divisions_of(dusit).first()
    with pytest.raises(Http404):
        get_unit_year_for_user(_request(staff_dusit), division.code, 2565)


def test_assessment_lookup_is_404_outside_and_403_read_only(
    staff_pathumwan, director_dusit, central_team, dusit_2564
):
    with pytest.raises(Http404):
        get_assessment_for_user(_request(staff_pathumwan), dusit_2564.pk)
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(_request(director_dusit), dusit_2564.pk, write=True)
    found = get_assessment_for_user(_request(central_team), dusit_2564.pk, write=True)
    assert isinstance(found, Assessment) and found.pk == dusit_2564.pk
