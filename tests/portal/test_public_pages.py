"""The public disclosure site: stable URLs, published data only, memos and measures.

The URLs are hard-coded on purpose: offices print them in memos and link them from their sites.
"""

from decimal import Decimal

import pytest

from assessments.models import Assessment, FiscalYear, OrgUnit
from assessments.publishing import publish_assessment, unpublish_assessment
from ita_portal import dashboards
from measures.models import Measure, Memo
from tests.factories import MeasureFactory

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def bang_rak_2566(db) -> Assessment:
    """An assessment entered but not yet published."""
    return Assessment.objects.create(
        unit=OrgUnit.objects.get(code="bang-rak"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        official_score=D("87.10"),
        official_level="ผ่าน",
    )


def test_the_dusit_2564_page_shows_the_result_at_its_stable_url(client):
    response = client.get("/dusit/2564/")

    assert response.status_code == 200
    current = response.context["result"].current
    assert (current.overall, current.level, current.passed) == (D("90.40"), "A", True)
    content = response.content.decode()
    assert "สำนักงานเขตดุสิต" in content
    assert "<svg" in content  # the chart, with the table beside it
    assert "<caption>คะแนนรายตัวชี้วัด</caption>" in content


def test_the_bma_2566_page_shows_the_change_and_the_six_weak_indicators_in_order(client):
    response = client.get("/bma/2566/")

    result = response.context["result"]
    assert (result.current.previous, result.current.change) == (D("90.01"), D("-1.03"))
    assert [(line.number, line.score) for line in result.below_target()] == [
        (6, D("82.88")),
        (7, D("81.22")),
        (8, D("78.37")),
        (5, D("78.31")),
        (4, D("77.95")),
        (2, D("77.83")),
    ]
    content = response.content.decode()
    assert "มี 6 ตัวชี้วัดที่ได้คะแนนต่ำกว่า 85 คะแนน เรียงจากมากไปน้อย" in content
    assert content.index("82.88</span></li>") < content.index("77.83</span></li>")


def test_an_unpublished_assessment_is_not_found(client, bang_rak_2566):
    assert client.get("/bang-rak/2566/").status_code == 404


def test_publishing_puts_the_page_up_and_unpublishing_takes_it_down(
    client, bang_rak_2566, central_team
):
    publish_assessment(bang_rak_2566, by=central_team)

    response = client.get("/bang-rak/2566/")
    assert response.status_code == 200
    assert response.context["result"].current.overall == D("87.10")
    assert "/bang-rak/2566/" in client.get("/").content.decode()

    unpublish_assessment(bang_rak_2566, by=central_team)

    assert client.get("/bang-rak/2566/").status_code == 404
    assert "/bang-rak/2566/" not in client.get("/").content.decode()
    assert client.get("/bang-rak/").context["rows"] == []


def test_an_unpublished_previous_year_never_shows_in_the_change(client, central_team):
    previous = Assessment.objects.get(unit__code="phasi-charoen", fiscal_year__year=2565)
    assert client.get("/phasi-charoen/2566/").context["result"].current.change == D("0.49")

    unpublish_assessment(previous, by=central_team)

    response = client.get("/phasi-charoen/2566/")
    assert response.context["result"].current.change is None
    content = response.content.decode()
    assert "98.60" not in content
    assert "ไม่มีผลปีก่อนที่เผยแพร่" in content


def test_unknown_units_divisions_and_years_are_not_found(client):
    assert client.get("/no-such-unit/").status_code == 404
    assert client.get("/dusit-admin/").status_code == 404
    assert client.get("/dusit/2400/").status_code == 404
    assert client.get("/dusit/2566/").status_code == 404  # no assessment that year


def test_only_published_memos_are_listed_with_their_links(client):
    dusit = OrgUnit.objects.get(code="dusit")
    draft = Memo.objects.create(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2565),
        kind=Memo.Kind.RESULTS,
        subject="ร่างรายงานผลที่ยังไม่อนุมัติ",
        addressee="ผู้อำนวยการเขตดุสิต",
    )

    response = client.get("/dusit/2564/")

    listed = response.context["memos"]
    published = list(Memo.objects.published().filter(unit=dusit, fiscal_year__year=2565))
    assert published and sorted(m.pk for m in listed) == sorted(m.pk for m in published)
    content = response.content.decode()
    assert draft.subject not in content
    for memo in published:  # pinned: offices link to these addresses from their websites
        assert f'href="/memos/{memo.pk}/"' in content
        assert f'href="/memos/{memo.pk}.pdf"' in content


def test_the_measures_of_the_follow_up_year_are_listed_with_their_status(client):
    dusit = OrgUnit.objects.get(code="dusit")
    draft = MeasureFactory(unit=dusit, title="มาตรการร่างที่ยังไม่ยืนยัน", draft=True)

    response = client.get("/dusit/2564/")

    measures = [measure for measure, _ in response.context["measures"]]
    expected = Measure.objects.filter(unit=dusit, fiscal_year__year=2565, draft=False)
    assert sorted(m.pk for m in measures) == sorted(m.pk for m in expected)
    content = response.content.decode()
    assert draft.title not in content
    assert 'มาตรการส่งเสริมคุณธรรมและความโปร่งใส <span class="subtitle">ปีงบประมาณ 2565' in content
    for measure in expected:
        assert measure.get_status_display() in content


def test_the_home_page_lists_every_unit_with_its_latest_published_result(client):
    response = client.get("/")

    units = response.context["bma"] + response.context["districts"] + response.context["agencies"]
    assert len(units) == OrgUnit.objects.filter(kind__in=dashboards.DASHBOARD_KINDS).count()
    latest = {u.code: (u.latest_year, u.latest_score) for u in units}
    assert latest["bma"] == (2566, D("88.98"))
    assert latest["dusit"] == (2564, D("90.40"))
    assert latest["nong-chok"] == (None, None)
    content = response.content.decode()
    assert 'href="/dusit/2564/"' in content
    assert 'href="/bma/2566/"' in content


def test_the_home_page_search_finds_a_unit_by_name(client):
    response = client.get("/", {"q": "ดุสิต"})

    assert [u.code for u in response.context["districts"]] == ["dusit"]
    assert response.context["bma"] == []


def test_the_unit_page_lists_its_published_years(client):
    response = client.get("/bma/")

    assert [(row.year, row.overall) for row in response.context["rows"]] == [
        (2562, D("88.50")),
        (2563, D("91.48")),
        (2565, D("90.01")),
        (2566, D("88.98")),
    ]
    content = response.content.decode()
    for year in (2562, 2563, 2565, 2566):
        assert f'href="/bma/{year}/"' in content
    assert 'href="/opendata/units/bma.csv"' in content


def test_the_public_pages_never_need_a_login(client):
    for url in ("/", "/bma/", "/bma/2566/", "/opendata/"):
        assert client.get(url).status_code == 200
