"""Loading the demo weaknesses, measures, constraints and memos that reproduce the five seeds.

Like assessments.reference_data, every row is an idempotent upsert by natural key, written only
when a value differs, so loading twice changes nothing:

- weakness: (assessment, indicator, sub-indicator, question)
- indicator analysis: (assessment, indicator)
- measure: (unit, fiscal year, position in its list); step: (measure, position)
- constraint: (unit, fiscal year, position)
- memo: (unit, fiscal year, kind); signer: (memo, position)
"""

from collections import Counter
from pathlib import Path

from assessments.frameworks import framework_id_for
from assessments.models import Assessment, FiscalYear, Indicator, OrgUnit, Question, SubIndicator
from assessments.reference_data import UPDATED, ReferenceDataError, read_yaml, upsert
from measures.models import (
    IndicatorAnalysis,
    Limitation,
    Measure,
    MeasureStep,
    Memo,
    MemoSignature,
    Weakness,
)
from portal_core.thai import parse_be_date

MEASURE_FIELDS = ("issue", "activity", "output", "communication", "deadline_note", "supervision")


def _get(model, label: str, **lookup):
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist as exc:
        raise ReferenceDataError(f"ไม่พบ{label}: {lookup}") from exc


def _assessment(unit_code: str, year: int) -> Assessment:
    return _get(Assessment, "ผลการประเมิน", unit__code=unit_code, fiscal_year__year=year)


def _division(unit: OrgUnit, code: str) -> OrgUnit:
    return _get(OrgUnit, "ฝ่าย", code=f"{unit.code}-{code}", parent=unit)


def load_weaknesses(group: dict, tally: Counter) -> None:
    """Upsert the weaknesses of one assessment."""
    assessment = _assessment(group["unit"], group["assessment_year"])
    framework = assessment.framework
    for order, item in enumerate(group["items"], start=1):
        indicator = _get(Indicator, "ตัวชี้วัด", framework=framework, number=item["indicator"])
        sub = None
        if item.get("sub_indicator"):
            sub = _get(SubIndicator, "ตัวชี้วัดย่อย", indicator=indicator, code=item["sub_indicator"])
        question = None
        if item.get("question"):
            question = _get(Question, "ข้อคำถาม", framework=framework, code=item["question"])
        upsert(
            Weakness,
            {
                "assessment": assessment,
                "indicator": indicator,
                "sub_indicator": sub,
                "question": question,
            },
            {
                "topic": item.get("topic", ""),
                "analysis": item.get("analysis", ""),
                "correction": item.get("correction", ""),
                "urgent": bool(item.get("urgent", False)),
                "status": Weakness.Status.CONFIRMED,
                "order": order,
            },
            tally,
        )


def load_indicator_analyses(group: dict, tally: Counter) -> None:
    """Upsert the per-indicator analysis of one assessment."""
    assessment = _assessment(group["unit"], group["assessment_year"])
    for item in group["items"]:
        indicator = _get(
            Indicator,
            "ตัวชี้วัด",
            framework=assessment.framework,
            number=item["indicator"],
        )
        upsert(
            IndicatorAnalysis,
            {"assessment": assessment, "indicator": indicator},
            {"result_text": item.get("result_text", ""), "analysis": item.get("analysis", "")},
            tally,
        )


def _weakness_for(assessment: Assessment, ref) -> Weakness:
    """A weakness named by question code ("E1") or by {indicator: n} when it has no question."""
    if isinstance(ref, str):
        return _get(Weakness, "จุดอ่อน", assessment=assessment, question__code=ref)
    return _get(
        Weakness,
        "จุดอ่อน",
        assessment=assessment,
        indicator__number=ref["indicator"],
        question__isnull=True,
    )


def _set_divisions(measure: Measure, divisions: list[OrgUnit], tally: Counter) -> None:
    wanted = {d.pk for d in divisions}
    if set(measure.responsible_divisions.values_list("pk", flat=True)) != wanted:
        measure.responsible_divisions.set(divisions)
        tally[UPDATED] += 1


def load_measures(group: dict, tally: Counter) -> None:
    """Upsert one unit's measures of one fiscal year with their steps.

    ``defaults`` apply to every item; an item's title defaults to its activity (seed 004 names
    no separate measure); deadlines are Buddhist-era dates as the seeds write them (30 มี.ค. 66).
    """
    unit = _get(OrgUnit, "หน่วยงาน", code=group["unit"])
    year = _get(FiscalYear, "ปีงบประมาณ", year=group["fiscal_year"])
    assessment = (
        _assessment(group["unit"], group["assessment_year"])
        if group.get("assessment_year")
        else None
    )
    for order, raw in enumerate(group["items"], start=1):
        item = {**group.get("defaults", {}), **raw}
        indicator = None
        if item.get("indicator"):
            framework_id = framework_id_for(unit, year)
            indicator = _get(
                Indicator, "ตัวชี้วัด", framework_id=framework_id, number=item["indicator"]
            )
        weakness = _weakness_for(assessment, item["weakness"]) if item.get("weakness") else None
        if indicator is None and weakness is not None:
            indicator = weakness.indicator_in(framework_id_for(unit, year))  # as Measure.clean does
        values = {name: item.get(name) or "" for name in MEASURE_FIELDS}
        values.update(
            indicator=indicator,
            weakness=weakness,
            title=item.get("title") or item["activity"],
            deadline=parse_be_date(item["deadline"]) if item.get("deadline") else None,
            all_divisions=bool(item.get("all_divisions", False)),
            monitoring_months=item.get("monitoring_months"),
            status=item.get("status", Measure.Status.NOT_STARTED),
            result=item.get("result", ""),
        )
        measure = upsert(
            Measure, {"unit": unit, "fiscal_year": year, "order": order}, values, tally
        )
        _set_divisions(measure, [_division(unit, c) for c in item.get("divisions", [])], tally)
        steps = item.get("steps", [])
        for step_order, step in enumerate(steps, start=1):
            upsert(
                MeasureStep,
                {"measure": measure, "order": step_order},
                {"text": step["text"], "result": step.get("result", "")},
                tally,
            )
        measure.steps.filter(order__gt=len(steps)).delete()


def load_limitations(group: dict, tally: Counter) -> None:
    """Upsert one unit's constraints of one fiscal year."""
    unit = _get(OrgUnit, "หน่วยงาน", code=group["unit"])
    year = _get(FiscalYear, "ปีงบประมาณ", year=group["fiscal_year"])
    for order, text in enumerate(group["items"], start=1):
        upsert(
            Limitation, {"unit": unit, "fiscal_year": year, "order": order}, {"text": text}, tally
        )


MEMO_TEXT_FIELDS = (
    "background",
    "facts",
    "considerations",
    "proposal",
    "closing",
    "attachment_title",
    "attachment_intro",
)


def load_memo(item: dict, tally: Counter) -> Memo:
    """Upsert one demo memo and its signature chain (status set as given: demo data only)."""
    unit = _get(OrgUnit, "หน่วยงาน", code=item["unit"])
    year = _get(FiscalYear, "ปีงบประมาณ", year=item["fiscal_year"])
    ref = item.get("assessment")
    values = {name: (item.get(name) or "").strip() for name in MEMO_TEXT_FIELDS}
    values.update(
        division=_division(unit, item["division"]) if item.get("division") else None,
        assessment=_assessment(ref["unit"], ref["fiscal_year"]) if ref else None,
        date=item.get("date"),
        show_day=bool(item.get("show_day", True)),
        subject=item["subject"].strip(),
        addressee=item["addressee"],
        thai_numerals=bool(item.get("thai_numerals", True)),
        cover=bool(item.get("cover", True)),
        status=item.get("status", Memo.Status.DRAFT),
    )
    memo = upsert(Memo, {"unit": unit, "fiscal_year": year, "kind": item["kind"]}, values, tally)
    signatures = item.get("signatures", [])
    for order, signer in enumerate(signatures, start=1):
        upsert(
            MemoSignature,
            {"memo": memo, "order": order},
            {
                "endorsement": signer.get("endorsement", ""),
                "remark": signer.get("remark", ""),
                "name": signer["name"],
                "position": signer["position"],
            },
            tally,
        )
    memo.signatures.filter(order__gt=len(signatures)).delete()
    return memo


def load_demo(fixtures_dir: Path, tally: Counter) -> None:
    """Load fixtures/demo/measures.yaml and memos.yaml (after the demo assessments)."""
    data = read_yaml(fixtures_dir / "demo" / "measures.yaml")
    for group in data["weaknesses"]:
        load_weaknesses(group, tally)
    for group in data["indicator_analyses"]:
        load_indicator_analyses(group, tally)
    for group in data["measures"]:
        load_measures(group, tally)
    for group in data["limitations"]:
        load_limitations(group, tally)
    for item in read_yaml(fixtures_dir / "demo" / "memos.yaml"):
        load_memo(item, tally)
