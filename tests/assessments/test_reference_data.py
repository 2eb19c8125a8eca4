"""The frameworks, units and demo data in fixtures/: complete, faithful to the seeds, idempotent."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from assessments.models import (
    Assessment,
    Confidence,
    FiscalYear,
    Framework,
    Membership,
    OrgUnit,
    QuestionScore,
)
from assessments.reference_data import load_all

pytestmark = pytest.mark.django_db
D = Decimal


def _snapshot():
    """Every row of every history table and every updated_at: what 'changes nothing' means."""
    return (
        [(a.pk, a.updated_at) for a in Assessment.objects.order_by("pk")],
        Assessment.history.count(),
        QuestionScore.history.count(),
        [(u.pk, u.updated_at) for u in OrgUnit.objects.order_by("pk")],
        [(f.pk, f.updated_at) for f in Framework.objects.order_by("pk")],
    )


def test_loading_the_fixtures_again_changes_nothing():
    before = _snapshot()
    tally, _ = load_all(demo=True)
    assert (tally["created"], tally["updated"]) == (0, 0)
    assert _snapshot() == before


def test_the_load_command_reports_what_it_did():
    from io import StringIO

    out = StringIO()
    call_command("load_portal_data", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("สร้าง 0 รายการ, แก้ไข 0 รายการ")
    assert "dusit-staff" in out.getvalue()


def test_every_fiscal_year_from_2562_to_2570_has_a_framework():
    years = dict(FiscalYear.objects.values_list("year", "framework__code"))
    assert years == {
        2562: "ita2562",
        2563: "ita2563-2565",
        2564: "ita2563-2565",
        2565: "ita2563-2565",
        2566: "ita2566",
        2567: "ita2567",
        2568: "ita2568",
        2569: "ita2569",
        2570: "ita2570",
    }


def test_loading_again_keeps_what_the_central_team_did_to_a_shipped_copy():
    framework = Framework.objects.get(code="ita2570")
    framework.status = Framework.Status.CONFIRMED
    framework.save()
    framework.questions.filter(code="O1").update(text="ถ้อยคำของ ป.ป.ช. ปี ๒๕๗๐")
    tally, _ = load_all(demo=False)
    assert (tally["created"], tally["updated"]) == (0, 0)
    framework.refresh_from_db()
    assert framework.status == Framework.Status.CONFIRMED
    assert framework.questions.get(code="O1").text == "ถ้อยคำของ ป.ป.ช. ปี ๒๕๗๐"


@pytest.mark.parametrize(
    ("code", "iit", "eit", "oit"),
    [("ita2563-2565", 30, 15, 43), ("ita2566", 30, 15, 43), ("ita2567", 30, 15, 33)],
)
def test_frameworks_hold_their_questions(code, iit, eit, oit):
    questions = Framework.objects.get(code=code).questions
    counts = [questions.filter(code__startswith=p).count() for p in ("I", "E", "O")]
    assert counts == [iit, eit, oit]


def test_every_framework_has_ten_indicators_and_tool_weights_30_30_40():
    for framework in Framework.objects.all():
        assert list(framework.indicators.values_list("number", flat=True)) == list(range(1, 11))
        weights = {t.code: t.weight for t in framework.tools.all()}
        assert weights == {"IIT": D(30), "EIT": D(30), "OIT": D(40)}


def test_eit_comes_in_two_parts_from_2566():
    parts = {
        fy.year: fy.framework.tools.get(code="EIT").parts
        for fy in FiscalYear.objects.select_related("framework")
    }
    assert parts == {
        **{2562: 0, 2563: 0, 2564: 0, 2565: 0},
        **{2566: 2, 2567: 2, 2568: 2, 2569: 2, 2570: 2},
    }


def test_unconfirmed_items_are_marked_in_the_data():
    f2564 = Framework.objects.get(code="ita2563-2565")
    assert f2564.questions.get(code="I7").confidence == Confidence.OFFICIAL  # seed 001
    assert f2564.questions.get(code="E1").confidence == Confidence.UNKNOWN  # wording unsourced
    assert Framework.objects.get(code="ita2568").confidence == Confidence.UNKNOWN
    improve = Framework.objects.get(code="ita2566").levels.get(code="IMPROVE")
    assert improve.confidence == Confidence.UNKNOWN


def test_2564_oit_items_sit_in_their_sub_indicators():
    f2564 = Framework.objects.get(code="ita2563-2565")
    per_sub = {
        sub.code: sub.questions.count()
        for sub in f2564.indicators.get(number=9).sub_indicators.all()
    }
    # The Pichit 2564 table implies 9, 8, 7, 4 and 5 items (reference §4.2).
    assert per_sub == {"9.1": 9, "9.2": 8, "9.3": 7, "9.4": 4, "9.5": 5}


def test_all_fifty_district_offices_ship_with_their_ten_divisions():
    districts = OrgUnit.objects.districts()
    assert districts.count() == 50
    assert len(set(districts.values_list("geocode", flat=True))) == 50
    assert set(districts.values_list("parent__code", flat=True)) == {"bma"}
    for district in districts:
        names = set(OrgUnit.objects.divisions_of(district).values_list("name", flat=True))
        assert "ฝ่ายปกครอง" in names and len(names) == 10
    assert OrgUnit.objects.get(code="dusit").name == "สำนักงานเขตดุสิต"
    assert OrgUnit.objects.get(code="phasi-charoen").geocode == "1022"


def test_the_council_secretariat_is_an_agency_under_the_bma():
    unit = OrgUnit.objects.get(code="council-secretariat")
    assert (unit.name, unit.kind, unit.parent.code) == (
        "สำนักงานเลขานุการสภากรุงเทพมหานคร",
        "agency",
        "bma",
    )


def test_dusit_administration_division_carries_the_memo_header_of_seed_001():
    division = OrgUnit.objects.get(code="dusit-admin")
    assert (division.memo_prefix, division.phone) == (
        "กท ๕๖๐๑",
        "กลุ่มงานบริหารทั่วไป โทร. ๕๕๐๘ - ๕๕๐๙",
    )


def _indicators(unit: str, year: int) -> dict[int, Decimal]:
    a = Assessment.objects.get(unit__code=unit, fiscal_year__year=year)
    return dict(a.indicator_scores.values_list("indicator__number", "score"))


def test_demo_reproduces_dusit_2564_of_seed_001():
    a = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564)
    assert (a.official_score, a.official_level) == (D("90.40"), "A")
    assert _indicators("dusit", 2564) == {
        1: D("92.35"),
        2: D("81.96"),
        3: D("88.05"),
        4: D("80.96"),
        5: D("86.67"),
        6: D("85.87"),
        7: D("88.07"),
        8: D("84.49"),
        9: D("93.78"),
        10: D("100.00"),
    }
    subs = dict(a.sub_indicator_scores.values_list("sub_indicator__code", "score"))
    assert subs == {"9.1": D("83.33"), "9.5": D("80.00")}
    rows = {
        s.question.code: (s.score, s.lowest_option_share, s.remark)
        for s in a.question_scores.select_related("question")
    }
    assert rows["I7"] == (D("61.49"), D("19.28"), "")
    assert rows["I20"] == (D("55.69"), D("27.20"), "")
    assert rows["O1"] == (D("0.00"), None, "มีผังองค์กรแต่ไม่พบรายละเอียดส่วนย่อยของฝ่าย")
    assert rows["O29"][0] == D("0.00") and rows["O29"][2].startswith("มีแนวทางปฏิบัติ")


def test_seed_001s_contradictory_figure_is_kept_in_a_note():
    note = Assessment.objects.get(unit__code="dusit", fiscal_year__year=2564).indicator_scores.get(
        indicator__number=2
    )
    assert note.score == D("81.96") and "๘๑.๘๖" in note.note


def test_demo_reproduces_the_bma_results_of_seed_002():
    a = Assessment.objects.get(unit__code="bma", fiscal_year__year=2566)
    assert (a.official_score, a.official_level) == (D("88.98"), "ผ่าน")
    assert _indicators("bma", 2566) == {
        1: D("92.27"),
        2: D("77.83"),
        3: D("85.85"),
        4: D("77.95"),
        5: D("78.31"),
        6: D("82.88"),
        7: D("81.22"),
        8: D("78.37"),
        9: D("100.00"),
        10: D("100.00"),
    }
    tools = {(t.tool.code, t.part): t.score for t in a.tool_scores.select_related("tool")}
    assert tools == {
        ("IIT", 0): D("82.44"),
        ("EIT", 1): D("79.40"),
        ("EIT", 2): D("82.24"),
        ("OIT", 0): D("100.00"),
    }
    trend = dict(
        Assessment.objects.filter(unit__code="bma").values_list(
            "fiscal_year__year", "official_score"
        )
    )
    assert trend == {2562: D("88.50"), 2563: D("91.48"), 2565: D("90.01"), 2566: D("88.98")}


def test_demo_reproduces_every_question_score_of_seed_003():
    a = Assessment.objects.get(unit__code="pathum-wan", fiscal_year__year=2566)
    scores = dict(a.question_scores.values_list("question__code", "score"))
    assert scores == {
        "I8": D("73.34"),
        "I17": D("84.40"),
        "E1": D("79.99"),
        "E2": D("79.83"),
        "E3": D("78.56"),
        "E7": D("74.36"),
        "E8": D("76.88"),
        "E10": D("72.39"),
        "E11": D("74.57"),
        "E12": D("74.13"),
        "E13": D("84.27"),
        "E14": D("70.83"),
        "E15": D("74.97"),
    }
    assert _indicators("pathum-wan", 2566) == {9: D("84.21")}


def test_demo_logins_exist_for_every_role():
    roles = set(Membership.objects.values_list("user__username", "role"))
    assert {("central", "central"), ("dusit-staff", "staff"), ("dusit-director", "director")} <= (
        roles
    )
    assert ("bma-executive", "director") in roles
