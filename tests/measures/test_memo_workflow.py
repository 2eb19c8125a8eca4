"""The memo workflow: who may move a memo where, what is recorded, and the staff memo pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, FiscalYear, OrgUnit, StateChange
from assessments.publishing import unpublish_assessment
from ita_portal.memo_revisions import renderer
from measures.memo_workflow import SignatureData, save_memo_draft, transition_memo
from measures.models import Memo
from portal_core.thai import be_year

Status = Memo.Status
RENDER = renderer("http://testserver")  # approval freezes the memo: the portal renders it


@pytest.fixture
def memo(dusit) -> Memo:
    return Memo.objects.create(
        unit=dusit,
        division=OrgUnit.objects.get(code="dusit-admin"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        kind=Memo.Kind.ANALYSIS,
        subject="การวิเคราะห์ผลการประเมิน ITA",
        addressee="หัวหน้าฝ่ายปกครอง",
    )


def _at(memo: Memo, status: str, central) -> Memo:
    """Walk the memo along the workflow to ``status`` as the central team."""
    path = [Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED]
    for step in path[: path.index(status) + 1]:
        memo = transition_memo(memo, to=step, by=central, render=RENDER)
    return memo


def _post(client, memo, to, comment=""):
    url = reverse("memos:memo-transition", kwargs={"pk": memo.pk})
    return client.post(url, {"to": to, "comment": comment})


def test_staff_submits_a_draft_and_the_move_is_recorded(client, staff_dusit, memo):
    client.force_login(staff_dusit)

    response = _post(client, memo, Status.SUBMITTED)

    assert response.status_code == 302
    assert response.url == f"/memos/{memo.pk}/"
    memo.refresh_from_db()
    assert memo.status == Status.SUBMITTED
    assert memo.number is None
    transition = StateChange.objects.get()
    assert (transition.subject, transition.from_state, transition.to_state, transition.by) == (
        memo,
        Status.DRAFT,
        Status.SUBMITTED,
        staff_dusit,
    )


def test_director_approves_and_the_memo_gets_its_number(client, director_dusit, memo, central_team):
    memo = transition_memo(memo, to=Status.SUBMITTED, by=central_team)
    client.force_login(director_dusit)

    response = _post(client, memo, Status.APPROVED)

    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Status.APPROVED
    assert (memo.number_prefix, memo.number_year, memo.number) == (
        "กท ๕๖๐๑",
        be_year(timezone.localdate()),
        1,
    )
    assert memo.state_changes.count() == 2


def test_director_may_not_submit_a_draft(client, director_dusit, memo):
    client.force_login(director_dusit)

    response = _post(client, memo, Status.SUBMITTED)

    assert response.status_code == 403
    memo.refresh_from_db()
    assert memo.status == Status.DRAFT
    assert not memo.state_changes.exists()


def test_staff_may_not_approve_their_own_memo(client, staff_dusit, memo, central_team):
    memo = transition_memo(memo, to=Status.SUBMITTED, by=central_team)
    client.force_login(staff_dusit)

    response = _post(client, memo, Status.APPROVED)

    assert response.status_code == 403
    memo.refresh_from_db()
    assert (memo.status, memo.number) == (Status.SUBMITTED, None)


def test_staff_of_another_unit_gets_404_and_nothing_changes(client, staff_pathumwan, memo):
    client.force_login(staff_pathumwan)

    response = _post(client, memo, Status.SUBMITTED)

    assert response.status_code == 404
    memo.refresh_from_db()
    assert memo.status == Status.DRAFT


def test_anonymous_is_sent_to_login_and_nothing_changes(client, memo):
    response = _post(client, memo, Status.SUBMITTED)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    memo.refresh_from_db()
    assert memo.status == Status.DRAFT


def test_transition_refuses_get(client, staff_dusit, memo):
    client.force_login(staff_dusit)

    response = client.get(reverse("memos:memo-transition", kwargs={"pk": memo.pk}))

    assert response.status_code == 405


def test_central_team_may_make_every_move(central_team, memo):
    memo = _at(memo, Status.PUBLISHED, central_team)
    memo = transition_memo(memo, to=Status.APPROVED, by=central_team)

    assert memo.status == Status.APPROVED
    assert list(memo.state_changes.values_list("to_state", flat=True)) == [
        Status.SUBMITTED,
        Status.APPROVED,
        Status.PUBLISHED,
        Status.APPROVED,
    ]


def test_a_move_the_workflow_lacks_is_refused_with_a_thai_message(client, director_dusit, memo):
    client.force_login(director_dusit)

    response = _post(client, memo, Status.PUBLISHED)

    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.status == Status.DRAFT
    page = client.get(response.url)
    assert "ไม่สามารถเปลี่ยนสถานะจาก “ร่าง” เป็น “เผยแพร่แล้ว” ได้" in page.content.decode()


def test_return_for_revision_needs_a_comment(director_dusit, memo, central_team):
    memo = transition_memo(memo, to=Status.SUBMITTED, by=central_team)

    with pytest.raises(ValidationError) as error:
        transition_memo(memo, to=Status.DRAFT, by=director_dusit, comment="  ")

    assert error.value.message_dict == {"comment": ["กรุณาระบุเหตุผลที่ส่งกลับแก้ไข"]}
    memo.refresh_from_db()
    assert memo.status == Status.SUBMITTED


def test_director_returns_an_approved_memo_and_it_keeps_its_number(
    client, director_dusit, memo, central_team
):
    memo = _at(memo, Status.APPROVED, central_team)
    client.force_login(director_dusit)

    _post(client, memo, Status.DRAFT, comment="แก้ไขตารางมาตรการ")

    memo.refresh_from_db()
    assert memo.status == Status.DRAFT
    assert memo.number == 1
    assert memo.state_changes.last().comment == "แก้ไขตารางมาตรการ"
    memo = transition_memo(memo, to=Status.SUBMITTED, by=central_team)
    memo = transition_memo(memo, to=Status.APPROVED, by=director_dusit, render=RENDER)
    assert memo.number == 1


def test_staff_may_not_publish_or_unpublish(staff_dusit, memo, central_team):
    memo = _at(memo, Status.APPROVED, central_team)

    with pytest.raises(PermissionDenied):
        transition_memo(memo, to=Status.PUBLISHED, by=staff_dusit)
    memo = transition_memo(memo, to=Status.PUBLISHED, by=central_team)
    with pytest.raises(PermissionDenied):
        transition_memo(memo, to=Status.APPROVED, by=staff_dusit)


def test_only_a_published_memo_is_public(client, memo, central_team):
    url = f"/memos/{memo.pk}/"
    assert client.get(url).status_code == 404
    memo = _at(memo, Status.APPROVED, central_team)
    assert client.get(url).status_code == 404
    assert client.get(f"/memos/{memo.pk}.pdf").status_code == 404

    transition_memo(memo, to=Status.PUBLISHED, by=central_team)

    response = client.get(url)
    assert response.status_code == 200
    assert "การวิเคราะห์ผลการประเมิน ITA" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff_dusit", 200),
        ("director_dusit", 200),
        ("central_team", 200),
        ("staff_pathumwan", 404),
    ],
)
def test_draft_memo_page_is_seen_only_by_users_of_the_unit(
    client, request, memo, persona, expected
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(f"/memos/{memo.pk}/")

    assert response.status_code == expected


def test_memo_page_shows_the_history_to_the_unit(client, staff_dusit, director_dusit, memo):
    memo = transition_memo(memo, to=Status.SUBMITTED, by=staff_dusit)
    transition_memo(memo, to=Status.DRAFT, by=director_dusit, comment="เพิ่มข้อพิจารณา")
    client.force_login(staff_dusit)

    page = client.get(f"/memos/{memo.pk}/").content.decode()

    assert "นายธานินทร์ เนียมหอม" in page
    assert "เสนอพิจารณา → ร่าง" in page
    assert "เพิ่มข้อพิจารณา" in page
    assert "แก้ไขร่าง" in page


def test_public_readers_do_not_see_the_workflow(client, memo, central_team):
    _at(memo, Status.PUBLISHED, central_team)

    page = client.get(f"/memos/{memo.pk}/").content.decode()

    assert "memo-panel" not in page


def _memo_form_data(**overrides):
    data = {
        "kind": Memo.Kind.RESULTS,
        "date": "22/11/2569",
        "show_day": "on",
        "subject": "รายงานผลการดำเนินการตามมาตรการ",
        "addressee": "ผู้อำนวยการเขตดุสิต",
        "background": "ต้นเรื่องทดสอบ",
        "closing": "จึงเรียนมาเพื่อโปรดทราบ",
        "thai_numerals": "on",
        "cover": "on",
        "signatures-TOTAL_FORMS": "2",
        "signatures-INITIAL_FORMS": "0",
        "signatures-MIN_NUM_FORMS": "0",
        "signatures-MAX_NUM_FORMS": "1000",
        "signatures-0-name": "นายพัฒนา อังศุกสิกร",
        "signatures-0-position": "เจ้าหน้าที่ระบบงานคอมพิวเตอร์ปฏิบัติการ",
        "signatures-1-endorsement": "เรียน ผู้อำนวยการเขตดุสิต\nเพื่อโปรดทราบ",
        "signatures-1-name": "นางสาวสุกัญญา ถาวรศักดิ์",
        "signatures-1-position": "หัวหน้าฝ่ายปกครอง",
    }
    data.update(overrides)
    return data


def test_staff_drafts_a_memo_with_its_signature_chain(client, staff_dusit, dusit):
    client.force_login(staff_dusit)
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2566})

    response = client.post(url, _memo_form_data())

    memo = Memo.objects.get(unit=dusit, subject="รายงานผลการดำเนินการตามมาตรการ")
    assert response.status_code == 302
    assert response.url == f"/memos/{memo.pk}/"
    assert (memo.status, memo.created_by, memo.date.isoformat()) == (
        Status.DRAFT,
        staff_dusit,
        "2026-11-22",
    )
    assert list(memo.signatures.values_list("order", "name")) == [
        (1, "นายพัฒนา อังศุกสิกร"),
        (2, "นางสาวสุกัญญา ถาวรศักดิ์"),
    ]


def test_memo_form_refuses_a_christian_era_date(client, staff_dusit, dusit):
    client.force_login(staff_dusit)
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2566})

    response = client.post(url, _memo_form_data(date="22/11/2026"))

    assert response.status_code == 200
    assert "ปีต้องเป็นปีพุทธศักราช" in response.content.decode()
    assert not Memo.objects.filter(subject="รายงานผลการดำเนินการตามมาตรการ").exists()


@pytest.mark.parametrize(
    ("persona", "expected"), [("director_dusit", 403), ("staff_pathumwan", 404)]
)
def test_only_unit_staff_draft_memos(db, client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2566})

    assert client.get(url).status_code == expected
    assert client.post(url, _memo_form_data()).status_code == expected
    assert not Memo.objects.filter(subject="รายงานผลการดำเนินการตามมาตรการ").exists()


def test_staff_edits_a_draft_and_replaces_the_chain(client, staff_dusit, memo):
    client.force_login(staff_dusit)
    url = reverse("measures:memo-edit", kwargs={"pk": memo.pk})
    data = _memo_form_data(subject="เรื่องที่แก้ไขแล้ว", version=str(memo.version))

    response = client.post(url, data)

    assert response.status_code == 302
    memo.refresh_from_db()
    assert (memo.subject, memo.version, memo.signatures.count()) == ("เรื่องที่แก้ไขแล้ว", 2, 2)


def test_a_stale_edit_is_refused(client, staff_dusit, memo):
    client.force_login(staff_dusit)
    url = reverse("measures:memo-edit", kwargs={"pk": memo.pk})
    save_memo_draft(memo, fields={"subject": "แก้โดยผู้อื่น"}, signatures=[], by=staff_dusit)

    response = client.post(url, _memo_form_data(subject="แก้ทับ", version="1"))

    assert response.status_code == 200
    assert "ถูกแก้ไขโดยผู้อื่นแล้ว" in response.content.decode()
    memo.refresh_from_db()
    assert memo.subject == "แก้โดยผู้อื่น"


def test_a_submitted_memo_cannot_be_edited(client, staff_dusit, memo):
    memo = transition_memo(memo, to=Status.SUBMITTED, by=staff_dusit)
    client.force_login(staff_dusit)
    url = reverse("measures:memo-edit", kwargs={"pk": memo.pk})

    response = client.post(url, _memo_form_data(subject="แก้หลังเสนอ", version=str(memo.version)))

    assert response.status_code == 302
    memo.refresh_from_db()
    assert memo.subject == "การวิเคราะห์ผลการประเมิน ITA"
    with pytest.raises(ValidationError, match="แก้ไขได้เฉพาะบันทึกข้อความที่เป็นร่าง"):
        save_memo_draft(
            memo,
            fields={"subject": "x"},
            signatures=[SignatureData(1, "", "", "ก", "ข")],
            by=staff_dusit,
        )


def test_memo_list_shows_the_units_memos(client, staff_dusit, memo):
    client.force_login(staff_dusit)

    response = client.get(reverse("measures:memo-list", kwargs={"code": "dusit", "year": 2566}))

    assert response.status_code == 200
    assert [m.pk for m in response.context["memos"]] == [memo.pk]
    assert response.context["can_edit"] is True


def test_memo_list_of_another_unit_is_404(client, staff_pathumwan):
    client.force_login(staff_pathumwan)

    response = client.get(reverse("measures:memo-list", kwargs={"code": "dusit", "year": 2566}))

    assert response.status_code == 404


def test_a_district_memo_form_offers_its_own_and_the_bmas_published_assessments_only(
    client, staff_dusit, dusit, dusit_2564, bma_2566, central_team
):
    unpublish_assessment(bma_2566, by=central_team)
    bma_2565 = Assessment.objects.get(unit__code="bma", fiscal_year__year=2565)
    client.force_login(staff_dusit)
    url = reverse("measures:memo-create", kwargs={"code": "dusit", "year": 2566})

    offered = client.get(url).context["form"].fields["assessment"].queryset
    forged = client.post(url, _memo_form_data(assessment=str(bma_2566.pk)))

    assert dusit_2564 in offered and bma_2565 in offered and bma_2566 not in offered
    assert forged.status_code == 200
    assert forged.context["form"].errors["assessment"] == [
        "ผลการประเมินที่อ้างถึงต้องเป็นของหน่วยงานนี้ หรือของหน่วยงานต้นสังกัดที่เผยแพร่ต่อสาธารณะแล้ว "
        "และเป็นผลของปีที่มาตรการตอบหรือก่อนหน้า"
    ]
    assert not Memo.objects.filter(unit=dusit, subject="รายงานผลการดำเนินการตามมาตรการ").exists()


def test_a_memo_showing_another_units_unpublished_results_is_never_published(
    memo, bma_2566, central_team
):
    Memo.objects.filter(pk=memo.pk).update(assessment=bma_2566, kind=Memo.Kind.MEASURES_PLAN)
    memo = _at(Memo.objects.get(pk=memo.pk), Status.APPROVED, central_team)
    unpublish_assessment(bma_2566, by=central_team)

    with pytest.raises(ValidationError) as error:
        transition_memo(memo, to=Status.PUBLISHED, by=central_team)

    assert "แสดงผลการประเมินของหน่วยงานอื่นที่ยังไม่เผยแพร่ (กทม. ปี 2566)" in error.value.messages[0]
    memo.refresh_from_db()
    assert memo.status == Status.APPROVED


def test_a_memo_showing_another_units_unpublished_trend_is_not_approved(
    memo, bma_2566, central_team
):
    Memo.objects.filter(pk=memo.pk).update(assessment=bma_2566, kind=Memo.Kind.MEASURES_PLAN)
    unpublish_assessment(
        Assessment.objects.get(unit__code="bma", fiscal_year__year=2563), by=central_team
    )
    memo = transition_memo(Memo.objects.get(pk=memo.pk), to=Status.SUBMITTED, by=central_team)

    with pytest.raises(ValidationError, match="ปี 2563"):
        transition_memo(memo, to=Status.APPROVED, by=central_team, render=RENDER)

    memo.refresh_from_db()
    assert (memo.status, memo.number, memo.revisions.count()) == (Status.SUBMITTED, None, 0)
