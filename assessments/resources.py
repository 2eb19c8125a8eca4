"""Excel sheets in and out: the criteria of each framework and the scores of each assessment.

Every sheet has Thai column headers and names things by their codes (รหัสเกณฑ์, ตัวชี้วัดที่, รหัสข้อ,
รหัสหน่วยงาน), never by database ids, so the central ITA team can prepare next year's criteria in
Excel without code. The rules shared by every resource here:

- a code that names nothing, a number that is not a number, or a key repeated in the file is an
  error on its row with a Thai message (widgets raise ``ValueError``, which django-import-export
  turns into a field error), and errors are keyed by the Thai column header;
- every row is validated by the model, and a row equal to the database is skipped (no write, no
  history record);
- an import is all or nothing: ``import_data`` always rolls back when any row is invalid, in the
  admin's confirm step as much as in the staff pages (assessments.score_sheets).

Score sheets (``QuestionScoreResource`` and its siblings) are built for a year of all 50 districts
in one file. When the import starts, ``ScoreSheetContext`` loads the units, fiscal years,
assessments and framework items the file names, and the existing score rows, in a handful of
queries; each row is then checked in Python (the foreign keys are taken from that cache, so
``full_clean`` skips their per-row existence query), and new and changed rows are written in bulk
with their history (by the confirmation only: a dry run checks the rows without writing them). A
score sheet may only touch the units the importing user may edit (or the narrower ``units`` it
was given) and, when given, one fiscal year; a unit-year without an assessment gets one, created
by the import.

One resource instance serves one import::

    resource = QuestionScoreResource(fiscal_year=fiscal_year)
    result = resource.import_data(dataset, dry_run=True, user=request.user)  # show the rows
    QuestionScoreResource(fiscal_year=fiscal_year).import_data(dataset, user=request.user)
"""

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader, ModelInstanceLoader
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.excel import Percent, unescape_text
from assessments.frameworks import framework_for
from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
    ToolScore,
)

# Column headers used by more than one sheet; a header is part of the file format, so it is
# written here once rather than taken from a model's verbose_name.
FRAMEWORK_COLUMN = "รหัสเกณฑ์"
YEAR_COLUMN = "ปีงบประมาณ"
UNIT_COLUMN = "รหัสหน่วยงาน"
TOOL_COLUMN = "เครื่องมือ"
INDICATOR_COLUMN = "ตัวชี้วัดที่"
SUB_INDICATOR_COLUMN = "ตัวชี้วัดย่อยที่"
QUESTION_COLUMN = "รหัสข้อ"
PART_COLUMN = "ส่วนที่"
SCORE_COLUMN = "คะแนน"
OFFICIAL_SCORE_COLUMN = "คะแนนรวมที่ประกาศ"
LEVEL_COLUMN = "ระดับที่ประกาศ"
LOWEST_SHARE_COLUMN = "ร้อยละผู้ตอบตัวเลือกน้อยที่สุด"
REMARK_COLUMN = "ข้อสังเกตของผู้ประเมิน"


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
    the number it shows (assessments.excel.Percent: 19.28% is 19.28).
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


def _required_integer(row: dict, column: str) -> int:
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


def _framework_code(row: dict) -> str:
    return normalise_code(row.get(FRAMEWORK_COLUMN))


def _missing_framework(code: str) -> str | None:
    """The Thai error for a framework code that names nothing, else None."""
    if Framework.objects.filter(code__iexact=code).exists():
        return None
    return f"ไม่พบรหัสเกณฑ์ {code}" if code else f"ต้องระบุ{FRAMEWORK_COLUMN}"


class FrameworkWidget(NaturalKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Framework, "code", label=FRAMEWORK_COLUMN, **kwargs)

    def lookup(self, code, row):
        return {"code__iexact": code}

    def not_found(self, code, row):
        return f"ไม่พบรหัสเกณฑ์ {code}"


class ToolWidget(NaturalKeyWidget):
    """A tool code (IIT/EIT/OIT) of the row's framework."""

    def __init__(self, **kwargs):
        super().__init__(Tool, "code", label=TOOL_COLUMN, **kwargs)

    def lookup(self, code, row):
        return {"framework__code__iexact": _framework_code(row), "code": code.upper()}

    def not_found(self, code, row):
        framework = _framework_code(row)
        return _missing_framework(framework) or f"ไม่พบเครื่องมือ {code} ในเกณฑ์ {framework}"


class IndicatorWidget(NaturalKeyWidget):
    """An indicator number of the row's framework."""

    def __init__(self, **kwargs):
        super().__init__(Indicator, "number", label=INDICATOR_COLUMN, **kwargs)

    def lookup(self, code, row):
        return {
            "framework__code__iexact": _framework_code(row),
            "number": parse_integer(code, INDICATOR_COLUMN),
        }

    def not_found(self, code, row):
        framework = _framework_code(row)
        return _missing_framework(framework) or f"ไม่พบตัวชี้วัดที่ {code} ในเกณฑ์ {framework}"


class SubIndicatorWidget(NaturalKeyWidget):
    """A sub-indicator code (9.1, 10.2 …) of the row's indicator; optional."""

    def __init__(self, **kwargs):
        super().__init__(SubIndicator, "code", label=SUB_INDICATOR_COLUMN, **kwargs)

    def lookup(self, code, row):
        return {
            "indicator__framework__code__iexact": _framework_code(row),
            "indicator__number": _required_integer(row, INDICATOR_COLUMN),
            "code": code,
        }

    def not_found(self, code, row):
        framework = _framework_code(row)
        indicator = normalise_code(row.get(INDICATOR_COLUMN))
        return _missing_framework(framework) or (
            f"ไม่พบตัวชี้วัดย่อยที่ {code} ของตัวชี้วัดที่ {indicator} ในเกณฑ์ {framework}"
        )


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


class NaturalKeyResource(resources.ModelResource):
    """The behaviour every sheet of this module shares (see the module docstring)."""

    #: select_related() paths that export needs to render codes without a query per row.
    related = ()
    #: columns the file must have besides the key columns.
    required_columns = ()

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

    def before_import(self, dataset, **kwargs):
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


def _framework_field(attribute: str = "framework", **kwargs) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=FRAMEWORK_COLUMN, widget=FrameworkWidget(), **kwargs
    )


def _text_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


def _decimal_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=ThaiDecimalWidget(column))


def _integer_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=ThaiIntegerWidget(column))


def _boolean_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=ThaiBooleanWidget(column))


CONFIDENCE_COLUMN = "ความน่าเชื่อถือ"


def _confidence_field() -> fields.Field:
    return fields.Field(
        attribute="confidence",
        column_name=CONFIDENCE_COLUMN,
        widget=ThaiChoiceWidget(CONFIDENCE_COLUMN, Confidence),
    )


class FrameworkResource(NaturalKeyResource):
    code = fields.Field(
        attribute="code", column_name=FRAMEWORK_COLUMN, widget=CodeWidget(case="lower")
    )
    name = _text_field("name", "ชื่อเกณฑ์")
    pass_mark = _decimal_field("pass_mark", "คะแนนผ่านเกณฑ์")
    weakness_target = _decimal_field("weakness_target", "ค่าเป้าหมายจุดอ่อน")
    unit_kind = fields.Field(
        attribute="unit_kind",
        column_name="ใช้กับหน่วยงานประเภท",
        widget=ThaiChoiceWidget("ใช้กับหน่วยงานประเภท", Framework.UnitKind),
    )
    confidence = _confidence_field()
    source = _text_field("source", "แหล่งที่มา")

    class Meta(NaturalKeyResource.Meta):
        model = Framework
        fields = (
            "code",
            "name",
            "unit_kind",
            "pass_mark",
            "weakness_target",
            "confidence",
            "source",
        )
        import_id_fields = ("code",)


class FiscalYearResource(NaturalKeyResource):
    year = _integer_field("year", YEAR_COLUMN)
    framework = _framework_field()
    district_framework = fields.Field(
        attribute="district_framework",
        column_name="เกณฑ์สำหรับสำนักงานเขต",
        widget=FrameworkWidget(required=False),
    )
    related = ("framework", "district_framework")

    class Meta(NaturalKeyResource.Meta):
        model = FiscalYear
        fields = ("year", "framework", "district_framework")
        import_id_fields = ("year",)


class ToolResource(NaturalKeyResource):
    framework = _framework_field()
    code = fields.Field(attribute="code", column_name=TOOL_COLUMN, widget=CodeWidget(case="upper"))
    name = _text_field("name", "ชื่อเครื่องมือ")
    weight = _decimal_field("weight", "น้ำหนัก (ร้อยละ)")
    parts = _integer_field("parts", "จำนวนส่วน")
    order = _integer_field("order", "ลำดับ")
    confidence = _confidence_field()
    source = _text_field("source", "แหล่งที่มา")
    related = ("framework",)

    class Meta(NaturalKeyResource.Meta):
        model = Tool
        fields = ("framework", "code", "name", "weight", "parts", "order", "confidence", "source")
        import_id_fields = ("framework", "code")


class IndicatorResource(NaturalKeyResource):
    framework = _framework_field()
    number = _integer_field("number", INDICATOR_COLUMN)
    name = _text_field("name", "ชื่อตัวชี้วัด")
    tool = fields.Field(attribute="tool", column_name=TOOL_COLUMN, widget=ToolWidget())
    weight = _decimal_field("weight", "น้ำหนัก (ร้อยละ)")
    confidence = _confidence_field()
    source = _text_field("source", "แหล่งที่มา")
    related = ("framework", "tool")

    class Meta(NaturalKeyResource.Meta):
        model = Indicator
        fields = ("framework", "number", "name", "tool", "weight", "confidence", "source")
        import_id_fields = ("framework", "number")


class SubIndicatorResource(NaturalKeyResource):
    # The framework column only tells the indicator column where to look; it is not saved.
    framework = _framework_field("indicator__framework", readonly=True)
    indicator = fields.Field(
        attribute="indicator", column_name=INDICATOR_COLUMN, widget=IndicatorWidget()
    )
    code = fields.Field(attribute="code", column_name=SUB_INDICATOR_COLUMN, widget=CodeWidget())
    name = _text_field("name", "ชื่อตัวชี้วัดย่อย")
    confidence = _confidence_field()
    source = _text_field("source", "แหล่งที่มา")
    related = ("indicator__framework",)
    required_columns = (FRAMEWORK_COLUMN,)

    class Meta(NaturalKeyResource.Meta):
        model = SubIndicator
        fields = ("framework", "indicator", "code", "name", "confidence", "source")
        import_id_fields = ("indicator", "code")


class QuestionResource(NaturalKeyResource):
    framework = _framework_field()
    code = fields.Field(
        attribute="code", column_name=QUESTION_COLUMN, widget=CodeWidget(case="upper")
    )
    indicator = fields.Field(
        attribute="indicator", column_name=INDICATOR_COLUMN, widget=IndicatorWidget()
    )
    sub_indicator = fields.Field(
        attribute="sub_indicator",
        column_name=SUB_INDICATOR_COLUMN,
        widget=SubIndicatorWidget(required=False),
    )
    text = _text_field("text", "ข้อคำถาม/ข้อมูลที่เปิดเผย")
    group = _text_field("group", "กลุ่มข้อมูล")
    order = _integer_field("order", "ลำดับ")
    confidence = _confidence_field()
    source = _text_field("source", "แหล่งที่มา")
    related = ("framework", "indicator", "sub_indicator")

    class Meta(NaturalKeyResource.Meta):
        model = Question
        fields = (
            "framework",
            "code",
            "indicator",
            "sub_indicator",
            "text",
            "group",
            "order",
            "confidence",
            "source",
        )
        import_id_fields = ("framework", "code")


class LevelBandResource(NaturalKeyResource):
    framework = _framework_field()
    code = fields.Field(attribute="code", column_name="รหัสระดับ", widget=CodeWidget())
    label = _text_field("label", "ระดับ")
    min_score = _decimal_field("min_score", "คะแนนขั้นต่ำ")
    min_tool_score = fields.Field(
        attribute="min_tool_score",
        column_name="คะแนนขั้นต่ำของทุกเครื่องมือ",
        widget=ThaiScoreWidget("คะแนนขั้นต่ำของทุกเครื่องมือ", required=False),
    )
    passed = _boolean_field("passed", "ผ่านเกณฑ์")
    confidence = _confidence_field()
    source = _text_field("source", "แหล่งที่มา")
    related = ("framework",)

    class Meta(NaturalKeyResource.Meta):
        model = LevelBand
        fields = (
            "framework",
            "code",
            "label",
            "min_score",
            "min_tool_score",
            "passed",
            "confidence",
            "source",
        )
        import_id_fields = ("framework", "code")


# --- score sheets ------------------------------------------------------------------------------


class ScoreSheetContext:
    """What one score sheet names, loaded in a few queries when its import starts.

    ``allowed`` holds the ids of the units the import may write; ``fiscal_year``, when given, is
    the only year it may write. Every lookup raises ValueError with a Thai message, which the
    widgets turn into an error on the cell's column.
    """

    def __init__(self, dataset, *, allowed: set[int], fiscal_year: FiscalYear | None):
        self.allowed = allowed
        self.only_year = fiscal_year
        codes, years = set(), set()
        for value in _column(dataset, UNIT_COLUMN):
            try:
                codes.add(normalise_code(value).lower())
            except ValueError:
                continue  # the row's unit cell reports it
        for value in _column(dataset, YEAR_COLUMN):
            try:
                years.add(parse_integer(value, YEAR_COLUMN))
            except ValueError:
                continue
        codes.discard("")
        self.units = {u.code.lower(): u for u in OrgUnit.objects.filter(code__in=codes)}
        self.fiscal_years = {
            fy.year: fy
            for fy in FiscalYear.objects.filter(year__in=years - {None}).select_related(
                "framework", "district_framework"
            )
        }
        self.assessments = {
            (a.unit_id, a.fiscal_year.year): a
            for a in Assessment.objects.filter(
                unit__in=self.units.values(), fiscal_year__in=self.fiscal_years.values()
            ).select_related("unit", "fiscal_year__framework", "fiscal_year__district_framework")
        }
        self._items: dict[str, dict] = {}
        # what each cell value read as (or the error it raised): every row names its unit and
        # year, and each row's widgets ask for them several times
        self._units_read: dict[tuple, OrgUnit | ValueError] = {}
        self._years_read: dict[tuple, FiscalYear | ValueError] = {}

    @staticmethod
    def _remembered(memory: dict, value, read):
        # keyed by type too: True == 1 as a key, yet True is no year
        key = (type(value), value)
        if key not in memory:
            try:
                memory[key] = read(value)
            except ValueError as exc:
                memory[key] = exc
        found = memory[key]
        if isinstance(found, ValueError):
            raise ValueError(*found.args)  # a fresh error: re-raising one would grow its traceback
        return found

    def unit(self, value) -> OrgUnit:
        """The unit a code names, if the import may write it."""
        return self._remembered(self._units_read, value, self._read_unit)

    def _read_unit(self, value) -> OrgUnit:
        code = normalise_code(value)
        if not code:
            raise ValueError(f"ต้องระบุ{UNIT_COLUMN}")
        unit = self.units.get(code.lower())
        if unit is None:
            raise ValueError(f"ไม่พบรหัสหน่วยงาน {code}")
        if unit.kind == OrgUnit.Kind.DIVISION:
            raise ValueError(f"{code} เป็นฝ่ายภายในหน่วยงาน ไม่ใช่หน่วยงานที่รับการประเมิน")
        if unit.pk not in self.allowed:
            raise ValueError(f"ท่านไม่มีสิทธิ์นำเข้าคะแนนของหน่วยงาน {code}")
        return unit

    def fiscal_year(self, value) -> FiscalYear:
        """The fiscal year a cell names, if the portal knows it and the import may write it."""
        return self._remembered(self._years_read, value, self._read_fiscal_year)

    def _read_fiscal_year(self, value) -> FiscalYear:
        year = parse_integer(value, YEAR_COLUMN)
        if year is None:
            raise ValueError(f"ต้องระบุ{YEAR_COLUMN}")
        if self.only_year is not None and year != self.only_year.year:
            raise ValueError(f"ปีงบประมาณ {year} ไม่ตรงกับปีที่นำเข้า ({self.only_year.year})")
        if year not in self.fiscal_years:
            raise ValueError(f"ไม่พบปีงบประมาณ {year}")
        return self.fiscal_years[year]

    def assessment(self, row: dict) -> Assessment:
        """The assessment of the row's unit and year."""
        unit = self.unit(row.get(UNIT_COLUMN))
        fiscal_year = self.fiscal_year(row.get(YEAR_COLUMN))
        assessment = self.assessments.get((unit.pk, fiscal_year.year))
        if assessment is None:
            raise ValueError(f"ไม่พบผลการประเมินของหน่วยงาน {unit.code} ปีงบประมาณ {fiscal_year.year}")
        return assessment

    def ensure_assessments(self, dataset, *, by) -> list[Assessment]:
        """Create the missing assessment of every unit-year the import may write; the new ones."""
        missing: dict[tuple[int, int], Assessment] = {}
        for row in dataset.dict:
            try:
                unit = self.unit(row.get(UNIT_COLUMN))
                fiscal_year = self.fiscal_year(row.get(YEAR_COLUMN))
            except ValueError:
                continue
            key = (unit.pk, fiscal_year.year)
            if key not in self.assessments and key not in missing:
                missing[key] = Assessment(unit=unit, fiscal_year=fiscal_year)
        if not missing:
            return []
        created = bulk_create_with_history(list(missing.values()), Assessment, default_user=by)
        for assessment in created:
            self.assessments[(assessment.unit_id, assessment.fiscal_year.year)] = assessment
        return created

    def item(self, kind: str, value, row: dict):
        """The framework item (question, indicator, sub-indicator or tool) a code names in the
        framework the row's unit was assessed with in the row's fiscal year (a district
        office's is its year's district framework where there is one)."""
        code = normalise_code(value)
        label = ITEM_LABELS[kind]
        if not code:
            raise ValueError(f"ต้องระบุ{label}")
        fiscal_year = self.fiscal_year(row.get(YEAR_COLUMN))
        try:
            unit = self.unit(row.get(UNIT_COLUMN))
        except ValueError:  # reported on the unit column; look in the year's general framework
            unit = None
        framework = framework_for(unit, fiscal_year) if unit else fiscal_year.framework
        key = ITEM_KEYS[kind](code)
        found = self._items_of(kind).get((framework.pk, key))
        if found is None:
            raise ValueError(f"ไม่พบ{ITEM_NAMES[kind]} {code} ในเกณฑ์ปี {fiscal_year.year}")
        return found

    def _items_of(self, kind: str) -> dict:
        if kind not in self._items:
            frameworks = {f.pk for fy in self.fiscal_years.values() for f in fy.frameworks()}
            self._items[kind] = ITEM_LOADERS[kind](frameworks)
        return self._items[kind]


def _column(dataset, header: str) -> list:
    return dataset[header] if dataset.headers and header in dataset.headers else []


def _indicator_key(code: str) -> int | None:
    return parse_integer(code, INDICATOR_COLUMN)


ITEM_LABELS = {
    "question": QUESTION_COLUMN,
    "indicator": INDICATOR_COLUMN,
    "sub_indicator": SUB_INDICATOR_COLUMN,
    "tool": TOOL_COLUMN,
}
ITEM_NAMES = {
    "question": "ข้อคำถาม",
    "indicator": "ตัวชี้วัดที่",
    "sub_indicator": "ตัวชี้วัดย่อยที่",
    "tool": "เครื่องมือ",
}
ITEM_KEYS = {
    "question": str.upper,
    "indicator": _indicator_key,
    "sub_indicator": str,
    "tool": str.upper,
}
ITEM_LOADERS = {
    "question": lambda frameworks: {
        (q.framework_id, q.code.upper()): q
        for q in Question.objects.filter(framework__in=frameworks)
    },
    "indicator": lambda frameworks: {
        (i.framework_id, i.number): i for i in Indicator.objects.filter(framework__in=frameworks)
    },
    "sub_indicator": lambda frameworks: {
        (s.indicator.framework_id, s.code): s
        for s in SubIndicator.objects.filter(indicator__framework__in=frameworks).select_related(
            "indicator"
        )
    },
    "tool": lambda frameworks: {
        (t.framework_id, t.code.upper()): t for t in Tool.objects.filter(framework__in=frameworks)
    },
}


class ContextWidget(widgets.ForeignKeyWidget):
    """A foreign key taken from the import's ScoreSheetContext instead of a query per row.

    The resource hands the context over when the import starts (``ScoreSheetResource.
    before_import``); ``render`` writes the code the sheet names the object by.
    """

    def __init__(self, model, field: str, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.context: ScoreSheetContext | None = None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, self.model):
            for name in self.field.split("__"):
                value = getattr(value, name)
        return str(value)


class AssessmentOfRowWidget(ContextWidget):
    """The assessment of the row's unit code and fiscal year."""

    def __init__(self, **kwargs):
        super().__init__(Assessment, "unit__code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.context.assessment(row)


class UnitOfRowWidget(ContextWidget):
    """A unit code the import may write."""

    def __init__(self, **kwargs):
        super().__init__(OrgUnit, "code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.context.unit(value)


class FiscalYearOfRowWidget(ContextWidget):
    """A fiscal year the import may write."""

    def __init__(self, **kwargs):
        super().__init__(FiscalYear, "year", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.context.fiscal_year(value)


class ItemOfYearWidget(ContextWidget):
    """A question, indicator, sub-indicator or tool code of the row's fiscal-year framework."""

    def __init__(self, kind: str, model, field: str, **kwargs):
        super().__init__(model, field, **kwargs)
        self.kind = kind

    def clean(self, value, row=None, **kwargs):
        return self.context.item(self.kind, value, row)


class PartWidget(ThaiIntegerWidget):
    """A tool's part: empty means the whole tool (0)."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or 0


class CheckOnlyField(fields.Field):
    """A column that is checked on import but not saved, such as the year (the unit column's
    assessment already carries it) or a row key the instance loader has used; its errors are
    reported on its own column."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        self.clean(row, **kwargs)


class PreloadedInstanceLoader(BaseInstanceLoader):
    """Finds a row's existing object among those ScoreSheetResource.existing_rows() preloaded."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        self.existing = resource.existing_rows() if resource.context is not None else {}

    def get_instance(self, row):
        try:
            key = tuple(
                self.resource.fields[name].clean(row)
                for name in self.resource.get_import_id_fields()
            )
        except ValueError:
            return None  # the widget reports it on the row
        return self.existing.get(tuple(getattr(v, "pk", v) for v in key))


class ScoreSheetResource(NaturalKeyResource):
    """The rules every score sheet shares (see the module docstring).

    Subclasses name the model fields a row writes (``value_fields``), the foreign keys the
    context resolves (``preloaded_relations``) and whether rows need an existing assessment
    (``creates_assessments``: the import creates the missing ones first).
    """

    value_fields: tuple[str, ...] = ("score",)
    preloaded_relations: tuple[str, ...] = ()
    creates_assessments = True

    class Meta(NaturalKeyResource.Meta):
        instance_loader_class = PreloadedInstanceLoader
        use_bulk = True
        batch_size = None  # one bulk write at the end (split only by the database's limits)
        skip_diff = True

    def __init__(self, *, units=None, fiscal_year: FiscalYear | None = None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.fiscal_year = fiscal_year
        self.user = None
        self.context: ScoreSheetContext | None = None
        self.created_assessments: list[Assessment] = []
        self.row_changes: dict[int, list[tuple[str, object, object]]] = {}

    def _allowed_unit_ids(self) -> set[int]:
        if self.units is not None:
            return {unit.pk for unit in self.units}
        if self.user is None:
            return set()
        editable = OrgUnit.objects.editable_by(self.user).exclude(kind=OrgUnit.Kind.DIVISION)
        return set(editable.values_list("pk", flat=True))

    def before_import(self, dataset, **kwargs):
        """Load what the sheet names, check the columns, create missing assessments."""
        self.user = kwargs.get("user")
        self.context = ScoreSheetContext(
            dataset, allowed=self._allowed_unit_ids(), fiscal_year=self.fiscal_year
        )
        for field in self.fields.values():
            if isinstance(field.widget, ContextWidget):
                field.widget.context = self.context
        super().before_import(dataset, **kwargs)
        if self.creates_assessments:
            self.created_assessments = self.context.ensure_assessments(dataset, by=self.user)

    def existing_rows(self) -> dict[tuple, object]:
        """The model's rows for the assessments the sheet names, by their import key (ids)."""
        raise NotImplementedError

    def import_instance(self, instance, row, **kwargs):
        """A row whose year is wrong reports that alone: every other column depends on it."""
        try:
            self.context.fiscal_year(row.get(YEAR_COLUMN))
        except ValueError as exc:
            instance._import_unread = True  # no column was read, so the model is not checked
            raise ValidationError({self.fields["fiscal_year"].attribute: str(exc)}) from None
        super().import_instance(instance, row, **kwargs)
        self.row_changes[kwargs["row_number"]] = self.changes(instance)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_snapshot = {name: getattr(instance, name) for name in self.value_fields}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An existing row whose values equal the database is left alone (no history either)."""
        if import_validation_errors or instance.pk is None:
            return False
        return self.changes(instance) == []

    def changes(self, instance) -> list[tuple[str, object, object]]:
        """(column, before, after) for every value the row changes."""
        snapshot = getattr(instance, "_import_snapshot", {})
        return [
            (self._column_of(name), snapshot.get(name), getattr(instance, name))
            for name in self.value_fields
            if snapshot.get(name) != getattr(instance, name)
        ]

    def clean_instance(self, instance, *, exclude: list[str]) -> None:
        """The model's rules without a query per row: the foreign keys come from the context,
        and keys repeated in the file are refused by import_instance."""
        instance.full_clean(
            exclude=[*exclude, *self.preloaded_relations],
            validate_unique=False,
            validate_constraints=False,
        )

    # django-import-export writes a dry run's rows and rolls them back, to learn what only the
    # database refuses. Every rule a score row can break is checked before it reaches here (the
    # widgets, full_clean, a key repeated in the file, the existing rows loaded by key), so a dry
    # run writes nothing: the writes were a third of a preview's time. The confirmation writes
    # in one transaction and reports anything the database still refuses.

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Create the new rows in bulk, with their history records (not in a dry run)."""
        instances, self.create_instances = self.create_instances, []
        if instances and not dry_run:
            try:
                bulk_create_with_history(
                    instances, self._meta.model, batch_size=batch_size, default_user=self.user
                )
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the changed rows in bulk, with their history records (not in a dry run)."""
        instances, self.update_instances = self.update_instances, []
        if instances and not dry_run:
            now = timezone.now()
            for instance in instances:
                instance.updated_at = now
            try:
                bulk_update_with_history(
                    instances,
                    self._meta.model,
                    [*self.value_fields, "updated_at"],
                    batch_size=batch_size,
                    default_user=self.user,
                )
            except Exception as exc:
                self.handle_import_error(result, exc, raise_errors)


def _score_field(attribute: str, column: str, *, required: bool = True) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column, widget=ThaiScoreWidget(column, required=required)
    )


class _AssessmentItemScoreResource(ScoreSheetResource):
    """A score of one framework item in one assessment (unit code + year + item code)."""

    assessment = fields.Field(
        attribute="assessment", column_name=UNIT_COLUMN, widget=AssessmentOfRowWidget()
    )
    fiscal_year = CheckOnlyField(
        attribute="assessment__fiscal_year__year",
        column_name=YEAR_COLUMN,
        widget=FiscalYearOfRowWidget(),
    )
    required_columns = (YEAR_COLUMN,)
    item = ""  # the model's foreign key to the framework item

    def existing_rows(self):
        assessments = {a.pk: a for a in self.context.assessments.values()}
        rows = self._meta.model.objects.filter(assessment__in=assessments).select_related(
            *self.related_of_item()
        )
        existing = {}
        for row in rows:
            row.assessment = assessments[row.assessment_id]
            existing[self.key_of(row)] = row
        return existing

    def related_of_item(self) -> tuple[str, ...]:
        return (self.item,)

    def key_of(self, row) -> tuple:
        return (row.assessment_id, getattr(row, f"{self.item}_id"))


class QuestionScoreResource(_AssessmentItemScoreResource):
    question = fields.Field(
        attribute="question",
        column_name=QUESTION_COLUMN,
        widget=ItemOfYearWidget("question", Question, "code"),
    )
    score = _score_field("score", SCORE_COLUMN)
    lowest_option_share = _score_field("lowest_option_share", LOWEST_SHARE_COLUMN, required=False)
    remark = _text_field("remark", REMARK_COLUMN)
    related = ("assessment__unit", "assessment__fiscal_year", "question")
    item = "question"
    value_fields = ("score", "lowest_option_share", "remark")
    preloaded_relations = ("assessment", "question")

    class Meta(ScoreSheetResource.Meta):
        model = QuestionScore
        fields = (
            "assessment",
            "fiscal_year",
            "question",
            "score",
            "lowest_option_share",
            "remark",
        )
        import_id_fields = ("assessment", "question")


class IndicatorScoreResource(_AssessmentItemScoreResource):
    indicator = fields.Field(
        attribute="indicator",
        column_name=INDICATOR_COLUMN,
        widget=ItemOfYearWidget("indicator", Indicator, "number"),
    )
    score = _score_field("score", SCORE_COLUMN)
    related = ("assessment__unit", "assessment__fiscal_year", "indicator")
    item = "indicator"
    preloaded_relations = ("assessment", "indicator")

    class Meta(ScoreSheetResource.Meta):
        model = IndicatorScore
        fields = ("assessment", "fiscal_year", "indicator", "score")
        import_id_fields = ("assessment", "indicator")


class SubIndicatorScoreResource(_AssessmentItemScoreResource):
    sub_indicator = fields.Field(
        attribute="sub_indicator",
        column_name=SUB_INDICATOR_COLUMN,
        widget=ItemOfYearWidget("sub_indicator", SubIndicator, "code"),
    )
    score = _score_field("score", SCORE_COLUMN)
    related = ("assessment__unit", "assessment__fiscal_year", "sub_indicator__indicator")
    item = "sub_indicator"
    preloaded_relations = ("assessment", "sub_indicator")

    class Meta(ScoreSheetResource.Meta):
        model = SubIndicatorScore
        fields = ("assessment", "fiscal_year", "sub_indicator", "score")
        import_id_fields = ("assessment", "sub_indicator")

    def related_of_item(self):
        return ("sub_indicator__indicator",)


class ToolScoreResource(_AssessmentItemScoreResource):
    """A tool's score; EIT from 2566 has parts 1 and 2 (an empty part is the whole tool)."""

    tool = fields.Field(
        attribute="tool", column_name=TOOL_COLUMN, widget=ItemOfYearWidget("tool", Tool, "code")
    )
    part = fields.Field(attribute="part", column_name=PART_COLUMN, widget=PartWidget(PART_COLUMN))
    score = _score_field("score", SCORE_COLUMN)
    related = ("assessment__unit", "assessment__fiscal_year", "tool")
    item = "tool"
    preloaded_relations = ("assessment", "tool")

    class Meta(ScoreSheetResource.Meta):
        model = ToolScore
        fields = ("assessment", "fiscal_year", "tool", "part", "score")
        import_id_fields = ("assessment", "tool", "part")

    def key_of(self, row):
        return (row.assessment_id, row.tool_id, row.part)


class AssessmentScoreResource(ScoreSheetResource):
    """The official overall score and level of a unit-year; a new unit-year creates the
    assessment."""

    unit = fields.Field(attribute="unit", column_name=UNIT_COLUMN, widget=UnitOfRowWidget())
    fiscal_year = fields.Field(
        attribute="fiscal_year", column_name=YEAR_COLUMN, widget=FiscalYearOfRowWidget()
    )
    official_score = _score_field("official_score", OFFICIAL_SCORE_COLUMN)
    official_level = _text_field("official_level", LEVEL_COLUMN)
    related = ("unit", "fiscal_year")
    value_fields = ("official_score", "official_level")
    preloaded_relations = ("unit", "fiscal_year")
    creates_assessments = False

    class Meta(ScoreSheetResource.Meta):
        model = Assessment
        fields = ("unit", "fiscal_year", "official_score", "official_level")
        import_id_fields = ("unit", "fiscal_year")

    def existing_rows(self):
        return {(a.unit_id, a.fiscal_year_id): a for a in self.context.assessments.values()}

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Create the new assessments (remembered for the report) with their history."""
        self.created_assessments.extend(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
