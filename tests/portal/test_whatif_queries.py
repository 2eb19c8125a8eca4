"""The what-if simulator and the measures-elsewhere page run the same number of queries at 1×
and 10× the units (and their measures), as the dashboards do (test_dashboard_queries)."""

import pytest

from assessments.models import FiscalYear, Indicator, Question, QuestionScore
from measures.models import Measure, MeasureStep, Weakness
from tests.factories import make_results, make_units
from tests.portal.test_dashboard_queries import YEAR, count, make_work

SIZES = [1, 10]


def build(n: int):
    """test-0 and n other test units with results of YEAR − 1 and YEAR and two question scores
    each; every unit but test-0 has a published measure of YEAR + 1 on indicator 2 with two
    steps."""
    units = make_units(n + 1)
    assessments = make_results(units, [YEAR - 1, YEAR])
    questions = Question.objects.filter(framework__fiscal_years__year__in=[YEAR - 1, YEAR])
    QuestionScore.objects.bulk_create(
        QuestionScore(assessment=a, question=q, score=60 + i % 30)
        for i, a in enumerate(assessments)
        for q in questions
        if q.framework_id == a.fiscal_year.framework_id and q.code in ("I7", "O1")
    )
    make_work(units[0], n)
    follow_up = FiscalYear.objects.get(year=YEAR + 1)
    indicator = Indicator.objects.get(framework_id=follow_up.framework_id, number=2)
    measures = Measure.objects.bulk_create(
        Measure(unit=u, fiscal_year=follow_up, indicator=indicator, title=f"มาตรการ {u.code}")
        for u in units[1:]
    )
    MeasureStep.objects.bulk_create(
        MeasureStep(measure=m, order=i, text=f"ขั้นตอน {i}") for m in measures for i in (1, 2)
    )
    return units


@pytest.mark.django_db
@pytest.mark.parametrize("n", SIZES)
def test_the_simulator_runs_a_fixed_number_of_queries(
    n, client, central_team, django_assert_num_queries
):
    build(n)
    client.force_login(central_team)
    url = f"/dashboards/units/test-0/{YEAR}/simulate/?ind-2=90&q-O1=100&goal=95"
    # session, user, the assessment with its unit and year, its four kinds of score, the
    # framework's tools, levels, indicators, sub-indicators and questions
    count(client, django_assert_num_queries, url, 12)


@pytest.mark.django_db
@pytest.mark.parametrize("n", SIZES)
def test_measures_elsewhere_runs_a_fixed_number_of_queries(
    n, client, central_team, django_assert_num_queries
):
    build(n)
    weakness = Weakness.objects.filter(assessment__unit__code="test-0").first()
    client.force_login(central_team)
    url = f"/staff/weaknesses/{weakness.pk}/elsewhere/"
    # session, user, weakness, may the user edit its unit, the copies made for it, scores of
    # the year and the year before, the peers' measures and their steps
    count(client, django_assert_num_queries, url, 9)
    assert f"มาตรการ test-{n}" in client.get(url).content.decode()
