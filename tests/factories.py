"""factory_boy factories for test data; reference data (frameworks, units) comes from fixtures/.

Kept boring: every factory builds exactly the row it names. Pass ``unit``/``fiscal_year`` or
``assessment`` explicitly, since units and fiscal years are loaded reference data.
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from assessments.frameworks import framework_id_for
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    Membership,
    OrgUnit,
    Tool,
    ToolScore,
)
from measures.models import Limitation, Measure, MeasureStep, ProgressUpdate, Weakness

PASSWORD = "test-password-2569"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "ผู้ใช้"
    last_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="dusit"))
    role = Membership.Role.STAFF


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="dusit"))
    fiscal_year = factory.LazyFunction(lambda: FiscalYear.objects.get(year=2566))


def indicator_of(
    fiscal_year: FiscalYear, number: int = 1, unit: OrgUnit | None = None
) -> Indicator:
    """The indicator with this number in the framework ``unit`` works to in the fiscal year (the
    year's general framework when no unit is given)."""
    framework_id = framework_id_for(unit, fiscal_year) if unit else fiscal_year.framework_id
    return Indicator.objects.get(framework_id=framework_id, number=number)


class WeaknessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Weakness

    assessment = factory.LazyFunction(
        lambda: Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    )
    indicator = factory.LazyAttribute(lambda o: indicator_of(o.assessment.fiscal_year, 2))
    score = "81.96"
    topic = "การใช้งบประมาณ"
    analysis = "บุคลากรรับรู้แผนการใช้จ่ายงบประมาณน้อย"
    status = Weakness.Status.CONFIRMED


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="dusit"))
    fiscal_year = factory.LazyFunction(lambda: FiscalYear.objects.get(year=2565))
    indicator = factory.LazyAttribute(lambda o: indicator_of(o.fiscal_year, 2))
    title = factory.Sequence(lambda n: f"เผยแพร่แผนการใช้จ่ายงบประมาณประจำปี ครั้งที่ {n}")
    output = "บุคลากรรับรู้แผนการใช้จ่ายงบประมาณ"
    deadline = datetime.date(2022, 3, 30)


class MeasureStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureStep

    measure = factory.SubFactory(MeasureFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"ขั้นตอนที่ {n + 1}")


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    measure = factory.SubFactory(MeasureFactory)
    date = datetime.date(2022, 1, 15)
    note = "ประชุมชี้แจงบุคลากรแล้ว"
    percent = 50


class LimitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Limitation

    unit = factory.LazyFunction(lambda: OrgUnit.objects.get(code="dusit"))
    fiscal_year = factory.LazyFunction(lambda: FiscalYear.objects.get(year=2565))
    order = 1
    text = "บุคลากรมีภาระงานประจำมาก"


def measure_form_data(
    measure: Measure | None = None,
    *,
    steps: list[dict] | None = None,
    divisions: list[OrgUnit] | None = None,
    **fields,
) -> dict:
    """POST data of the measure form as a browser sends it.

    ``steps`` are dicts with text, result, ORDER and, for existing steps, id and DELETE; by
    default an existing measure keeps its steps in their order.
    """
    data = {
        "weakness": "",
        "indicator": measure.indicator_id if measure and measure.indicator_id else "",
        "issue": measure.issue if measure else "",
        "title": measure.title if measure else "",
        "activity": measure.activity if measure else "",
        "output": measure.output if measure else "",
        "communication": measure.communication if measure else "",
        "deadline": "",
        "deadline_note": measure.deadline_note if measure else "",
        "supervision": measure.supervision if measure else "",
        "monitoring_months": measure.monitoring_months or "" if measure else "",
        "result": measure.result if measure else "",
        "order": measure.order if measure else 0,
        "version": measure.version if measure else "",
    }
    if measure and measure.deadline:
        data["deadline"] = f"{measure.deadline:%d/%m}/{measure.deadline.year + 543}"
    if measure and measure.weakness_id:
        data["weakness"] = measure.weakness_id
    if measure and measure.all_divisions:
        data["all_divisions"] = "on"
    if measure and measure.draft:
        data["draft"] = "on"
    if steps is None and measure is not None:
        steps = [
            {"id": s.pk, "text": s.text, "result": s.result, "ORDER": n}
            for n, s in enumerate(measure.steps.all(), start=1)
        ]
    steps = steps or []
    initial = sum(1 for step in steps if step.get("id"))
    data.update(
        {
            "steps-TOTAL_FORMS": len(steps),
            "steps-INITIAL_FORMS": initial,
            "steps-MIN_NUM_FORMS": 0,
            "steps-MAX_NUM_FORMS": 1000,
        }
    )
    for index, step in enumerate(steps):
        for key, value in step.items():
            if key == "DELETE":
                if value:
                    data[f"steps-{index}-DELETE"] = "on"
            else:
                data[f"steps-{index}-{key}"] = value
        if measure is not None:
            data[f"steps-{index}-measure"] = measure.pk
    if divisions is None and measure is not None:
        divisions = list(measure.responsible_divisions.all())
    if divisions:
        data["responsible_divisions"] = [d.pk for d in divisions]
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# --- bulk builders for pages that list many units -------------------------------------------


def make_units(n: int) -> list[OrgUnit]:
    """n district offices, each with one division."""
    bma = OrgUnit.objects.get(code="bma")
    units = OrgUnit.objects.bulk_create(
        OrgUnit(
            code=f"test-{i}",
            name=f"สำนักงานเขตทดสอบ {i}",
            short_name=f"เขตทดสอบ {i}",
            kind=OrgUnit.Kind.DISTRICT,
            parent=bma,
            order=1000 + i,
        )
        for i in range(n)
    )
    OrgUnit.objects.bulk_create(
        OrgUnit(code=f"{u.code}-admin", name="ฝ่ายปกครอง", kind=OrgUnit.Kind.DIVISION, parent=u)
        for u in units
    )
    return units


def make_results(units: list[OrgUnit], years: list[int]) -> list[Assessment]:
    """A published result with every indicator and tool score for each unit and year."""
    fiscal_years = FiscalYear.objects.filter(year__in=years).select_related(
        "framework", "district_framework"
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            unit=unit,
            fiscal_year=fy,
            official_score=Decimal("80.00") + i % 20,
            official_level="ผ่าน",
            published_at=timezone.now(),
        )
        for i, unit in enumerate(units)
        for fy in fiscal_years
    )
    in_years = Q(framework__fiscal_years__year__in=years) | Q(
        framework__district_fiscal_years__year__in=years
    )
    indicators = list(Indicator.objects.filter(in_years).distinct())
    tools = list(Tool.objects.filter(in_years).distinct())
    IndicatorScore.objects.bulk_create(
        IndicatorScore(assessment=a, indicator=ind, score=Decimal("70.00") + ind.number * 3)
        for a in assessments
        for ind in indicators
        if ind.framework_id == a.framework.pk
    )
    ToolScore.objects.bulk_create(
        ToolScore(assessment=a, tool=tool, part=part, score=Decimal("88.00"))
        for a in assessments
        for tool in tools
        if tool.framework_id == a.framework.pk
        for part in (range(1, tool.parts + 1) if tool.parts else [0])
    )
    return assessments
