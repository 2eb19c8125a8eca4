"""Excel sheets in and out: the criteria of each framework and the scores of each assessment.

Every sheet has Thai column headers and names things by their codes (รหัสเกณฑ์, ตัวชี้วัดที่, รหัสข้อ,
รหัสหน่วยงาน), never by database ids, so the central ITA team can prepare next year's criteria in
Excel without code. The rules shared by every resource here:

- a code that names nothing, a number that is not a number, or a key repeated in the file is an
  error on its row with a Thai message (widgets raise ``ValueError``, which django-import-export
  turns into a field error), and errors are keyed by the Thai column header;
- every row is validated by the model (``full_clean``), and a row equal to the database is skipped;
- a score sheet creates no assessment: the unit and fiscal year must already have one.

Import all-or-nothing, as the admin's confirm step does after a clean dry run::

    result = QuestionScoreResource().import_data(dataset, dry_run=True)  # show result.invalid_rows
    QuestionScoreResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True
    )

One resource instance serves one import: its widgets remember the objects they have looked up.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader

from assessments.models import (
    Assessment,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    Tool,
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
SCORE_COLUMN = "คะแนน"


# --- reading cells ---------------------------------------------------------------------------


def normalise_code(value) -> str:
    """A cell as a code: Excel hands over 9 or 9.0 for "9", and cells often carry stray spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_decimal(value, label: str) -> Decimal | None:
    """A number cell as a Decimal (None when empty); anything else is a Thai error naming it."""
    text = normalise_code(value)
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{label}ต้องเป็นตัวเลข: {text!r}") from None
    if not number.is_finite():
        raise ValueError(f"{label}ต้องเป็นตัวเลข: {text!r}")
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


def _missing_year(year: int) -> str | None:
    if FiscalYear.objects.filter(year=year).exists():
        return None
    return f"ไม่พบปีงบประมาณ {year}"


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


class AssessmentWidget(NaturalKeyWidget):
    """The assessment of a unit code in the row's fiscal year; a sheet never creates one."""

    def __init__(self, **kwargs):
        super().__init__(Assessment, "unit__code", label=UNIT_COLUMN, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Assessment.objects.select_related("unit", "fiscal_year")

    def lookup(self, code, row):
        return {
            "unit__code__iexact": code,
            "fiscal_year__year": _required_integer(row, YEAR_COLUMN),
        }

    def not_found(self, code, row):
        if not OrgUnit.objects.filter(code__iexact=code).exists():
            return f"ไม่พบรหัสหน่วยงาน {code}"
        year = _required_integer(row, YEAR_COLUMN)
        return f"ไม่พบผลการประเมินของหน่วยงาน {code} ปีงบประมาณ {year}"


class QuestionOfYearWidget(NaturalKeyWidget):
    """A question code of the framework in force in the row's fiscal year."""

    def __init__(self, **kwargs):
        super().__init__(Question, "code", label=QUESTION_COLUMN, **kwargs)

    def lookup(self, code, row):
        return {
            "framework__fiscal_years__year": _required_integer(row, YEAR_COLUMN),
            "code__iexact": code,
        }

    def not_found(self, code, row):
        year = _required_integer(row, YEAR_COLUMN)
        return _missing_year(year) or f"ไม่พบข้อคำถาม {code} ในเกณฑ์ปี {year}"


class IndicatorOfYearWidget(NaturalKeyWidget):
    """An indicator number of the framework in force in the row's fiscal year."""

    def __init__(self, **kwargs):
        super().__init__(Indicator, "number", label=INDICATOR_COLUMN, **kwargs)

    def lookup(self, code, row):
        return {
            "framework__fiscal_years__year": _required_integer(row, YEAR_COLUMN),
            "number": parse_integer(code, INDICATOR_COLUMN),
        }

    def not_found(self, code, row):
        year = _required_integer(row, YEAR_COLUMN)
        return _missing_year(year) or f"ไม่พบตัวชี้วัดที่ {code} ในเกณฑ์ปี {year}"


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

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._first_row_of_key: dict[tuple, int] = {}

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
            key = tuple(
                self.fields[name].get_value(instance) for name in self.get_import_id_fields()
            )
            number = kwargs.get("row_number")
            first = self._first_row_of_key.setdefault(key, number)
            if first != number:
                columns = " / ".join(self._key_columns())
                errors[NON_FIELD_ERRORS] = [ValidationError(f"{columns} ซ้ำกับแถวที่ {first}")]
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model validation as usual, with every error keyed by its Thai column header."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            by_column: dict[str, list] = {}
            for name, messages in exc.update_error_dict({}).items():
                by_column.setdefault(self._column_of(name), []).extend(messages)
            raise ValidationError(by_column) from None

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
    return fields.Field(attribute=attribute, column_name=column, widget=widgets.CharWidget())


def _decimal_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=ThaiDecimalWidget(column))


def _integer_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=ThaiIntegerWidget(column))


def _boolean_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=ThaiBooleanWidget(column))


class FrameworkResource(NaturalKeyResource):
    code = fields.Field(
        attribute="code", column_name=FRAMEWORK_COLUMN, widget=CodeWidget(case="lower")
    )
    name = _text_field("name", "ชื่อเกณฑ์")
    pass_mark = _decimal_field("pass_mark", "คะแนนผ่านเกณฑ์")
    weakness_target = _decimal_field("weakness_target", "ค่าเป้าหมายจุดอ่อน")
    verified = _boolean_field("verified", "ตรวจสอบกับคู่มือ ป.ป.ช. แล้ว")
    source = _text_field("source", "แหล่งที่มา")

    class Meta(NaturalKeyResource.Meta):
        model = Framework
        fields = ("code", "name", "pass_mark", "weakness_target", "verified", "source")
        import_id_fields = ("code",)


class FiscalYearResource(NaturalKeyResource):
    year = _integer_field("year", YEAR_COLUMN)
    framework = _framework_field()
    related = ("framework",)

    class Meta(NaturalKeyResource.Meta):
        model = FiscalYear
        fields = ("year", "framework")
        import_id_fields = ("year",)


class ToolResource(NaturalKeyResource):
    framework = _framework_field()
    code = fields.Field(attribute="code", column_name=TOOL_COLUMN, widget=CodeWidget(case="upper"))
    name = _text_field("name", "ชื่อเครื่องมือ")
    weight = _decimal_field("weight", "น้ำหนัก (ร้อยละ)")
    parts = _integer_field("parts", "จำนวนส่วน")
    order = _integer_field("order", "ลำดับ")
    related = ("framework",)

    class Meta(NaturalKeyResource.Meta):
        model = Tool
        fields = ("framework", "code", "name", "weight", "parts", "order")
        import_id_fields = ("framework", "code")


class IndicatorResource(NaturalKeyResource):
    framework = _framework_field()
    number = _integer_field("number", INDICATOR_COLUMN)
    name = _text_field("name", "ชื่อตัวชี้วัด")
    tool = fields.Field(attribute="tool", column_name=TOOL_COLUMN, widget=ToolWidget())
    weight = _decimal_field("weight", "น้ำหนัก (ร้อยละ)")
    related = ("framework", "tool")

    class Meta(NaturalKeyResource.Meta):
        model = Indicator
        fields = ("framework", "number", "name", "tool", "weight")
        import_id_fields = ("framework", "number")


class SubIndicatorResource(NaturalKeyResource):
    # The framework column only tells the indicator column where to look; it is not saved.
    framework = _framework_field("indicator__framework", readonly=True)
    indicator = fields.Field(
        attribute="indicator", column_name=INDICATOR_COLUMN, widget=IndicatorWidget()
    )
    code = fields.Field(attribute="code", column_name=SUB_INDICATOR_COLUMN, widget=CodeWidget())
    name = _text_field("name", "ชื่อตัวชี้วัดย่อย")
    related = ("indicator__framework",)
    required_columns = (FRAMEWORK_COLUMN,)

    class Meta(NaturalKeyResource.Meta):
        model = SubIndicator
        fields = ("framework", "indicator", "code", "name")
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
    verified = _boolean_field("verified", "ตรวจสอบถ้อยคำแล้ว")
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
            "verified",
            "source",
        )
        import_id_fields = ("framework", "code")


class LevelBandResource(NaturalKeyResource):
    framework = _framework_field()
    code = fields.Field(attribute="code", column_name="รหัสระดับ", widget=CodeWidget())
    label = _text_field("label", "ระดับ")
    min_score = _decimal_field("min_score", "คะแนนขั้นต่ำ")
    passed = _boolean_field("passed", "ผ่านเกณฑ์")
    verified = _boolean_field("verified", "ตรวจสอบแล้ว")
    related = ("framework",)

    class Meta(NaturalKeyResource.Meta):
        model = LevelBand
        fields = ("framework", "code", "label", "min_score", "passed", "verified")
        import_id_fields = ("framework", "code")


class _ScoreSheetResource(NaturalKeyResource):
    """A score sheet: one row per unit, fiscal year and item; the assessment must exist."""

    assessment = fields.Field(
        attribute="assessment", column_name=UNIT_COLUMN, widget=AssessmentWidget()
    )
    # The year column tells the unit and item columns where to look; it is not saved.
    fiscal_year = fields.Field(
        attribute="assessment__fiscal_year__year",
        column_name=YEAR_COLUMN,
        widget=ThaiIntegerWidget(YEAR_COLUMN),
        readonly=True,
    )
    required_columns = (YEAR_COLUMN,)


class QuestionScoreResource(_ScoreSheetResource):
    question = fields.Field(
        attribute="question", column_name=QUESTION_COLUMN, widget=QuestionOfYearWidget()
    )
    score = _decimal_field("score", SCORE_COLUMN)
    lowest_option_share = _decimal_field("lowest_option_share", "ร้อยละผู้ตอบตัวเลือกน้อยที่สุด")
    remark = _text_field("remark", "ข้อสังเกตของผู้ประเมิน")
    related = ("assessment__unit", "assessment__fiscal_year", "question")

    class Meta(NaturalKeyResource.Meta):
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


class IndicatorScoreResource(_ScoreSheetResource):
    indicator = fields.Field(
        attribute="indicator", column_name=INDICATOR_COLUMN, widget=IndicatorOfYearWidget()
    )
    score = _decimal_field("score", SCORE_COLUMN)
    related = ("assessment__unit", "assessment__fiscal_year", "indicator")

    class Meta(NaturalKeyResource.Meta):
        model = IndicatorScore
        fields = ("assessment", "fiscal_year", "indicator", "score")
        import_id_fields = ("assessment", "indicator")
