"""Shared fixtures: the real frameworks, units and demo data, and one persona per role."""

import pytest
from django.core.management import call_command

from assessments.models import Assessment, OrgUnit


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load fixtures/ (frameworks, units, demo data) once into the test database."""
    with django_db_blocker.unblock():
        call_command("load_portal_data", stdout=open("/dev/null", "w"))


@pytest.fixture
def dusit(db) -> OrgUnit:
    return OrgUnit.objects.get(code="dusit")


@pytest.fixture
def pathumwan(db) -> OrgUnit:
    return OrgUnit.objects.get(code="pathum-wan")


@pytest.fixture
def dusit_2564(db) -> Assessment:
    return Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)


@pytest.fixture
def bma_2566(db) -> Assessment:
    return Assessment.objects.get(unit__code="bma", fiscal_year__year=2566)


@pytest.fixture
def central_team(django_user_model):
    return django_user_model.objects.get(username="central")


@pytest.fixture
def staff_dusit(django_user_model):
    return django_user_model.objects.get(username="dusit-staff")


@pytest.fixture
def director_dusit(django_user_model):
    return django_user_model.objects.get(username="dusit-director")


@pytest.fixture
def staff_pathumwan(django_user_model):
    return django_user_model.objects.get(username="pathumwan-staff")
