"""Shared fixtures: the real frameworks, units and demo data, and one persona per role.

The demo data is loaded once per session. Every fixture here asks for ``db`` so that pytest-django
runs its tests before the transactional ones, which empty the database when they finish (those
reload the data themselves with call_command("load_portal_data")).
"""

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
def central_team(db, django_user_model):
    return django_user_model.objects.get(username="central")


@pytest.fixture
def staff_dusit(db, django_user_model):
    return django_user_model.objects.get(username="dusit-staff")


@pytest.fixture
def director_dusit(db, django_user_model):
    return django_user_model.objects.get(username="dusit-director")


@pytest.fixture
def staff_pathumwan(db, django_user_model):
    return django_user_model.objects.get(username="pathumwan-staff")
