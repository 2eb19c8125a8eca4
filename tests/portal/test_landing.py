"""หน้าแรกของฉัน: each role lands on its own next steps, and sees only its own units' data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, IndicatorScore, Membership, OrgUnit
from ita_portal import landing
from ita_portal.models import PortalSettings
from measures.memo_workflow import transition_memo
from measures.models import Memo, Weakness
from tests.factories import (
    MeasureFactory,
    MembershipFactory,
    UserFactory,
    WeaknessFactory,
    indicator_of,
)

TODAY = datetime.date(2026, 12, 4)  # fiscal year 2570: offices analyse the results of 2569


def _memo(unit: OrgUnit, year: int, subject: str) -> Memo:
    return Memo.objects.create(
        unit=unit,
        fiscal_year=FiscalYear.objects.get(year=year),
        kind=Memo.Kind.ANALYSIS,
        subject=subject,
        addressee="ผู้อำนวยการเขต",
    )


@pytest.fixture
def dusit_2569(dusit) -> Assessment:
    return Assessment.objects.create(unit=dusit, fiscal_year=FiscalYear.objects.get(year=2569))


def test_login_lands_on_my_home(client, staff_dusit):
    staff_dusit.set_password("pw-landing-2569")
    staff_dusit.save()
    response = client.post(
        reverse("login"), {"username": "dusit-staff", "password": "pw-landing-2569"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:my")


def test_header_links_to_my_home(client, staff_dusit):
    client.force_login(staff_dusit)
    page = client.get(reverse("dashboards:measures")).content.decode()
    assert f'href="{reverse("staff:my")}">หน้าแรกของฉัน</a>' in page


def test_results_year_is_the_year_before_the_running_fiscal_year():
    assert landing.results_year(TODAY) == 2569
    assert landing.results_year(datetime.date(2026, 9, 30)) == 2568


def test_staff_cycle_counts_the_indicators_still_to_enter(dusit, dusit_2569):
    IndicatorScore.objects.create(
        assessment=dusit_2569, indicator=indicator_of(dusit_2569.fiscal_year, 1), score="90.00"
    )
    cycle = landing.unit_cycle(dusit, TODAY)
    results = cycle.tasks[0]
    assert (cycle.results_year, cycle.work_year) == (2569, 2570)
    assert results.count == 9
    assert results.url == reverse("assessments:score-entry", kwargs={"pk": dusit_2569.pk})


def test_staff_cycle_without_an_assessment_sends_to_the_year_page(dusit):
    results = landing.unit_cycle(dusit, TODAY).tasks[0]
    assert results.count == 10
    assert results.url == reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2569})


def test_staff_cycle_counts_proposed_weaknesses_only(dusit, dusit_2569):
    WeaknessFactory(assessment=dusit_2569, status=Weakness.Status.PROPOSED)
    WeaknessFactory(assessment=dusit_2569, status=Weakness.Status.PROPOSED)
    WeaknessFactory(assessment=dusit_2569, status=Weakness.Status.CONFIRMED)
    weaknesses = landing.unit_cycle(dusit, TODAY).tasks[1]
    assert weaknesses.count == 2
    assert weaknesses.url == reverse("measures:weakness-list", kwargs={"pk": dusit_2569.pk})


def test_measures_due_within_fourteen_days_or_overdue_of_any_year(dusit):
    work = FiscalYear.objects.get(year=2570)
    soon = MeasureFactory(unit=dusit, fiscal_year=work, deadline=TODAY + datetime.timedelta(14))
    late = MeasureFactory(
        unit=dusit, fiscal_year=FiscalYear.objects.get(year=2569), deadline=TODAY.replace(day=1)
    )
    MeasureFactory(unit=dusit, fiscal_year=work, deadline=TODAY + datetime.timedelta(15))
    MeasureFactory(unit=dusit, fiscal_year=work, deadline=TODAY, draft=True)
    MeasureFactory(unit=dusit, fiscal_year=work, deadline=TODAY, status="done")
    due = landing.unit_cycle(dusit, TODAY).tasks[2]
    assert list(due.items) == [late, soon]
    assert due.count == 2


def test_memos_returned_for_revision_are_listed_with_the_comment(dusit, central_team):
    returned = _memo(dusit, 2570, "บันทึกที่ถูกส่งกลับ")
    transition_memo(returned, to=Memo.Status.SUBMITTED, by=central_team)
    transition_memo(returned, to=Memo.Status.DRAFT, by=central_team, comment="แก้ตารางข้อ ๒")
    _memo(dusit, 2570, "ร่างใหม่")
    submitted = _memo(dusit, 2570, "รออนุมัติ")
    transition_memo(submitted, to=Memo.Status.SUBMITTED, by=central_team)
    memos = landing.unit_cycle(dusit, TODAY).tasks[3]
    assert [m.subject for m in memos.items] == ["บันทึกที่ถูกส่งกลับ"]
    assert memos.items[0].returned_comment == "แก้ตารางข้อ ๒"


def test_staff_page_shows_their_unit_and_never_another_units_data(
    client, staff_dusit, pathumwan, dusit
):
    secret = _memo(pathumwan, 2570, "บันทึกลับของปทุมวัน")
    transition_memo(secret, to=Memo.Status.SUBMITTED, by=UserFactory(is_superuser=True))
    MeasureFactory(
        unit=pathumwan,
        fiscal_year=FiscalYear.objects.get(year=2570),
        title="มาตรการของปทุมวัน",
        deadline=timezone.localdate(),
    )
    client.force_login(staff_dusit)
    page = client.get(reverse("staff:my")).content.decode()
    assert dusit.name in page
    assert pathumwan.name not in page
    assert "บันทึกลับของปทุมวัน" not in page
    assert "มาตรการของปทุมวัน" not in page
    assert "ความพร้อมของปี" not in page


def test_director_inbox_lists_submitted_memos_of_their_units_oldest_first(
    director_dusit, dusit, pathumwan, central_team
):
    first = _memo(dusit, 2570, "เสนอก่อน")
    second = _memo(dusit, 2570, "เสนอทีหลัง")
    elsewhere = _memo(pathumwan, 2570, "ของปทุมวัน")
    for memo in (first, second, elsewhere):
        transition_memo(memo, to=Memo.Status.SUBMITTED, by=central_team)
    _memo(dusit, 2570, "ยังเป็นร่าง")
    inbox = landing.approval_inbox(director_dusit)
    assert [m.subject for m in inbox] == ["เสนอก่อน", "เสนอทีหลัง"]
    assert inbox[0].submitted_at == first.state_changes.get().at


def test_director_page_shows_inbox_dashboard_and_overdue(
    client, director_dusit, dusit, central_team
):
    memo = _memo(dusit, 2570, "บันทึกรออนุมัติของดุสิต")
    transition_memo(memo, to=Memo.Status.SUBMITTED, by=central_team)
    late = MeasureFactory(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2570),
        title="มาตรการที่เลยกำหนด",
        deadline=timezone.localdate() - datetime.timedelta(days=3),
    )
    client.force_login(director_dusit)
    page = client.get(reverse("staff:my")).content.decode()
    year = landing.results_year(timezone.localdate())
    assert "บันทึกรออนุมัติของดุสิต" in page
    assert reverse("dashboards:unit", kwargs={"code": "dusit", "year": year}) in page
    assert reverse("measures:measure-detail", kwargs={"pk": late.pk}) in page
    assert f"{reverse('dashboards:measures')}?unit=dusit&amp;due=overdue" in page


def test_bma_executive_lands_on_the_bma_overview(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="bma-executive"))
    response = client.get(reverse("staff:my"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:overview")


def test_central_team_sees_the_readiness_list(client, central_team):
    client.force_login(central_team)
    year = landing.results_year(timezone.localdate())
    page = client.get(reverse("staff:my")).content.decode()
    assert f"ความพร้อมของปี {year}" in page
    for check in landing.UNIT_CHECKS:
        assert reverse("staff:readiness-units", kwargs={"year": year, "check": check.key}) in page


def test_readiness_counts_units_without_results_and_lists_them(central_team):
    units = landing.assessed_units()
    lines = {line.label: line for line in landing.readiness(2564)}
    without = lines[landing.unit_check("no-results").label]
    assessed = units.filter(assessments__fiscal_year__year=2564).count()
    assert assessed >= 1
    assert without.count == units.count() - assessed
    assert not without.ok
    listed = landing.unit_check("no-results").failing(units, 2564)
    assert "dusit" not in {u.code for u in listed}


def test_readiness_published_check_counts_an_unpublished_result(dusit_2569):
    check = landing.unit_check("unpublished")
    assert check.failing(landing.assessed_units(), 2569).filter(code="dusit").exists()
    dusit_2569.published_at = timezone.now()
    dusit_2569.save()
    assert not check.failing(landing.assessed_units(), 2569).filter(code="dusit").exists()


def test_readiness_measures_and_memos_are_those_of_the_following_year(dusit):
    MeasureFactory(unit=dusit, fiscal_year=FiscalYear.objects.get(year=2570))
    _memo(dusit, 2570, "บันทึกปี 2570")
    units = landing.assessed_units()
    for key in ("no-measures", "no-memos"):
        failing = landing.unit_check(key).failing(units, 2569)
        assert not failing.filter(code="dusit").exists()
        assert failing.filter(code="pathum-wan").exists()


def test_readiness_memo_header_check_needs_both_prefix_and_phone(db):
    check = landing.unit_check("memo-header")
    bang_rak = OrgUnit.objects.get(code="bang-rak")
    bang_rak.memo_prefix, bang_rak.phone = "กท ๕๖๐๒", ""
    bang_rak.save()
    assert check.failing(landing.assessed_units(), 2569).filter(code="bang-rak").exists()
    bang_rak.phone = "0 2236 1395"
    bang_rak.save()
    assert not check.failing(landing.assessed_units(), 2569).filter(code="bang-rak").exists()


def test_readiness_memo_header_of_a_division_counts_for_its_office(dusit):
    """เขตดุสิต has none of its own, but its ฝ่ายปกครอง has both, as its memos use."""
    assert (dusit.memo_prefix, dusit.phone) == ("", "")
    failing = landing.unit_check("memo-header").failing(landing.assessed_units(), 2569)
    assert not failing.filter(code="dusit").exists()
    assert failing.filter(code="pathum-wan").exists()


def test_readiness_emblem_and_frameworks(db, settings, tmp_path):
    lines = landing.readiness(2569)
    assert [line.ok for line in lines[:3]] == [False, False, False]  # provisional 2569/2570
    settings.MEDIA_ROOT = tmp_path
    PortalSettings.objects.update_or_create(pk=1, defaults={"emblem": "portal/garuda.png"})
    assert landing.emblem_uploaded(2569).ok


def test_readiness_pages_are_for_the_central_team_only(client, central_team, director_dusit):
    url = reverse("staff:readiness-units", kwargs={"year": 2569, "check": "no-results"})
    client.force_login(director_dusit)
    refused = client.get(url)
    assert refused.status_code == 403
    assert "เฉพาะทีม ITA ส่วนกลาง" in refused.content.decode()
    client.force_login(central_team)
    page = client.get(url).content.decode()
    assert "สำนักงานเขตดุสิต" in page
    assert client.get(reverse("staff:readiness", kwargs={"year": 2569})).status_code == 200
    missing = reverse("staff:readiness-units", kwargs={"year": 2569, "check": "nothing"})
    assert client.get(missing).status_code == 404


def test_a_user_without_membership_is_told_to_ask_the_central_team(db, client):
    client.force_login(UserFactory())
    page = client.get(reverse("staff:my")).content.decode()
    assert "ยังไม่ได้สังกัดหน่วยงานใด" in page


def test_a_staff_member_of_a_division_sees_the_office(client, dusit):
    user = UserFactory()
    MembershipFactory(
        user=user, unit=OrgUnit.objects.get(code="dusit-admin"), role=Membership.Role.STAFF
    )
    assert [c.unit for c in landing.staff_cycles(user, TODAY)] == [dusit]


def test_readiness_counts_published_memos_shown_without_the_emblem(db):
    # No emblem is uploaded in the demo data, so every published memo shows an empty slot.
    published = Memo.objects.published().count()

    line = landing.published_memos_have_emblem(2569)

    assert (line.ok, line.count) == (published == 0, published)
    assert published > 0


def test_readiness_counts_the_years_framework_items_not_confirmed(db):
    fiscal_year = FiscalYear.objects.get(year=2566)
    frameworks = {fiscal_year.framework, fiscal_year.district_framework} - {None}
    expected = sum(sum(framework.unconfirmed.values()) for framework in frameworks)

    line = landing.framework_items_confirmed(2566)

    assert (line.ok, line.count) == (False, expected)
    assert expected > 0  # 2566 has items known only for another kind of agency, or not at all
