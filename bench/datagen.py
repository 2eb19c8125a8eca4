"""Deterministic BMA-scale data for the benchmarks (never used by the test suite's demo data).

At scale 1: the 50 district offices (with their divisions) × 7 fiscal years (2562–2568), every
question of each year's framework scored, indicator and tool scores consistent with them, 20
measures with progress per unit-year and one memo per unit-year. At scale 10: 450 more districts
cloned from the real ones (500 units), their data drawn like the real ones'. From scale
CLONE_SCALE (100×: 5,000 units) the clones' rows are copied from the real districts' by the
database itself (INSERT … SELECT, one statement a table): drawing millions of rows in Python
would take most of an hour on this machine. Runs on whatever database the settings point at.
"""

import datetime
import random
from decimal import Decimal

from django.db import connection, transaction

from assessments.models import (
    Assessment,
    FiscalYear,
    IndicatorScore,
    OrgUnit,
    QuestionScore,
    ToolScore,
)
from assessments.scoring import mean, round_score
from measures.disclosure import oit_questions
from measures.models import (
    DisclosureItem,
    DisclosureLink,
    Measure,
    MeasureStep,
    Memo,
    ProgressUpdate,
)

SEED = 2566
YEARS = range(2562, 2569)
MEASURES_PER_UNIT_YEAR = 20
DISCLOSURE_YEAR = 2570  # the fiscal year of the OIT checklist pages (a provisional framework)
CLONE_SCALE = 100


def _extra_districts(scale: int) -> list[tuple[OrgUnit, OrgUnit]]:
    """Clone the 50 districts (scale − 1) times so that scale 10 holds 500 district offices;
    each clone with the district it copies."""
    bma = OrgUnit.objects.get(code="bma")
    originals = list(OrgUnit.objects.districts().order_by("geocode"))
    clones, clone_divisions = [], []
    for copy in range(1, scale):
        for original in originals:
            clones.append(
                OrgUnit(
                    parent=bma,
                    code=f"{original.code}-{copy}",
                    name=f"{original.name} (ชุดทดสอบ {copy})",
                    short_name=f"{original.short_name} {copy}",
                    kind=OrgUnit.Kind.DISTRICT,
                    order=1000 * copy + original.order,
                )
            )
    OrgUnit.objects.bulk_create(clones, batch_size=500)
    created = list(OrgUnit.objects.filter(code__in=[c.code for c in clones]))
    for unit in created:
        clone_divisions.append(
            OrgUnit(
                parent=unit,
                code=f"{unit.code}-admin",
                name="ฝ่ายปกครอง",
                short_name="ฝ่ายปกครอง",
                kind=OrgUnit.Kind.DIVISION,
            )
        )
    OrgUnit.objects.bulk_create(clone_divisions, batch_size=500)
    by_code = {original.code: original for original in originals}
    return [(unit, by_code[unit.code.rsplit("-", 1)[0]]) for unit in created]


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _copy_table(cursor, model, *, replace: dict[str, str], joins: str) -> None:
    """INSERT INTO the model's table a copy of the rows ``joins`` reach, with the columns of
    ``replace`` taken from the join instead (the clone's ids)."""
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    chosen = [replace.get(c, f"s.{_quoted(c)}") for c in columns]
    table = _quoted(model._meta.db_table)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(map(_quoted, columns))}) "
        f"SELECT {', '.join(chosen)} FROM {table} s {joins}"
    )
    if connection.vendor == "postgresql":
        # Statistics of the rows just added (this transaction's own), so that the next copy,
        # which joins this table, is planned as a hash join and not a loop over every row.
        cursor.execute(f"ANALYZE {table}")


def _copy_to_clones(pairs: list[tuple[OrgUnit, OrgUnit]]) -> None:
    """Copy every generated row of each real district to its clones, in the database."""
    divisions = dict(
        OrgUnit.objects.filter(kind=OrgUnit.Kind.DIVISION, code__endswith="-admin").values_list(
            "parent_id", "pk"
        )
    )
    assessment = _quoted(Assessment._meta.db_table)
    measure = _quoted(Measure._meta.db_table)
    item = _quoted(DisclosureItem._meta.db_table)
    order = _quoted("order")
    by_unit = "JOIN bench_clone m ON s.unit_id = m.original_id"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_clone "
            "(clone_id bigint, original_id bigint, clone_division_id bigint)"
        )
        cursor.executemany(
            "INSERT INTO bench_clone VALUES (%s, %s, %s)",
            [(clone.pk, original.pk, divisions.get(clone.pk)) for clone, original in pairs],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE bench_clone")
        unit_rows = {"unit_id": "m.clone_id"}
        _copy_table(cursor, Assessment, replace=unit_rows, joins=by_unit)
        for scores in (QuestionScore, IndicatorScore, ToolScore):
            _copy_table(
                cursor,
                scores,
                replace={"assessment_id": "c.id"},
                joins=f"JOIN {assessment} a ON s.assessment_id = a.id "
                "JOIN bench_clone m ON a.unit_id = m.original_id "
                f"JOIN {assessment} c ON c.unit_id = m.clone_id "
                "AND c.fiscal_year_id = a.fiscal_year_id",
            )
        _copy_table(cursor, Measure, replace=unit_rows, joins=by_unit)
        for child in (MeasureStep, ProgressUpdate):
            _copy_table(
                cursor,
                child,
                replace={"measure_id": "c.id"},
                joins=f"JOIN {measure} x ON s.measure_id = x.id "
                "JOIN bench_clone m ON x.unit_id = m.original_id "
                f"JOIN {measure} c ON c.unit_id = m.clone_id "
                f"AND c.fiscal_year_id = x.fiscal_year_id AND c.{order} = x.{order}",
            )
        _copy_table(
            cursor,
            Memo,
            replace={**unit_rows, "division_id": "m.clone_division_id"},
            joins=by_unit,
        )
        _copy_table(cursor, DisclosureItem, replace=unit_rows, joins=by_unit)
        _copy_table(
            cursor,
            DisclosureLink,
            replace={"item_id": "c.id"},
            joins=f"JOIN {item} x ON s.item_id = x.id "
            "JOIN bench_clone m ON x.unit_id = m.original_id "
            f"JOIN {item} c ON c.unit_id = m.clone_id "
            "AND c.fiscal_year_id = x.fiscal_year_id AND c.question_id = x.question_id",
        )
        cursor.execute("DROP TABLE bench_clone")


def _score(rng: random.Random, low: int = 55) -> Decimal:
    return Decimal(rng.randint(low * 100, 10000)) / 100


@transaction.atomic
def generate(scale: int = 1) -> dict[str, int]:
    """Fill the database (which must hold the reference data and no assessments) at ``scale``."""
    if scale < CLONE_SCALE:
        return _draw(scale)
    _draw(1)
    _copy_to_clones(_extra_districts(scale))
    return {
        "units": OrgUnit.objects.districts().count(),
        "disclosure_items": DisclosureItem.objects.count(),
        "assessments": Assessment.objects.count(),
        "question_scores": QuestionScore.objects.count(),
        "measures": Measure.objects.count(),
        "memos": Memo.objects.count(),
    }


def _draw(scale: int) -> dict[str, int]:
    rng = random.Random(SEED)
    if scale > 1:
        _extra_districts(scale)
    units = list(OrgUnit.objects.districts().order_by("order", "code"))
    admin_division = {
        d.parent_id: d
        for d in OrgUnit.objects.filter(kind=OrgUnit.Kind.DIVISION, code__endswith="-admin")
    }
    years = list(
        FiscalYear.objects.filter(year__in=YEARS).select_related("framework", "district_framework")
    )
    structure = {}
    for fy in years:
        # every bench unit is a district office: from 2566 it is scored on the district framework
        framework = fy.framework_for_kind(OrgUnit.Kind.DISTRICT)
        indicators = list(framework.indicators.select_related("tool"))
        questions = list(framework.questions.all())
        structure[fy.year] = (indicators, questions, list(framework.tools.all()))

    assessments = [
        Assessment(unit=unit, fiscal_year=fy, published_at=None) for unit in units for fy in years
    ]
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    assessments = list(Assessment.objects.select_related("fiscal_year").order_by("pk"))

    question_rows, indicator_rows, tool_rows = [], [], []
    for assessment in assessments:
        indicators, questions, tools = structure[assessment.fiscal_year.year]
        by_indicator: dict[int, list[Decimal]] = {}
        for question in questions:
            value = (
                Decimal(rng.choice([0, 100, 100, 100, 100]))
                if question.code.startswith("O")
                else _score(rng)
            )
            by_indicator.setdefault(question.indicator_id, []).append(value)
            question_rows.append(
                QuestionScore(assessment=assessment, question=question, score=value)
            )
        tool_values: dict[int, list[Decimal]] = {}
        for indicator in indicators:
            values = by_indicator.get(indicator.id) or [_score(rng)]
            value = round_score(mean(values))
            tool_values.setdefault(indicator.tool_id, []).append(value)
            indicator_rows.append(
                IndicatorScore(assessment=assessment, indicator=indicator, score=value)
            )
        overall = Decimal(0)
        for tool in tools:
            value = mean(tool_values[tool.id])
            overall += tool.weight * value / 100
            tool_rows.append(ToolScore(assessment=assessment, tool=tool, score=round_score(value)))
        assessment.official_score = round_score(overall)
        assessment.published_at = datetime.datetime(
            assessment.fiscal_year.year - 543, 9, 30, tzinfo=datetime.UTC
        )
    QuestionScore.objects.bulk_create(question_rows, batch_size=2000)
    IndicatorScore.objects.bulk_create(indicator_rows, batch_size=2000)
    ToolScore.objects.bulk_create(tool_rows, batch_size=2000)
    Assessment.objects.bulk_update(assessments, ["official_score", "published_at"], batch_size=1000)

    measures, memos = [], []
    statuses = [s for s, _ in Measure.Status.choices]
    for unit in units:
        for fy in years:
            indicators = structure[fy.year][0]
            for n in range(MEASURES_PER_UNIT_YEAR):
                indicator = indicators[n % len(indicators)]
                measures.append(
                    Measure(
                        unit=unit,
                        fiscal_year=fy,
                        indicator=indicator,
                        issue=f"ประเด็นที่ {n + 1} ของ{indicator.name}",
                        title=f"มาตรการที่ {n + 1}: ประชาสัมพันธ์และติดตามผล{indicator.name}",
                        activity="ประชุมชี้แจงและเผยแพร่คู่มือ",
                        output="คู่มือ 1 ฉบับ",
                        communication="info graphic, Line group",
                        deadline=fy.start + datetime.timedelta(days=rng.randint(60, 360)),
                        all_divisions=n % 3 == 0,
                        monitoring_months=rng.choice([1, 3, 6]),
                        status=rng.choice(statuses),
                        order=n,
                    )
                )
            memos.append(
                Memo(
                    unit=unit,
                    division=admin_division.get(unit.id),
                    fiscal_year=fy,
                    kind=Memo.Kind.RESULTS,
                    subject=f"รายงานผลการดำเนินการตามมาตรการ ITA ของ{unit.name}",
                    addressee=f"ผู้อำนวยการ{unit.name.removeprefix('สำนักงาน')}",
                    status=Memo.Status.PUBLISHED,
                )
            )
    Measure.objects.bulk_create(measures, batch_size=2000)
    Memo.objects.bulk_create(memos, batch_size=1000)
    measure_ids = list(Measure.objects.values_list("pk", "fiscal_year__year"))
    steps, progress = [], []
    for pk, year in measure_ids:
        for order in (1, 2):
            steps.append(MeasureStep(measure_id=pk, order=order, text=f"ขั้นตอนที่ {order}"))
        progress.append(
            ProgressUpdate(
                measure_id=pk,
                date=datetime.date(year - 543, 3, 31),
                note="ดำเนินการตามแผน",
                percent=rng.choice([25, 50, 75, 100]),
            )
        )
    MeasureStep.objects.bulk_create(steps, batch_size=5000)
    ProgressUpdate.objects.bulk_create(progress, batch_size=5000)
    disclosures = _disclosures(units, rng)
    return {
        "units": len(units),
        "disclosure_items": disclosures,
        "assessments": len(assessments),
        "question_scores": len(question_rows),
        "measures": len(measures),
        "memos": len(memos),
    }


def _disclosures(units: list[OrgUnit], rng: random.Random) -> int:
    """Every unit's OIT checklist of DISCLOSURE_YEAR: each item with a status and two addresses."""
    fiscal_year = FiscalYear.objects.select_related("framework").get(year=DISCLOSURE_YEAR)
    statuses = [s for s, _label in DisclosureItem.Status.choices]
    questions = oit_questions(fiscal_year)
    items = DisclosureItem.objects.bulk_create(
        (
            DisclosureItem(
                unit=unit,
                fiscal_year=fiscal_year,
                question=question,
                status=rng.choice(statuses),
            )
            for unit in units
            for question in questions
        ),
        batch_size=2000,
    )
    DisclosureLink.objects.bulk_create(
        (
            DisclosureLink(item=item, url=f"https://www.example.go.th/oit/{item.pk}/{n}", order=n)
            for item in items
            for n in range(2)
        ),
        batch_size=5000,
    )
    return len(items)
