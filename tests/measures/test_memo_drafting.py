"""A new memo is drafted from what the portal knows: the unit's previous memo of its kind (years,
score and level moved on) or else the central team's template, the previous signers, signers
picked from the unit's list, and the unit's own results of the right year preselected."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Assessment, FiscalYear, OrgUnit
from measures.memo_drafts import SignatoryEntry, drafted_fields, save_signatories
from measures.memo_forms import citable_assessments
from measures.models import Memo, MemoTemplate, Signatory
from tests.factories import AssessmentFactory, MembershipFactory
from tests.measures.test_memo_workflow import _memo_form_data

pytestmark = pytest.mark.django_db


def _create_url(code: str, year: int) -> str:
    return reverse("measures:memo-create", kwargs={"code": code, "year": year})


@pytest.fixture
def khlong_toei_2569(db) -> Assessment:
    return AssessmentFactory(
        unit=OrgUnit.objects.get(code="khlong-toei"),
        fiscal_year=FiscalYear.objects.get(year=2569),
        official_score=Decimal("87.12"),
        official_level="A",
    )


@pytest.fixture
def staff_khlong_toei(khlong_toei_2569):
    return MembershipFactory(unit=khlong_toei_2569.unit).user


def test_a_units_first_analysis_memo_starts_from_the_central_teams_template(
    client, staff_khlong_toei, khlong_toei_2569
):
    client.force_login(staff_khlong_toei)

    form = client.get(_create_url("khlong-toei", 2570), {"kind": "analysis"}).context["form"]

    assert form["assessment"].value() == khlong_toei_2569.pk
    assert form["subject"].value() == (
        "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) "
        "ของสำนักงานเขตคลองเตย ประจำปีงบประมาณ พ.ศ.๒๕๗๐"
    )
    assert form["addressee"].value() == "ผู้อำนวยการเขตคลองเตย"
    assert (
        form["background"]
        .value()
        .endswith("ประจำปีงบประมาณ พ.ศ.๒๕๖๙ ได้ค่าคะแนนเท่ากับ ๘๗.๑๒ คะแนน จัดอยู่ในระดับ A")
    )
    assert "{" not in form["facts"].value() + form["attachment_intro"].value()


def test_the_template_is_the_one_the_central_team_edited(
    client, staff_khlong_toei, khlong_toei_2569
):
    MemoTemplate.objects.filter(kind=Memo.Kind.ANALYSIS).update(
        subject="วิเคราะห์ผล ITA ปี {ปีที่ประเมิน} ของ{หน่วยงาน}", addressee="ปลัดกรุงเทพมหานคร"
    )
    client.force_login(staff_khlong_toei)

    form = client.get(_create_url("khlong-toei", 2570), {"kind": "analysis"}).context["form"]

    assert form["subject"].value() == "วิเคราะห์ผล ITA ปี ๒๕๖๙ ของสำนักงานเขตคลองเตย"
    assert form["addressee"].value() == "ปลัดกรุงเทพมหานคร"


def test_every_memo_kind_has_a_template_loaded_with_the_portal_data():
    assert set(MemoTemplate.objects.values_list("kind", flat=True)) == set(Memo.Kind.values)


def test_a_later_memo_starts_from_the_previous_one_with_its_years_score_and_level_moved_on(
    dusit, staff_dusit
):
    """Dusit's 2565 analysis memo cites 2564 (90.40, A); the 2566 one cites 2565 (86.50, B).
    The cabinet resolution of ๒๓ มกราคม ๒๕๖๑ in the introduction keeps its year."""
    dusit_2565 = AssessmentFactory(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2565),
        official_score=Decimal("86.50"),
        official_level="B",
    )
    previous = Memo.objects.get(unit=dusit, fiscal_year__year=2565, kind=Memo.Kind.ANALYSIS)

    drafted = drafted_fields(
        unit=dusit,
        fiscal_year=FiscalYear.objects.get(year=2566),
        kind=Memo.Kind.ANALYSIS,
        assessment=dusit_2565,
    )

    assert drafted["addressee"] == previous.addressee == "หัวหน้าฝ่ายปกครอง"
    assert drafted["subject"].endswith("ประจำปีงบประมาณ พ.ศ.๒๕๖๖")
    assert drafted["background"].endswith(
        "ประจำปีงบประมาณ พ.ศ.๒๕๖๕ ได้ค่าคะแนนเท่ากับ ๘๖.๕๐ คะแนน จัดอยู่ในระดับ B"
    )
    assert "๒๓ มกราคม ๒๕๖๑" in drafted["attachment_intro"]
    assert drafted["closing"] == previous.closing


def test_a_later_memo_offers_the_previous_memos_signature_chain(client, staff_dusit, dusit):
    previous = Memo.objects.get(unit=dusit, fiscal_year__year=2565, kind=Memo.Kind.ANALYSIS)
    client.force_login(staff_dusit)

    formset = client.get(_create_url("dusit", 2566), {"kind": "analysis"}).context["formset"]

    offered = [form["name"].value() for form in formset if form["name"].value()]
    assert offered == list(previous.signatures.values_list("name", flat=True))
    assert len(formset.forms) == len(offered) + 1


def test_staff_keep_their_units_signatory_list_on_one_page(client, staff_dusit, dusit):
    client.force_login(staff_dusit)
    url = reverse("measures:signatory-list", kwargs={"code": "dusit"})
    data = {
        "signatories-TOTAL_FORMS": "2",
        "signatories-INITIAL_FORMS": "0",
        "signatories-MIN_NUM_FORMS": "0",
        "signatories-MAX_NUM_FORMS": "1000",
        "signatories-0-name": "(นายธานินทร์ เนียมหอม)",
        "signatories-0-position": "ผู้อำนวยการเขตดุสิต",
        "signatories-1-name": "นายวัชชัย จันทรเส",
        "signatories-1-position": "ผู้ช่วยผู้อำนวยการเขตดุสิต",
    }

    assert client.get(url).status_code == 200
    response = client.post(url, data)

    assert response.status_code == 302
    assert list(dusit.signatories.values_list("name", "position")) == [
        ("นายธานินทร์ เนียมหอม", "ผู้อำนวยการเขตดุสิต"),
        ("นายวัชชัย จันทรเส", "ผู้ช่วยผู้อำนวยการเขตดุสิต"),
    ]


def test_editing_the_list_updates_removes_and_keeps_its_order(dusit):
    first, second = save_signatories(
        dusit,
        entries=[
            SignatoryEntry(None, "นายก", "ผู้อำนวยการเขตดุสิต"),
            SignatoryEntry(None, "นายข", "ผู้ช่วยผู้อำนวยการเขตดุสิต"),
        ],
    )

    save_signatories(dusit, entries=[SignatoryEntry(second.pk, "นายข ใหม่", "หัวหน้าฝ่ายปกครอง")])

    assert list(dusit.signatories.values_list("pk", "name", "order")) == [
        (second.pk, "นายข ใหม่", 1)
    ]
    assert not Signatory.objects.filter(pk=first.pk).exists()


@pytest.mark.parametrize("persona, status", [("director_dusit", 403), ("staff_pathumwan", 404)])
def test_only_the_units_staff_change_its_signatory_list(request, client, dusit, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("measures:signatory-list", kwargs={"code": "dusit"})

    response = client.post(url, {"signatories-TOTAL_FORMS": "0", "signatories-INITIAL_FORMS": "0"})

    assert response.status_code == status


def test_a_signer_picked_from_the_list_gets_its_name_and_position(client, staff_dusit, dusit):
    director = Signatory.objects.create(
        unit=dusit, name="นายธานินทร์ เนียมหอม", position="ผู้อำนวยการเขตดุสิต"
    )
    client.force_login(staff_dusit)
    data = _memo_form_data(subject="เลือกผู้ลงนามจากรายชื่อ")
    data.update({"signatures-1-signatory": director.pk, "signatures-1-name": ""})
    data.pop("signatures-1-position")

    client.post(_create_url("dusit", 2566), data)

    memo = Memo.objects.get(subject="เลือกผู้ลงนามจากรายชื่อ")
    assert list(memo.signatures.values_list("name", "position")) == [
        ("นายพัฒนา อังศุกสิกร", "เจ้าหน้าที่ระบบงานคอมพิวเตอร์ปฏิบัติการ"),
        ("นายธานินทร์ เนียมหอม", "ผู้อำนวยการเขตดุสิต"),
    ]


def test_a_typed_signer_without_a_position_is_refused_in_thai(client, staff_dusit):
    client.force_login(staff_dusit)
    data = _memo_form_data(subject="ไม่มีตำแหน่ง", **{"signatures-1-position": ""})

    response = client.post(_create_url("dusit", 2566), data)

    assert response.status_code == 200
    assert not Memo.objects.filter(subject="ไม่มีตำแหน่ง").exists()
    assert "กรุณากรอกตำแหน่งของผู้ลงนาม" in response.content.decode()


def test_a_name_typed_with_parentheses_is_printed_with_one_pair(client, staff_dusit):
    client.force_login(staff_dusit)
    data = _memo_form_data(subject="วงเล็บซ้อน", **{"signatures-0-name": "(นายพัฒนา อังศุกสิกร)"})
    client.post(_create_url("dusit", 2566), data)
    memo = Memo.objects.get(subject="วงเล็บซ้อน")

    page = client.get(memo.get_absolute_url()).content.decode()

    assert "(นายพัฒนา อังศุกสิกร)" in page
    assert "((นายพัฒนา อังศุกสิกร))" not in page
    assert "(นางสาวสุกัญญา ถาวรศักดิ์)" in page


def test_a_memo_offers_only_results_of_the_year_it_answers_or_before_its_own_first(dusit):
    AssessmentFactory(unit=dusit, fiscal_year=FiscalYear.objects.get(year=2566))

    offered = list(citable_assessments(dusit, FiscalYear.objects.get(year=2566)))

    years = [(a.unit.code, a.fiscal_year.year) for a in offered]
    assert years[0] == ("dusit", 2564)
    assert all(year <= 2565 for _, year in years)
    assert {code for code, _ in years} == {"dusit", "bma"}


def test_the_central_team_edits_the_templates_in_the_admin(client, central_team):
    template = MemoTemplate.objects.get(kind=Memo.Kind.RESULTS)
    client.force_login(central_team)

    response = client.get(reverse("admin:measures_memotemplate_change", args=[template.pk]))

    assert response.status_code == 200
    assert "{หน่วยงาน}" in response.content.decode()
