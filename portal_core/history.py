"""Who changed what, and when: django-simple-history records as the object pages show them.

``change_log`` turns history records into entries (who, when, and each field by its Thai verbose
name from what to what); every app's history pages use it.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from portal_core.thai import be_numeric_date, be_numeric_datetime

ACTIONS = {"+": "สร้าง", "~": "แก้ไข", "-": "ลบ"}
UNTRACKED = frozenset({"id", "created_at", "updated_at", "version"})


@dataclass(frozen=True)
class FieldChange:
    """One field of one change: its Thai label and the values before and after, as text."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded create, change or delete: who, when, of what, and which fields changed."""

    when: datetime.datetime
    who: str
    action: str
    subject: str
    changes: list[FieldChange]


def _user_name(user) -> str:
    if user is None:
        return "ระบบ"
    return user.get_full_name() or user.get_username()


class _ValueText:
    """Writes history values as staff read them; related rows are fetched once per model."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set] = defaultdict(set)
        self.names: dict[type[models.Model], dict] = {}

    def want(self, model_field: models.Field, value) -> None:
        if model_field.many_to_many:
            self.wanted[model_field.related_model].update(_m2m_ids(model_field, value))
        elif model_field.is_relation and value is not None:
            self.wanted[model_field.related_model].add(value)

    def load(self) -> None:
        user_model = get_user_model()
        for model, ids in self.wanted.items():
            rows = model.objects.in_bulk(ids).items()
            if model is user_model:
                self.names[model] = {pk: _user_name(user) for pk, user in rows}
            else:
                self.names[model] = {pk: str(obj) for pk, obj in rows}

    def text(self, model_field: models.Field, value) -> str:
        if model_field.many_to_many:
            names = self.names.get(model_field.related_model, {})
            ids = _m2m_ids(model_field, value)
            return ", ".join(names.get(pk, f"#{pk}") for pk in ids) or "–"
        if value is None or value == "":
            return "–"
        if model_field.is_relation:
            return self.names.get(model_field.related_model, {}).get(value, f"#{value} (ถูกลบ)")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "ใช่" if value else "ไม่ใช่"
        if isinstance(value, datetime.datetime):
            return be_numeric_datetime(
                timezone.localtime(value) if timezone.is_aware(value) else value
            )
        if isinstance(value, datetime.date):
            return be_numeric_date(value)
        return str(value)


def _m2m_ids(model_field: models.Field, rows) -> list:
    target = model_field.related_model._meta.model_name
    return sorted(row[target] for row in rows or [] if row.get(target) is not None)


def _creation_values(record, hidden: frozenset[str]) -> list[tuple[models.Field, object, object]]:
    opts = record.instance_type._meta
    items = []
    for tracked in record.tracked_fields:
        if tracked.name in UNTRACKED or tracked.name in hidden or not tracked.editable:
            continue
        value = getattr(record, tracked.attname)
        if value not in (None, "", False):
            items.append((opts.get_field(tracked.name), None, value))
    return items


def change_log(
    records: Iterable,
    *,
    describe: Callable[[object], str],
    hidden: Iterable[str] = (),
    limit: int = 50,
) -> list[HistoryEntry]:
    """History entries, newest first, from the historical records of one or more objects.

    ``records`` must hold every record of the objects shown (pass the history querysets with
    ``select_related("history_user")``): each change is diffed against the object's previous
    record with simple_history's ``diff_against``. ``describe(record)`` names the object;
    ``hidden`` fields (such as the parent a step belongs to) are left out.
    """
    hidden = frozenset(hidden)
    excluded = UNTRACKED | hidden
    by_object: dict[tuple[type, object], list] = defaultdict(list)
    for record in records:
        by_object[(record.instance_type, record.id)].append(record)
    pairs = []
    for object_records in by_object.values():
        object_records.sort(key=lambda r: (r.history_date, r.history_id))
        previous = None
        for record in object_records:
            pairs.append((record, previous))
            previous = record
    pairs.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)

    values = _ValueText()
    raw: list[tuple[object, list]] = []
    for record, previous in pairs:
        if len(raw) >= limit:
            break
        opts = record.instance_type._meta
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=excluded)
            items = [(opts.get_field(c.field), c.old, c.new) for c in delta.changes]
            if not items:
                continue
        elif record.history_type == "+":
            items = _creation_values(record, hidden)
        else:
            items = []
        for model_field, old, new in items:
            values.want(model_field, old)
            values.want(model_field, new)
        raw.append((record, items))
    values.load()
    return [
        HistoryEntry(
            when=record.history_date,
            who=_user_name(record.history_user),
            action=ACTIONS[record.history_type],
            subject=describe(record),
            changes=[
                FieldChange(str(f.verbose_name), values.text(f, old), values.text(f, new))
                for f, old, new in items
            ],
        )
        for record, items in raw
    ]


def save_with_history(obj: models.Model, *, by) -> None:
    """Validate ``obj`` and save it, its history record naming ``by`` as who made the change."""
    obj.full_clean()
    obj._history_user = by
    obj.save()


def delete_with_history(obj: models.Model, *, by) -> None:
    """Delete ``obj``, its history record naming ``by`` as who deleted it."""
    obj._history_user = by
    obj.delete()
