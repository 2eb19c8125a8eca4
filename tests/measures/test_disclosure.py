"""OIT disclosure readiness: the score if checked today, the checklist and its saving."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, Framework, OrgUnit, Question, QuestionScore
from measures.disclosure import (
    RowChange,
    StaleChecklist,
    bma_readiness,
    checklist,
    implied_overall,
    oit_if_checked_today,
    oit_questions,
    save_checklist,
)
from measures.models import DisclosureItem, DisclosureLink

D = Decimal
NOW = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))


def fiscal_year(year: int, framework_year: int = 2568) -> FiscalYear:
    """The fiscal year, made on the framework of ``framework_year`` when the data lacks it."""
    framework = Framework.objects.get(fiscal_years__year=framework_year)
    return FiscalYear.objects.get_or_create(year=year, defaults={"framework": framework})[0]


def change(question: Question, status=DisclosureItem.Status.PUBLISHED, urls=None, version=None):
    return RowChange(
        question=question,
        division=None,
        status=status,
        notes="",
        urls=urls if urls is not None else [f"https://www.example.go.th/{question.code}"],
        version=version,
    )


@pytest.fixture
def fy2570(db) -> FiscalYear:
    return fiscal_year(2570)


def test_every_item_disclosed_scores_100_and_none_scores_0(db):
    questions = oit_questions(FiscalYear.objects.get(year=2564))

    assert oit_if_checked_today(questions, {q.pk for q in questions}).score == D("100.00")
    assert oit_if_checked_today(questions, set()).score == D("0.00")


def test_the_score_follows_sub_indicators_then_indicators_then_the_tool(db):
    questions = oit_questions(FiscalYear.objects.get(year=2564))
    first_of_9_1 = next(q for q in questions if q.sub_indicator and q.sub_indicator.code == "9.1")
    disclosed = {q.pk for q in questions} - {first_of_9_1.pk}

    today = oit_if_checked_today(questions, disclosed)

    group = next(g for g in today.groups if g.code == "9.1")
    assert (group.disclosed, group.total, group.score) == (8, 9, D("88.89"))
    # indicator 9 = mean(88.89, 100, 100, 100, 100); OIT = mean(indicator 9, indicator 10 = 100)
    assert today.indicators == {9: D("97.78"), 10: D("100.00")}
    assert today.score == D("98.89")
    assert (today.disclosed, today.total) == (len(questions) - 1, len(questions))


def test_an_indicator_without_sub_indicators_is_the_share_of_its_items(fy2570):
    questions = oit_questions(fy2570)
    of_10 = [q for q in questions if q.indicator.number == 10]

    today = oit_if_checked_today(questions, {q.pk for q in of_10})

    assert [(g.code, g.score) for g in today.groups] == [("9", D("0.00")), ("10", D("100.00"))]
    assert today.score == D("50.00")


def test_the_implied_overall_weighs_the_latest_iit_and_eit_with_today_s_oit(fy2570):
    tools = list(fy2570.framework.tools.all())

    implied = implied_overall(tools, D("50.00"), (2566, {"IIT": D("80"), "EIT": D("90")}))

    assert implied.overall == D("71.00")  # 0.3 × 80 + 0.3 × 90 + 0.4 × 50
    assert implied.basis_year == 2566
    assert implied_overall(tools, D("50.00"), None).overall is None


def test_the_checklist_lists_every_oit_item_with_last_year_s_remark(dusit, fy2570):
    previous = Assessment.objects.create(unit=dusit, fiscal_year=fiscal_year(2569))
    o1 = Question.objects.get(framework=previous.fiscal_year.framework, code="O1")
    QuestionScore.objects.create(
        assessment=previous, question=o1, score=D("0"), remark="ไม่พบข้อมูลผู้บริหาร"
    )

    data = checklist(dusit, fy2570)

    assert [row.question.code for row in data.rows] == [q.code for q in oit_questions(fy2570)]
    assert data.rows[0].last_remark == "ไม่พบข้อมูลผู้บริหาร"
    assert data.rows[1].last_remark == ""
    assert all(row.item.pk is None for row in data.rows)
    assert data.today.score == D("0.00")


def test_the_checklist_implies_an_overall_from_the_unit_s_latest_scores(dusit, fy2570):
    data = checklist(dusit, fy2570)

    assert data.implied.basis_year is not None  # dusit's demo results hold IIT and EIT
    assert data.implied.overall is not None


def test_saving_creates_items_with_their_links_and_who_checked_them(dusit, fy2570, staff_dusit):
    o1, o2 = oit_questions(fy2570)[:2]

    saved = save_checklist(
        dusit,
        fy2570,
        [change(o1, urls=["https://a.example/1", "https://a.example/2"]), change(o2)],
        staff_dusit,
        NOW,
    )

    assert saved == 2
    item = DisclosureItem.objects.get(unit=dusit, question=o1)
    assert (item.checked_by, item.checked_at, item.version) == (staff_dusit, NOW, 1)
    assert list(item.links.values_list("url", flat=True)) == [
        "https://a.example/1",
        "https://a.example/2",
    ]
    assert checklist(dusit, fy2570).today.disclosed == 2


def test_a_kept_address_keeps_its_last_check(dusit, fy2570, staff_dusit):
    o1 = oit_questions(fy2570)[0]
    save_checklist(dusit, fy2570, [change(o1, urls=["https://a.example/1"])], staff_dusit, NOW)
    DisclosureLink.objects.filter(url="https://a.example/1").update(last_status=200)

    save_checklist(
        dusit,
        fy2570,
        [change(o1, urls=["https://b.example/", "https://a.example/1"], version=1)],
        staff_dusit,
        NOW,
    )

    links = list(DisclosureItem.objects.get(question=o1, unit=dusit).links.all())
    assert [(link.url, link.last_status) for link in links] == [
        ("https://b.example/", None),
        ("https://a.example/1", 200),
    ]


def test_a_stale_row_refuses_the_whole_save(dusit, fy2570, staff_dusit):
    o1, o2 = oit_questions(fy2570)[:2]
    save_checklist(dusit, fy2570, [change(o2)], staff_dusit, NOW)
    save_checklist(dusit, fy2570, [change(o2, version=1)], staff_dusit, NOW)  # now version 2

    with pytest.raises(StaleChecklist) as refused:
        save_checklist(dusit, fy2570, [change(o1), change(o2, version=1)], staff_dusit, NOW)

    assert refused.value.code == o2.code
    assert not DisclosureItem.objects.filter(unit=dusit, question=o1).exists()


def test_an_item_created_by_someone_else_meanwhile_is_stale(dusit, fy2570, staff_dusit):
    o1 = oit_questions(fy2570)[0]
    save_checklist(dusit, fy2570, [change(o1)], staff_dusit, NOW)

    with pytest.raises(StaleChecklist):
        save_checklist(dusit, fy2570, [change(o1, version=None)], staff_dusit, NOW)


def test_saving_keeps_history(dusit, fy2570, staff_dusit):
    o1 = oit_questions(fy2570)[0]
    save_checklist(dusit, fy2570, [change(o1)], staff_dusit, NOW)
    save_checklist(
        dusit, fy2570, [change(o1, DisclosureItem.Status.NEEDS_FIX, version=1)], staff_dusit, NOW
    )

    item = DisclosureItem.objects.get(unit=dusit, question=o1)
    assert [h.status for h in item.history.order_by("history_date")] == [
        "published",
        "needs_fix",
    ]


def test_the_bma_readiness_lists_the_lowest_first(dusit, pathumwan, fy2570, staff_dusit):
    save_checklist(dusit, fy2570, [change(q) for q in oit_questions(fy2570)[:5]], staff_dusit, NOW)

    rows = bma_readiness(fy2570, [dusit, pathumwan])

    assert [r.unit for r in rows] == [pathumwan, dusit]
    assert rows[1].today.disclosed == 5
    assert rows[0].today.score == D("0.00")


def test_a_division_of_another_unit_is_refused(dusit, pathumwan, fy2570):
    other = OrgUnit.objects.divisions_of(pathumwan).first()
    item = DisclosureItem(
        unit=dusit, fiscal_year=fy2570, question=oit_questions(fy2570)[0], division=other
    )

    with pytest.raises(Exception, match="ฝ่ายที่รับผิดชอบ"):
        item.full_clean()


def test_the_latest_tool_values_are_those_tool_results_computes(dusit, fy2570):
    from assessments.scoring import tool_results
    from measures.disclosure import latest_tool_values

    year, values = latest_tool_values([dusit], 2570)[dusit.pk]

    assessment = Assessment.objects.get(unit=dusit, fiscal_year__year=year)
    expected = {r.tool.code: r.value for r in tool_results(assessment) if r.value is not None}
    assert values == {code: expected[code] for code in ("IIT", "EIT")}
    newer = Assessment.objects.filter(unit=dusit, fiscal_year__year__gt=year)
    assert all(
        not {"IIT", "EIT"} <= {r.tool.code for r in tool_results(a) if r.value is not None}
        for a in newer
    )
