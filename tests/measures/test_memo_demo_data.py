"""The demo weaknesses, measures, constraints and memos that reproduce the five seeds."""

import datetime
from collections import Counter
from io import StringIO

from django.core.management import call_command

from assessments.reference_data import FIXTURES_DIR
from measures.demo_data import load_demo
from measures.models import IndicatorAnalysis, Limitation, Measure, Memo, Weakness


def test_loading_the_demo_twice_changes_nothing(db):
    before = {
        model: model.history.count() for model in (Weakness, Measure, Memo, IndicatorAnalysis)
    }
    tally: Counter = Counter()

    load_demo(FIXTURES_DIR, tally)

    assert (tally["created"], tally["updated"]) == (0, 0)
    assert tally["unchanged"] > 100
    after = {model: model.history.count() for model in before}
    assert after == before


def test_the_command_loads_the_memos_demo_too_and_keeps_its_summary_line(db):
    buffer = StringIO()

    call_command("load_portal_data", stdout=buffer)

    first_line = buffer.getvalue().splitlines()[0]
    assert first_line.startswith("สร้าง 0 รายการ, แก้ไข 0 รายการ, ไม่เปลี่ยนแปลง ")


def test_dusit_2565_has_one_measure_per_indicator_with_seed_000_steps(db):
    measures = Measure.objects.filter(unit__code="dusit", fiscal_year__year=2565)

    assert sorted(measures.values_list("indicator__number", flat=True)) == list(range(1, 11))
    steps = {m.indicator.number: m.steps.count() for m in measures}
    assert steps == {1: 3, 2: 1, 3: 1, 4: 2, 5: 1, 6: 2, 7: 3, 8: 2, 9: 1, 10: 1}
    assert set(measures.values_list("status", flat=True)) == {Measure.Status.DONE}
    ninth = measures.get(indicator__number=9)
    assert [d.name for d in ninth.responsible_divisions.all()] == ["ฝ่ายปกครอง"]


def test_dusit_2564_weaknesses_and_every_indicator_analysis(db, dusit_2564):
    weaknesses = Weakness.objects.filter(assessment=dusit_2564)

    assert list(weaknesses.values_list("question__code", flat=True)) == ["I7", "I20", "O1", "O29"]
    assert all(w.urgent and w.correction for w in weaknesses)
    assert IndicatorAnalysis.objects.filter(assessment=dusit_2564).count() == 10


def test_pathumwan_measures_answer_their_weaknesses_every_6_months(db):
    measures = Measure.objects.filter(unit__code="pathum-wan", fiscal_year__year=2567)

    assert measures.count() == 10
    assert set(measures.values_list("monitoring_months", "all_divisions")) == {(6, True)}
    assert Weakness.objects.filter(assessment__unit__code="pathum-wan").count() == 14
    assert not measures.filter(weakness__question__code__in=["E2", "E3", "E12", "I17"]).exists()


def test_bangkok_noi_plan_has_dates_notes_and_divisions(db):
    measures = Measure.objects.filter(unit__code="bangkok-noi", fiscal_year__year=2566)

    assert measures.count() == 30
    first = measures.get(order=1)
    assert (first.deadline, first.deadline_note, first.monitoring_months) == (None, "ทุกเดือน", 1)
    assert measures.get(order=2).deadline == datetime.date(2023, 3, 30)
    assert measures.get(order=7).deadline == datetime.date(2023, 4, 1)
    shared = measures.get(order=15)
    assert sorted(d.name for d in shared.responsible_divisions.all()) == [
        "ฝ่ายการคลัง",
        "ฝ่ายเทศกิจ",
    ]


def test_council_secretariat_measures_by_issue_and_constraints(db):
    measures = Measure.objects.filter(unit__code="council-secretariat", fiscal_year__year=2567)

    assert measures.count() == 6
    assert not measures.filter(indicator__isnull=False).exists()
    assert measures.get(order=1).steps.count() == 5
    assert Limitation.objects.filter(unit__code="council-secretariat").count() == 2


def test_the_five_seed_memos_are_published(db):
    memos = Memo.objects.published()

    assert sorted(memos.values_list("unit__code", "kind")) == [
        ("bangkok-noi", "measures_plan"),
        ("council-secretariat", "measures_plan"),
        ("dusit", "analysis"),
        ("dusit", "results"),
        ("pathum-wan", "question_analysis"),
    ]
    results = memos.get(unit__code="dusit", kind="results")
    assert [s.name for s in results.signatures.all()] == [
        "นายพัฒนา อังศุกสิกร",
        "นางสาวสุกัญญา ถาวรศักดิ์",
        "นายวัชชัย จันทรเส",
        "นายธานินทร์ เนียมหอม",
    ]
    assert results.signatures.last().remark == "ทราบ"
