"""Excel sheets of the measures app: a unit's measures plan (seed 004's columns) and weaknesses.

The plan sheet reads as staff write it in Excel: the indicator as "1) การปฏิบัติหน้าที่" or just 1,
deadlines as Buddhist-era dates (30/03/2566, "30 มี.ค. 66"; text such as "ทุกเดือน" is kept as the
deadline note), owners as division names one per line or separated by commas ("ทุกฝ่าย" for all),
and monitoring as "ทุก 1 เดือน". A row is the same measure as an existing one when its
รหัสมาตรการ (written by every export) names it, or else when the indicator and the activity text
match; so importing the same plan twice changes nothing. Measures are saved through
measures.measure_workflow.save_measure (version, divisions, history), never directly.
"""

import datetime
import re

from import_export import fields, widgets

from assessments.frameworks import framework_id_for
from assessments.models import Indicator, OrgUnit
from assessments.resources import (
    INDICATOR_COLUMN,
    QUESTION_COLUMN,
    SUB_INDICATOR_COLUMN,
    UNIT_COLUMN,
    YEAR_COLUMN,
)
from measures.measure_workflow import StepEntry, save_measure
from measures.models import Measure, Weakness
from measures.weaknesses import save_weakness
from portal_core.sheet_resources import (
    CheckOnlyField,
    ContextWidget,
    NaturalKeyResource,
    PreloadedInstanceLoader,
    TextWidget,
    ThaiBooleanWidget,
    invisible_note,
    normalise_code,
    parse_integer,
    parse_score,
)
from portal_core.thai import arabic_digits, parse_be_date, thai_date_short

KEY_COLUMN = "รหัสมาตรการ"
# the plan writes the indicator as "1) การปฏิบัติหน้าที่" under this header (seed 004), where the
# score and weakness sheets write its number under assessments.resources.INDICATOR_COLUMN
PLAN_INDICATOR_COLUMN = "ตัวชี้วัด"
ISSUE_COLUMN = "ประเด็นที่ต้องเตรียมความพร้อม/ยกระดับ"
ACTIVITY_COLUMN = "กิจกรรมที่จะดำเนินการ"
OUTPUT_COLUMN = "ผลผลิต"
COMMUNICATION_COLUMN = "วิธีการสร้างการรับรู้"
DEADLINE_COLUMN = "ระยะเวลาแล้วเสร็จ"
OWNERS_COLUMN = "ผู้รับผิดชอบ"
MONITORING_COLUMN = "ระยะเวลากำกับติดตามโดย ผอ.เขต"
PLAN_COLUMNS = [
    KEY_COLUMN,
    PLAN_INDICATOR_COLUMN,
    ISSUE_COLUMN,
    ACTIVITY_COLUMN,
    OUTPUT_COLUMN,
    COMMUNICATION_COLUMN,
    DEADLINE_COLUMN,
    OWNERS_COLUMN,
    MONITORING_COLUMN,
]
NO_INDICATOR = "ไม่ระบุ"
ALL_DIVISIONS = "ทุกฝ่าย"


def _squash(text: str) -> str:
    return " ".join(text.split())


def _cell_text(value) -> str:
    """A cell read as text: stripped, "" when empty."""
    return "" if value is None else str(value).strip()


# --- reading the plan's cells -------------------------------------------------------------------

_INDICATOR = re.compile(r"^(?:ตัวชี้วัดที่)?\s*(\d+)\s*[).]?\s*(.*)$", re.DOTALL)
_DATE_LIKE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|\d{1,2}\s+\S+\.?\s*\d{2,4}")
_WITH_NOTE = re.compile(r"^(.*?)\s*\((.+)\)$", re.DOTALL)
_EVERY_N_MONTHS = re.compile(r"^ทุก\s*(\d+)\s*เดือน$")
_MONITORING_WORDS = {
    "ทุกเดือน": 1,
    "รายเดือน": 1,
    "เดือนละครั้ง": 1,
    "ทุกไตรมาส": 3,
    "รายไตรมาส": 3,
    "ทุกปี": 12,
    "รายปี": 12,
}


def parse_indicator_number(value) -> int | None:
    """The indicator number in "1) การปฏิบัติหน้าที่", "ตัวชี้วัดที่ 1", 1 or "๑)"; None if none."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    match = _INDICATOR.match(arabic_digits(_cell_text(value)))
    return int(match[1]) if match else None


def parse_deadline(value) -> tuple[datetime.date | None, str]:
    """(deadline, note) from a deadline cell.

    A date cell or a Buddhist-era date (30/03/2566, "30 มี.ค. 66") is the deadline, read by
    portal_core.thai.parse_be_date as the web form reads it. "30 มี.ค. 66 (note)" keeps both.
    Other text ("ทุกเดือน") is the note. Text that looks like a date but is not one is an error.
    """
    if isinstance(value, datetime.date):
        return parse_be_date(value), ""
    text = _squash(_cell_text(value))
    if not text:
        return None, ""
    with_note = _WITH_NOTE.match(text)
    if with_note and _DATE_LIKE.search(arabic_digits(with_note[1])):
        return parse_be_date(with_note[1]), with_note[2]
    try:
        return parse_be_date(text), ""
    except ValueError:
        if _DATE_LIKE.search(arabic_digits(text)):
            raise
    if len(text) > 200:
        raise ValueError("หมายเหตุระยะเวลายาวเกิน 200 ตัวอักษร")
    return None, text


def deadline_text(deadline: datetime.date | None, note: str) -> str:
    """The deadline cell as the plan writes it: 30 มี.ค. 66, the note, or both."""
    if deadline and note:
        return f"{thai_date_short(deadline)} ({note})"
    return thai_date_short(deadline) if deadline else note


def parse_monitoring(value) -> int | None:
    """Months between the director's checks from "ทุก 1 เดือน", "ทุก ๖ เดือน", "ทุกเดือน" or 6."""
    text = _squash(arabic_digits(_cell_text(value)))
    if not text:
        return None
    match = _EVERY_N_MONTHS.match(text)
    if match:
        months = int(match[1])
    elif text.replace(" ", "") in _MONITORING_WORDS:
        months = _MONITORING_WORDS[text.replace(" ", "")]
    else:
        try:
            months = parse_integer(value, "ระยะเวลากำกับติดตาม")
        except ValueError:
            raise ValueError(
                f"ไม่เข้าใจระยะเวลากำกับติดตาม “{text}” (เขียน เช่น “ทุก 1 เดือน” หรือ “ทุก 6 เดือน”)"
            ) from None
    if not 1 <= months <= 12:
        raise ValueError("ระยะเวลากำกับติดตามต้องอยู่ระหว่างทุก 1 ถึง 12 เดือน")
    return months


def split_owners(value) -> list[str]:
    """Division names from an owners cell: one per line, or separated by commas."""
    return [_squash(part) for part in re.split(r"[\n,;]+", _cell_text(value)) if part.strip()]


# --- what a plan names --------------------------------------------------------------------------


class PlanContext:
    """The unit's divisions, the year's indicators and the unit's measures of the year."""

    def __init__(self, *, unit: OrgUnit, fiscal_year):
        self.unit = unit
        self.fiscal_year = fiscal_year
        self.divisions = list(OrgUnit.objects.divisions_of(unit).order_by("order", "name"))
        self.indicators = {
            i.number: i
            for i in Indicator.objects.filter(framework=framework_id_for(unit, fiscal_year))
        }
        self.measures = {
            m.pk: m
            for m in Measure.objects.filter(unit=unit, fiscal_year=fiscal_year)
            .select_related("indicator")
            .prefetch_related("responsible_divisions", "steps")
            .order_by("order", "pk")
        }
        self.by_text: dict[tuple, Measure] = {}
        for measure in self.measures.values():
            self.by_text.setdefault(text_key(measure.indicator_id, measure.activity), measure)
        self.next_order = max((m.order for m in self.measures.values()), default=0) + 1

    def indicator(self, value) -> Indicator | None:
        text = _squash(_cell_text(value))
        if not text or text in (NO_INDICATOR, "-", "–"):
            return None
        number = parse_indicator_number(value)
        if number is not None and number in self.indicators:
            return self.indicators[number]
        for indicator in self.indicators.values():
            if _squash(indicator.name) == text:
                return indicator
        raise ValueError(
            invisible_note(text) or f"ไม่พบตัวชี้วัด “{text}” ในเกณฑ์ปี {self.fiscal_year.year}"
        )

    def division(self, name: str) -> OrgUnit:
        def matches(division: OrgUnit) -> bool:
            names = {_squash(division.name), _squash(division.short_name)} - {""}
            if name in names or f"ฝ่าย{name}" in names:
                return True
            return name.endswith("ฯ") and any(n.startswith(name[:-1]) for n in names)

        found = [d for d in self.divisions if matches(d)]
        if not found:
            raise ValueError(
                invisible_note(name) or f"ไม่พบ “{name}” ในฝ่ายของ{self.unit.display_name}"
            )
        if len(found) > 1:
            raise ValueError(f"“{name}” ตรงกับหลายฝ่าย: {', '.join(d.name for d in found)}")
        return found[0]


def text_key(indicator_id: int | None, activity: str) -> tuple:
    """A measure's identity when the plan has no รหัสมาตรการ: indicator and activity text."""
    return (indicator_id, _squash(activity))


# --- widgets and fields ----------------------------------------------------------------------


class MeasureKeyWidget(ContextWidget):
    """รหัสมาตรการ: a measure of this unit and year, or empty for a new one."""

    def clean(self, value, row=None, **kwargs):
        code = normalise_code(value)
        if not code:
            return None
        key = parse_integer(value, KEY_COLUMN)
        if key not in self.context.measures:
            raise ValueError(
                f"ไม่พบมาตรการรหัส {code} ในแผนของ{self.context.unit.display_name} "
                f"ปี {self.context.fiscal_year.year}"
            )
        return key

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class PlanIndicatorWidget(ContextWidget):
    """ตัวชี้วัด: "1) การปฏิบัติหน้าที่", a number or an indicator's name, of the year's framework."""

    def clean(self, value, row=None, **kwargs):
        return self.context.indicator(value)

    def render(self, value, obj=None, **kwargs):
        return f"{value.number}) {value.name}" if value else NO_INDICATOR


class RequiredTextWidget(TextWidget):
    def __init__(self, label: str, **kwargs):
        super().__init__(**kwargs)
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if not text.strip():
            raise ValueError(f"ต้องระบุ{self.label}")
        return text


class MonitoringWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_monitoring(value)

    def render(self, value, obj=None, **kwargs):
        return f"ทุก {value} เดือน" if value else ""


class DeadlineField(fields.Field):
    """ระยะเวลาแล้วเสร็จ: sets both the deadline and its note."""

    def clean(self, row, **kwargs):
        return parse_deadline(row.get(self.column_name))

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.deadline, instance.deadline_note = self.clean(row)

    def get_value(self, instance):
        return (instance.deadline, instance.deadline_note)

    def export(self, instance, **kwargs):
        return deadline_text(instance.deadline, instance.deadline_note)


class OwnersField(fields.Field):
    """ผู้รับผิดชอบ: the divisions of the unit by name, or ทุกฝ่าย (all divisions)."""

    def clean(self, row, **kwargs):
        names = split_owners(row.get(self.column_name))
        if ALL_DIVISIONS in names:
            if len(names) > 1:
                raise ValueError(f"ระบุ “{ALL_DIVISIONS}” แล้วไม่ต้องระบุฝ่ายอื่นอีก")
            return True, []
        divisions = {}
        for name in names:
            division = self.widget.context.division(name)
            divisions[division.pk] = division
        return False, list(divisions.values())

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance.all_divisions, instance._plan_divisions = self.clean(row)

    def get_value(self, instance):
        return (instance.all_divisions, frozenset(d.pk for d in divisions_of(instance)))

    def export(self, instance, **kwargs):
        if instance.all_divisions:
            return ALL_DIVISIONS
        return "\n".join(d.short_name or d.name for d in divisions_of(instance))


def divisions_of(measure: Measure) -> list[OrgUnit]:
    """The divisions a row sets, or else the measure's saved (prefetched) divisions."""
    if hasattr(measure, "_plan_divisions"):
        return measure._plan_divisions
    if measure.pk is None:
        return []
    return list(measure.responsible_divisions.all())


# the fields of a plan row besides its key, in the plan's column order
PLAN_FIELDS = (
    "indicator",
    "issue",
    "activity",
    "output",
    "communication",
    "deadline",
    "owners",
    "monitoring",
)


class MeasurePlanResource(NaturalKeyResource):
    """One unit's measures of one fiscal year in seed 004's columns."""

    key = CheckOnlyField(attribute="id", column_name=KEY_COLUMN, widget=MeasureKeyWidget())
    indicator = fields.Field(
        attribute="indicator", column_name=PLAN_INDICATOR_COLUMN, widget=PlanIndicatorWidget()
    )
    issue = fields.Field(attribute="issue", column_name=ISSUE_COLUMN, widget=TextWidget())
    activity = fields.Field(
        attribute="activity",
        column_name=ACTIVITY_COLUMN,
        widget=RequiredTextWidget(ACTIVITY_COLUMN),
    )
    output = fields.Field(attribute="output", column_name=OUTPUT_COLUMN, widget=TextWidget())
    communication = fields.Field(
        attribute="communication", column_name=COMMUNICATION_COLUMN, widget=TextWidget()
    )
    deadline = DeadlineField(attribute="deadline", column_name=DEADLINE_COLUMN)
    owners = OwnersField(
        attribute="all_divisions", column_name=OWNERS_COLUMN, widget=ContextWidget()
    )
    monitoring = fields.Field(
        attribute="monitoring_months", column_name=MONITORING_COLUMN, widget=MonitoringWidget()
    )
    required_columns = tuple(PLAN_COLUMNS[1:])
    compared = PLAN_FIELDS

    class Meta(NaturalKeyResource.Meta):
        model = Measure
        fields = ("key", *PLAN_FIELDS)
        import_id_fields = ("key",)
        instance_loader_class = PreloadedInstanceLoader
        skip_diff = True

    def __init__(self, *, unit: OrgUnit, fiscal_year, **kwargs):
        super().__init__(**kwargs)
        self.unit = unit
        self.fiscal_year = fiscal_year

    def get_queryset(self):
        return (
            Measure.objects.filter(unit=self.unit, fiscal_year=self.fiscal_year)
            .select_related("indicator")
            .prefetch_related("responsible_divisions")
            .order_by("indicator__number", "order", "pk")
        )

    def load_context(self, dataset) -> PlanContext:
        """The unit's divisions, the year's indicators and the plan's measures."""
        return PlanContext(unit=self.unit, fiscal_year=self.fiscal_year)

    def existing_instance(self, row):
        """The measure a row names by รหัสมาตรการ, or else by indicator and activity."""
        key = self.fields["key"].clean(row)
        if key is not None:
            return self.context.measures[key]
        indicator = self.fields["indicator"].clean(row)
        activity = _cell_text(row.get(ACTIVITY_COLUMN))
        return self.context.by_text.get(text_key(indicator and indicator.pk, activity))

    def init_instance(self, row=None):
        return Measure(unit=self.unit, fiscal_year=self.fiscal_year)

    def key_description(self) -> str:
        return "มาตรการเดียวกัน (รหัสมาตรการ หรือตัวชี้วัดและกิจกรรมที่จะดำเนินการ)"

    def row_key(self, instance) -> tuple:
        if instance.pk is not None:
            return ("pk", instance.pk)
        return text_key(instance.indicator_id, instance.activity)

    def import_instance(self, instance, row, **kwargs):
        """Import the row; a new measure is titled by its activity (seed 004 has no title)."""
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.title.strip():
                instance.title = instance.activity or "-"
        if instance.pk is not None:  # a new measure lists no changes, only that it is new
            self.row_changes[kwargs["row_number"]] = self.changes(instance)

    def clean_instance(self, instance, *, exclude: list[str]) -> None:
        # a title copied from the activity (seed 004 has no title) is checked as the activity
        copied = ["title"] if instance.title == instance.activity else []
        instance.full_clean(
            exclude=[*exclude, *copied, "unit", "fiscal_year", "indicator", "weakness"],
            validate_unique=False,
            validate_constraints=False,
        )

    def do_instance_save(self, instance, is_create):
        """Save through measures.measure_workflow.save_measure (version, divisions, history)."""
        if is_create:
            instance.order = self.context.next_order
            self.context.next_order += 1
            steps = []
        else:
            steps = [StepEntry(s.pk, s.text, s.result) for s in instance.steps.all()]
        save_measure(
            instance,
            divisions=divisions_of(instance),
            steps=steps,
            expected_version=None if is_create else instance.version,
            by=self.user,
        )


# --- weaknesses ---------------------------------------------------------------------------------

WEAKNESS_KEY_COLUMN = "รหัสจุดอ่อน"
WEAKNESS_TOPIC_COLUMN = "หัวข้อการประเมิน"


class WeaknessKeyWidget(ContextWidget):
    """รหัสจุดอ่อน: a weakness of the assessment being imported (the context: their ids)."""

    def clean(self, value, row=None, **kwargs):
        key = parse_integer(value, WEAKNESS_KEY_COLUMN)
        if key is None:
            raise ValueError(f"ต้องระบุ{WEAKNESS_KEY_COLUMN}")
        if key not in self.context:
            raise ValueError(f"ไม่พบจุดอ่อนรหัส {key} ในผลการประเมินนี้")
        return key

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class WeaknessScoreWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_score(value, "คะแนน", required=False)


class WeaknessResource(NaturalKeyResource):
    """An assessment's weaknesses: what they are (read-only on import) and the analysis text,
    which can be edited in Excel and imported back by รหัสจุดอ่อน."""

    key = CheckOnlyField(
        attribute="id", column_name=WEAKNESS_KEY_COLUMN, widget=WeaknessKeyWidget()
    )
    unit = fields.Field(attribute="assessment__unit__code", column_name=UNIT_COLUMN, readonly=True)
    year = fields.Field(
        attribute="assessment__fiscal_year__year", column_name=YEAR_COLUMN, readonly=True
    )
    indicator = fields.Field(
        attribute="indicator__number", column_name=INDICATOR_COLUMN, readonly=True
    )
    sub_indicator = fields.Field(
        attribute="sub_indicator__code", column_name=SUB_INDICATOR_COLUMN, readonly=True
    )
    question = fields.Field(attribute="question__code", column_name=QUESTION_COLUMN, readonly=True)
    score = fields.Field(
        attribute="score", column_name="คะแนน ณ ขณะวิเคราะห์", widget=WeaknessScoreWidget()
    )
    topic = fields.Field(attribute="topic", column_name=WEAKNESS_TOPIC_COLUMN, widget=TextWidget())
    analysis = fields.Field(attribute="analysis", column_name="การวิเคราะห์", widget=TextWidget())
    correction = fields.Field(
        attribute="correction", column_name="การดำเนินการแก้ไขข้อบกพร่อง", widget=TextWidget()
    )
    urgent = fields.Field(
        attribute="urgent",
        column_name="ต้องแก้ไขโดยเร่งด่วน",
        widget=ThaiBooleanWidget("ต้องแก้ไขโดยเร่งด่วน"),
    )
    related = (
        "assessment__unit",
        "assessment__fiscal_year",
        "indicator",
        "sub_indicator",
        "question",
    )
    compared = ("score", "topic", "analysis", "correction", "urgent")

    class Meta(NaturalKeyResource.Meta):
        model = Weakness
        fields = (
            "key",
            "unit",
            "year",
            "indicator",
            "sub_indicator",
            "question",
            "score",
            "topic",
            "analysis",
            "correction",
            "urgent",
        )
        import_id_fields = ("key",)

    def __init__(self, *, assessment, **kwargs):
        super().__init__(**kwargs)
        self.assessment = assessment

    def get_queryset(self):
        return (
            Weakness.objects.filter(assessment=self.assessment)
            .select_related(*self.related)
            .order_by("order", "indicator__number", "question__order", "pk")
        )

    def import_instance(self, instance, row, **kwargs):
        """A row updates a weakness it names; one that names none is only its key error."""
        instance._import_unread = instance.pk is None
        super().import_instance(instance, row, **kwargs)
        self.row_changes[kwargs["row_number"]] = self.changes(instance)

    def load_context(self, dataset) -> set[int]:
        """The ids of the assessment's weaknesses, the only ones a row may name."""
        return set(self.get_queryset().values_list("pk", flat=True))

    def do_instance_save(self, instance, is_create):
        """Save through measures.weaknesses.save_weakness (validation, history by the user)."""
        save_weakness(instance, by=self.user)
