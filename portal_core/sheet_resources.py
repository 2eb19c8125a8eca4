"""What every Excel sheet resource of the portal shares: reading cells, Thai widgets and the
natural-key resource base.

The rules (see assessments.resources for the sheets built on them):

- a code that names nothing, a number that is not a number, or a key repeated in the file is an
  error on its row with a Thai message (widgets raise ``ValueError``, which django-import-export
  turns into a field error), and errors are keyed by the Thai column header;
- every row is validated by the model, and a row equal to the database is skipped;
- an import is all or nothing: ``import_data`` always rolls back when any row is invalid.
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader, ModelInstanceLoader

from portal_core.excel import Percent, unescape_text

PERCENT_NOTE = " (เซลล์จัดรูปแบบเป็นร้อยละ ระบบอ่านเป็นตัวเลขที่แสดง)"

# --- reading cells ---------------------------------------------------------------------------


_INVISIBLE = ("Cf", "Cc", "Co")


def invisible_characters(text: str) -> list[str]:
    """The invisible characters of a text as their code points and names, e.g.
    ``["U+200B ZERO WIDTH SPACE"]``: format and control characters that look like nothing in
    Excel (pasted from a web page or a chat), so a code that holds one names nothing."""
    found = dict.fromkeys(ch for ch in text if unicodedata.category(ch) in _INVISIBLE)
    return [f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip() for ch in found]


def invisible_note(text: str) -> str:
    """What a message about ``text`` adds when the text holds invisible characters: the text as
    it looks and the characters named ("" when it holds none)."""
    hidden = invisible_characters(text)
    if not hidden:
        return ""
    shown = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    return f"“{shown}” มีอักขระที่มองไม่เห็นปนอยู่ ({', '.join(hidden)}) กรุณาลบแล้วพิมพ์ใหม่ในเซลล์นั้น"


def normalise_code(value) -> str:
    """A cell as a code: Excel hands over 9 or 9.0 for "9", and cells often carry stray spaces.

    A code holding an invisible character is refused with the character named (U+200B), since
    it would look right in the sheet and name nothing.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    code = str(value).strip()
    note = invisible_note(code)
    if note:
        raise ValueError(note)
    return code


def parse_decimal(value, label: str, *, places: int | None = None) -> Decimal | None:
    """A number cell as a Decimal (None when empty); anything else is a Thai error naming it.

    With ``places``, a float Excel computed (61.490000000001) is rounded to that many places,
    while a number typed with more places is refused. A cell formatted as a percentage reads as
    the number it shows (portal_core.excel.Percent: 19.28% is 19.28).
    """
    text = normalise_code(value)
    if not text:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{label}ต้องเป็นตัวเลข: {text!r}")
    try:
        number = value.shown if isinstance(value, Percent) else Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label}ต้องเป็นตัวเลข: {text!r}") from None
    if not number.is_finite():
        raise ValueError(f"{label}ต้องเป็นตัวเลข: {text!r}")
    if places is not None and number.as_tuple().exponent < -places:
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if not isinstance(value, float) or abs(number - rounded) > Decimal("1e-9"):
            why = PERCENT_NOTE if isinstance(value, Percent) else ""
            raise ValueError(f"{label}มีทศนิยมได้ไม่เกิน {places} ตำแหน่ง: {text!r}{why}")
        number = rounded
    return number


def parse_score(value, label: str, *, required: bool) -> Decimal | None:
    """A score cell: 0–100 with at most two decimal places; empty only when not required."""
    number = parse_decimal(value, label, places=2)
    if number is None:
        if required:
            raise ValueError(f"ต้องระบุ{label}")
        return None
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError(f"{label}ต้องอยู่ระหว่าง 0 ถึง 100")
    return number


def parse_integer(value, label: str) -> int | None:
    """A whole-number cell as an int (None when empty)."""
    number = parse_decimal(value, label)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(f"{label}ต้องเป็นจำนวนเต็ม: {normalise_code(value)!r}")
    return int(number)


def required_integer(row: dict, column: str) -> int:
    number = parse_integer(row.get(column), column)
    if number is None:
        raise ValueError(f"ต้องระบุ{column}")
    return number


# --- widgets ---------------------------------------------------------------------------------


class CodeWidget(widgets.CharWidget):
    """A code column of the row's own model, trimmed and optionally case-normalised."""

    def __init__(self, *, case: str = "", **kwargs):
        super().__init__(**kwargs)
        self.case = case  # "", "lower" or "upper"

    def clean(self, value, row=None, **kwargs):
        code = normalise_code(value)
        return getattr(code, self.case)() if self.case else code


class ThaiDecimalWidget(widgets.DecimalWidget):
    """A decimal column whose bad values get a Thai message naming the column."""

    def __init__(self, label: str, **kwargs):
        super().__init__(**kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        return parse_decimal(value, self.label)


class ThaiScoreWidget(widgets.DecimalWidget):
    """A score column: 0–100, two decimal places, a Thai message naming the column."""

    def __init__(self, label: str, *, required: bool = True, **kwargs):
        super().__init__(**kwargs)
        self.label = label
        self.required = required

    def clean(self, value, row=None, **kwargs):
        return parse_score(value, self.label, required=self.required)


class TextWidget(widgets.CharWidget):
    """A text column; text an export escaped against formulas (a leading apostrophe) is restored."""

    def clean(self, value, row=None, **kwargs):
        value = unescape_text(value)
        return super().clean(value, row, **kwargs)


class ThaiIntegerWidget(widgets.IntegerWidget):
    """A whole-number column whose bad values get a Thai message naming the column."""

    def __init__(self, label: str, **kwargs):
        super().__init__(**kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        return parse_integer(value, self.label)


class ThaiBooleanWidget(widgets.BooleanWidget):
    """ใช่/ไม่ใช่ in the sheet; Excel TRUE/FALSE and 1/0 are read too, an empty cell is ไม่ใช่."""

    TRUE_TEXT = {"ใช่", "1", "true", "yes", "y"}
    FALSE_TEXT = {"ไม่ใช่", "ไม่", "", "0", "false", "no", "n"}

    def __init__(self, label: str, **kwargs):
        super().__init__(**kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = normalise_code(value).lower()
        if text in self.TRUE_TEXT:
            return True
        if text in self.FALSE_TEXT:
            return False
        raise ValueError(f"{self.label}ต้องเป็น ใช่ หรือ ไม่ใช่: {text!r}")

    def render(self, value, obj=None, **kwargs):
        return "ใช่" if value else "ไม่ใช่"


class ThaiChoiceWidget(widgets.CharWidget):
    """A choices column: the Thai label in the sheet; the label or the stored value is read."""

    def __init__(self, label: str, choices, **kwargs):
        super().__init__(**kwargs)
        self.label = label
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = normalise_code(value)
        for stored, shown in self.choices.choices:
            if text in (stored, shown):
                return stored
        allowed = " / ".join(str(shown) for _, shown in self.choices.choices)
        raise ValueError(f"{self.label}ต้องเป็นหนึ่งใน {allowed}: {text!r}")

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


class ContextWidget(widgets.Widget):
    """A column read through what its import loaded when it started (``context``: the units,
    years and items a score sheet names; a plan's divisions and measures …), instead of a query
    per row. Put it before the widget class it extends; ``NaturalKeyResource.before_import``
    hands the context over."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.context = None


class NaturalKeyWidget(widgets.ForeignKeyWidget):
    """A foreign key named by its code, looked up among what the row's other columns allow.

    Subclasses say how to filter (``lookup``) and what to say when nothing matches
    (``not_found``); a miss raises ValueError, so the row gets a Thai field error. Hits are
    remembered for the life of the widget (one import).
    """

    def __init__(self, model, field: str, *, label: str, required: bool = True, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label
        self.required = required
        self._found: dict[tuple, object] = {}

    def lookup(self, code: str, row: dict) -> dict:
        raise NotImplementedError

    def not_found(self, code: str, row: dict) -> str:
        raise NotImplementedError

    def clean(self, value, row=None, **kwargs):
        code = normalise_code(value)
        row = row or {}
        if not code:
            if self.required:
                raise ValueError(f"ต้องระบุ{self.label}")
            return None
        lookup = self.lookup(code, row)
        key = tuple(sorted(lookup.items()))
        if key not in self._found:
            try:
                self._found[key] = self.get_queryset(value, row).get(**lookup)
            except self.model.DoesNotExist:
                raise ValueError(self.not_found(code, row)) from None
        return self._found[key]


# --- resources -------------------------------------------------------------------------------


class NaturalKeyInstanceLoader(ModelInstanceLoader):
    """Finds the row's existing object by its natural key; a key that names nothing finds none.

    The stock loader lets a widget's ValueError escape as an ugly row exception. Returning None
    instead lets the same widget report its Thai message as a field error during the import.
    """

    def get_instance(self, row):
        try:
            return super().get_instance(row)
        except ValueError:
            return None


class PreloadedInstanceLoader(BaseInstanceLoader):
    """Finds a row's existing object with ``resource.existing_instance(row)``, among what the
    import loaded when it started; a key that names nothing finds none (its widget reports it
    on the row)."""

    def get_instance(self, row):
        try:
            return self.resource.existing_instance(row)
        except ValueError:
            return None


class NaturalKeyResource(resources.ModelResource):
    """The behaviour every sheet of this module shares (see the module docstring)."""

    #: select_related() paths that export needs to render codes without a query per row.
    related = ()
    #: columns the file must have besides the key columns.
    required_columns = ()
    #: the fields a row is compared on: a dry run lists their changes, and an existing row equal
    #: to the database on all of them is skipped (none: django-import-export's own comparison).
    compared: tuple[str, ...] = ()

    class Meta:
        instance_loader_class = NaturalKeyInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related(*self.related)

    def filter_export(self, queryset, **kwargs):
        if isinstance(queryset, QuerySet):
            queryset = queryset.select_related(*self.related)
        return super().filter_export(queryset, **kwargs)

    def __init__(self, *, row_numbers: list[int] | None = None, **kwargs):
        super().__init__(**kwargs)
        self._first_row_of_key: dict[tuple, int] = {}
        self.row_numbers = row_numbers
        self.user = None
        self.context = None
        #: (column, before, after) of each value a data row (1-based) changes, for the dry run
        self.row_changes: dict[int, list[tuple[str, object, object]]] = {}

    def compared_value(self, instance, name: str):
        """How a compared field is compared and shown: its exported text."""
        return self.fields[name].export(instance)

    def _compared_values(self, instance) -> dict:
        return {name: self.compared_value(instance, name) for name in self.compared}

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_snapshot = self._compared_values(instance)
        super().after_init_instance(instance, new, row, **kwargs)

    def changes(self, instance) -> list[tuple[str, object, object]]:
        """(column, before, after) for every compared field the row changes."""
        before, after = instance._import_snapshot, self._compared_values(instance)
        return [
            (self.fields[name].column_name, before[name], after[name])
            for name in self.compared
            if before[name] != after[name]
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing row whose compared values equal the database is left alone (no history
        either)."""
        if not self.compared:
            return super().skip_row(instance, original, row, import_validation_errors)
        if import_validation_errors or instance.pk is None:
            return False
        return self.changes(instance) == []

    def import_notes(self) -> list[str]:
        """What an import did besides its rows, for the dry run's notes (none by default)."""
        return []

    def excel_row(self, number: int) -> int:
        """The Excel row of a data row (1-based): given by the caller, else the row under the
        header row."""
        return self.row_numbers[number - 1] if self.row_numbers else number + 1

    def import_data(self, dataset, **kwargs):
        """Import all or nothing: any invalid row rolls every row back, in every caller."""
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)

    def _key_columns(self) -> list[str]:
        return [self.fields[name].column_name for name in self.get_import_id_fields()]

    def load_context(self, dataset):
        """What the import's ContextWidgets read, loaded once when it starts (None: nothing)."""
        return None

    def existing_instance(self, row):
        """The existing object a row names, for PreloadedInstanceLoader (ValueError: none)."""
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        """Note the importing user, load the context for the widgets, check the columns."""
        self.user = kwargs.get("user")
        self.context = self.load_context(dataset)
        for field in self.fields.values():
            if isinstance(field.widget, ContextWidget):
                field.widget.context = self.context
        self._first_row_of_key = {}
        wanted = [*self._key_columns(), *self.required_columns]
        missing = [column for column in wanted if column not in (dataset.headers or [])]
        if missing:
            raise ValueError(f"ไฟล์ไม่มีคอลัมน์: {', '.join(missing)}")
        super().before_import(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        """Import the row's fields, and refuse a key that an earlier row of the file used."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if not errors:
            key = self.row_key(instance)
            number = kwargs.get("row_number")
            first = self._first_row_of_key.setdefault(key, number)
            if first != number:
                message = f"{self.key_description()} ซ้ำกับแถวที่ {self.excel_row(first)}"
                errors[NON_FIELD_ERRORS] = [ValidationError(message)]
        if errors:
            raise ValidationError(errors)

    def key_description(self) -> str:
        """How a repeated key is named in its error: the key columns."""
        return " / ".join(self._key_columns())

    def row_key(self, instance) -> tuple:
        """What makes a row the same object as another row of the file: its import key."""
        return tuple(self.fields[name].get_value(instance) for name in self.get_import_id_fields())

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation as usual, with every error keyed by its Thai column header."""
        errors = dict(import_validation_errors or {})
        try:
            if not getattr(instance, "_import_unread", False):
                self.clean_instance(instance, exclude=list(errors))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            by_column: dict[str, list] = {}
            for name, messages in errors.items():
                by_column.setdefault(self._column_of(name), []).extend(
                    messages if isinstance(messages, list) else [messages]
                )
            raise ValidationError(by_column)

    def clean_instance(self, instance, *, exclude: list[str]) -> None:
        """The model's validation of an imported row; fields that already failed are left out."""
        instance.full_clean(exclude=exclude)

    def _column_of(self, name: str) -> str:
        if name == NON_FIELD_ERRORS:
            return name
        for field in self.fields.values():
            if field.attribute == name and not field.readonly:
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name


class CheckOnlyField(fields.Field):
    """A column that is checked on import but not saved, such as the year (the unit column's
    assessment already carries it) or a row key the instance loader has used; its errors are
    reported on its own column."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.clean(row, **kwargs)
