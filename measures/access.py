"""Who may see and change weaknesses, measures, progress, constraints and memos.

Everything is scoped by the unit it belongs to, through OrgUnit.objects.visible_to / editable_by.
Lookups return 404 outside the user's units and 403 for a write by a read-only role.
"""

from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from assessments.access import can_edit_unit, directs_unit
from assessments.models import OrgUnit
from measures.models import (
    IndicatorAnalysis,
    Limitation,
    Measure,
    Memo,
    MemoPhoto,
    ProgressUpdate,
    Weakness,
)

UNIT_PATH = {
    Weakness: "assessment__unit",
    IndicatorAnalysis: "assessment__unit",
    Measure: "unit",
    ProgressUpdate: "measure__unit",
    Limitation: "unit",
    Memo: "unit",
    MemoPhoto: "memo__unit",
}


def visible_to(queryset: QuerySet, user) -> QuerySet:
    """Rows of the user's units (any model of UNIT_PATH)."""
    field = UNIT_PATH[queryset.model]
    return queryset.filter(**{f"{field}__in": OrgUnit.objects.visible_to(user)})


def editable_by(queryset: QuerySet, user) -> QuerySet:
    """Rows the user may change: unit staff and the central team."""
    field = UNIT_PATH[queryset.model]
    return queryset.filter(**{f"{field}__in": OrgUnit.objects.editable_by(user)})


def _unit_of(obj: Model) -> OrgUnit:
    return reduce(getattr, UNIT_PATH[type(obj)].split("__"), obj)


def get_for_user(request, queryset: QuerySet, pk: int, *, write: bool = False):
    """The object if the user may see it (404 otherwise; 403 when visible but read-only).

    Pass a queryset with the unit path select_related to keep the write check to one query.
    """
    obj = visible_to(queryset, request.user).filter(pk=pk).first()
    if obj is None:
        raise Http404("ไม่พบข้อมูล")
    if write and not can_edit_unit(request.user, _unit_of(obj)):
        raise PermissionDenied("ท่านไม่มีสิทธิ์แก้ไขข้อมูลของหน่วยงานนี้")
    return obj


def can_edit(user, obj: Model) -> bool:
    """Whether the user may change this weakness, measure, progress report or constraint."""
    return can_edit_unit(user, _unit_of(obj))


def can_approve_memo(user, memo: Memo) -> bool:
    """The unit's director (or an executive above it) and the central team approve memos."""
    return directs_unit(user, memo.unit)
