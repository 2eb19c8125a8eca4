"""Who may see and change what in the assessments app.

Scope comes from OrgUnit.objects.visible_to / editable_by (a membership reaches its unit and every
unit below it). Lookups return 404 when the object is out of sight and 403 when it is visible but
read-only; hiding a button is never the check.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments.models import Assessment, FiscalYear, Membership, OrgUnit


def is_central(user) -> bool:
    """The central ITA team: superusers and members with the central role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role=Membership.Role.CENTRAL).exists()


def can_edit_unit(user, unit: OrgUnit) -> bool:
    return OrgUnit.objects.editable_by(user).filter(pk=unit.pk).exists()


def directs_unit(user, unit: OrgUnit) -> bool:
    """The unit's director (or an executive of a unit above it) and the central team: those who
    approve the unit's memos and publish its results."""
    if is_central(user):
        return True
    return OrgUnit.objects.reached_by(user, [Membership.Role.DIRECTOR]).filter(pk=unit.pk).exists()


def get_unit_for_user(request, code: str, *, write: bool = False) -> OrgUnit:
    """The unit with this code if the user may see it (404 otherwise; 403 on a read-only write)."""
    unit = OrgUnit.objects.visible_to(request.user).filter(code=code).first()
    if unit is None:
        raise Http404("ไม่พบหน่วยงาน")
    if write and not can_edit_unit(request.user, unit):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อมูลของหน่วยงานนี้")
    return unit


def get_assessment_for_user(request, pk: int, *, write: bool = False) -> Assessment:
    """The assessment if the user may see it (404 otherwise; 403 on a read-only write)."""
    assessment = (
        Assessment.objects.visible_to(request.user)
        .select_related("unit", "fiscal_year__framework", "fiscal_year__district_framework")
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("ไม่พบผลการประเมิน")
    if write and not can_edit_unit(request.user, assessment.unit):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขผลการประเมินของหน่วยงานนี้")
    return assessment


def navigable_units(user):
    """Units the user may open in the staff pages: agencies, district offices and the BMA.

    Divisions are reached through their office, so they are left out of navigation.
    """
    return OrgUnit.objects.visible_to(user).exclude(kind=OrgUnit.Kind.DIVISION)


def get_fiscal_year(year: int) -> FiscalYear:
    """The fiscal year with this Buddhist-era number (404 when the portal does not know it)."""
    fiscal_year = (
        FiscalYear.objects.select_related("framework", "district_framework")
        .filter(year=year)
        .first()
    )
    if fiscal_year is None:
        raise Http404("ไม่พบปีงบประมาณ")
    return fiscal_year


def get_unit_year_for_user(
    request, code: str, year: int, *, write: bool = False
) -> tuple[OrgUnit, FiscalYear]:
    """A unit the user may see and a known fiscal year (404 otherwise; 403 on a read-only write)."""
    unit = get_unit_for_user(request, code, write=write)
    if unit.kind == OrgUnit.Kind.DIVISION:
        raise Http404("ไม่พบหน่วยงาน")
    return unit, get_fiscal_year(year)
