"""Excel sheets in and out: the criteria of each framework and the scores of each assessment.

Every sheet has Thai column headers and names things by their codes (รหัสเกณฑ์, ตัวชี้วัดที่, รหัสข้อ,
รหัสหน่วยงาน), never by database ids, so the central ITA team can prepare next year's criteria in
Excel without code. The rules every resource shares (Thai row errors keyed by column, model
validation, skipped unchanged rows, all or nothing) live in portal_core.sheet_resources.

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

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

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
from portal_core.sheet_resources import (
    CheckOnlyField,
    CodeWidget,
    ContextWidget,
    NaturalKeyResource,
    NaturalKeyWidget,
    PreloadedInstanceLoader,
    TextWidget,
    ThaiBooleanWidget,
    ThaiChoiceWidget,
    ThaiDecimalWidget,
    ThaiIntegerWidget,
    ThaiScoreWidget,
    normalise_code,
    parse_integer,
    required_integer,
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
            "indicator__number": required_integer(row, INDICATOR_COLUMN),
            "code": code,
        }

    def not_found(self, code, row):
        framework = _framework_code(row)
        indicator = normalise_code(row.get(INDICATOR_COLUMN))
        return _missing_framework(framework) or (
            f"ไม่พบตัวชี้วัดย่อยที่ {code} ของตัวชี้วัดที่ {indicator} ในเกณฑ์ {framework}"
        )


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


class SheetForeignKeyWidget(ContextWidget, widgets.ForeignKeyWidget):
    """A foreign key taken from the import's ScoreSheetContext instead of a query per row;
    ``render`` writes the code the sheet names the object by."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, self.model):
            for name in self.field.split("__"):
                value = getattr(value, name)
        return str(value)


class AssessmentOfRowWidget(SheetForeignKeyWidget):
    """The assessment of the row's unit code and fiscal year."""

    def __init__(self, **kwargs):
        super().__init__(Assessment, "unit__code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.context.assessment(row)


class UnitOfRowWidget(SheetForeignKeyWidget):
    """A unit code the import may write."""

    def __init__(self, **kwargs):
        super().__init__(OrgUnit, "code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.context.unit(value)


class FiscalYearOfRowWidget(SheetForeignKeyWidget):
    """A fiscal year the import may write."""

    def __init__(self, **kwargs):
        super().__init__(FiscalYear, "year", **kwargs)

    def clean(self, value, row=None, **kwargs):
        return self.context.fiscal_year(value)


class ItemOfYearWidget(SheetForeignKeyWidget):
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
        self.created_assessments: list[Assessment] = []
        self._existing: dict[tuple, object] = {}

    def import_notes(self) -> list[str]:
        """The assessments the import created for the unit-years it names."""
        return [
            f"สร้างผลการประเมินของ {assessment.unit.display_name} "
            f"ปีงบประมาณ {assessment.fiscal_year.year}"
            for assessment in self.created_assessments
        ]

    def _allowed_unit_ids(self) -> set[int]:
        if self.units is not None:
            return {unit.pk for unit in self.units}
        if self.user is None:
            return set()
        editable = OrgUnit.objects.editable_by(self.user).exclude(kind=OrgUnit.Kind.DIVISION)
        return set(editable.values_list("pk", flat=True))

    def load_context(self, dataset) -> ScoreSheetContext:
        """What the sheet names: units, years, assessments, framework items."""
        return ScoreSheetContext(
            dataset, allowed=self._allowed_unit_ids(), fiscal_year=self.fiscal_year
        )

    def before_import(self, dataset, **kwargs):
        """Load what the sheet names, check the columns, create missing assessments, and load
        the existing rows of the assessments."""
        super().before_import(dataset, **kwargs)
        if self.creates_assessments:
            self.created_assessments = self.context.ensure_assessments(dataset, by=self.user)
        self._existing = self.existing_rows()

    def existing_instance(self, row):
        key = tuple(self.fields[name].clean(row) for name in self.get_import_id_fields())
        return self._existing.get(tuple(getattr(v, "pk", v) for v in key))

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

    @property
    def compared(self) -> tuple[str, ...]:
        return self.value_fields

    def compared_value(self, instance, name: str):
        """A score is compared as the value it holds (Decimal("61.5") equals 61.50)."""
        return getattr(instance, name)

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
