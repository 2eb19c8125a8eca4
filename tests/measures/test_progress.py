"""Progress reports and their evidence: size and type limits, storage, members-only download."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import OrgUnit
from measures.measure_workflow import add_progress
from measures.models import Measure, ProgressUpdate
from measures.models.measure import EVIDENCE_MAX_BYTES
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% evidence\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
ZIP = b"PK\x03\x04\x14\x00\x06\x00"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def measure(db):
    return MeasureFactory()


def _post(client, measure, upload=None, **fields):
    data = {"date": "15/02/2565", "note": "จัดประชุมชี้แจงแล้ว", "percent": "60", **fields}
    if upload is not None:
        data["evidence_file"] = upload
    return client.post(reverse("measures:progress-create", kwargs={"pk": measure.pk}), data)


@pytest.mark.parametrize(
    "name, content",
    [
        ("รายงานการประชุม.pdf", PDF),
        ("photo.JPG", JPEG),
        ("photo.jpeg", JPEG),
        ("chart.png", PNG),
        ("minutes.docx", ZIP),
        ("plan.xlsx", ZIP),
    ],
)
def test_staff_report_progress_with_an_allowed_evidence_file(
    client, staff_dusit, measure, media, name, content
):
    client.force_login(staff_dusit)

    response = _post(client, measure, SimpleUploadedFile(name, content))

    assert response.status_code == 302
    update = ProgressUpdate.objects.get(measure=measure)
    assert (update.date, update.percent, update.created_by) == (
        datetime.date(2022, 2, 15),
        60,
        staff_dusit,
    )
    stored = Path(update.evidence_file.path)
    assert stored.read_bytes() == content
    assert stored.is_relative_to(media / "evidence" / "dusit" / str(measure.pk))
    assert not stored.is_relative_to(Path(django_settings.BASE_DIR) / "static")


def test_a_file_over_10_mb_is_refused(client, staff_dusit, measure, media):
    client.force_login(staff_dusit)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (EVIDENCE_MAX_BYTES + 1 - len(PDF)))

    response = _post(client, measure, big)

    assert response.context["form"].errors["evidence_file"] == ["ไฟล์ big.pdf มีขนาดเกิน 10 MB"]
    assert not ProgressUpdate.objects.filter(measure=measure).exists()
    assert list(media.rglob("*.pdf")) == []


def test_a_file_of_exactly_10_mb_is_accepted(client, staff_dusit, measure, media):
    client.force_login(staff_dusit)
    exact = SimpleUploadedFile("exact.pdf", PDF + b"0" * (EVIDENCE_MAX_BYTES - len(PDF)))

    assert _post(client, measure, exact).status_code == 302


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "tool.exe",
            b"MZ\x90\x00",
            "ไฟล์ tool.exe ไม่ใช่ชนิดที่รับได้ (รับเฉพาะ docx, jpeg, jpg, pdf, png, xlsx)",
        ),
        (
            "page.html",
            b"<html>",
            "ไฟล์ page.html ไม่ใช่ชนิดที่รับได้ (รับเฉพาะ docx, jpeg, jpg, pdf, png, xlsx)",
        ),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "เนื้อหาของไฟล์ fake.pdf ไม่ตรงกับนามสกุล .pdf"),
        ("fake.png", JPEG, "เนื้อหาของไฟล์ fake.png ไม่ตรงกับนามสกุล .png"),
        ("fake.docx", PDF, "เนื้อหาของไฟล์ fake.docx ไม่ตรงกับนามสกุล .docx"),
    ],
)
def test_a_file_of_another_type_or_with_content_not_matching_its_name_is_refused(
    client, staff_dusit, measure, media, name, content, message
):
    client.force_login(staff_dusit)

    response = _post(client, measure, SimpleUploadedFile(name, content))

    assert response.context["form"].errors["evidence_file"] == [message]
    assert not ProgressUpdate.objects.filter(measure=measure).exists()


# 118 characters, as a district names its quarterly report; the longest unit code makes the
# longest folder (evidence/pom-prap-sattru-phai/<measure>/)
LONG_THAI_NAME = (
    "ฉบับแก้ รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส "
    "ของสำนักงานเขตป้อมปราบศัตรูพ่าย ประจำปีงบ ๒๕๖๖.pdf"
)


def test_evidence_with_a_long_thai_name_is_stored_under_a_shortened_name_that_keeps_it_readable(
    client, central_team, media
):
    """Cut to 200 UTF-8 bytes after a whole letter (โปร่ง, not โปร่งใ: ใ is written before the
    consonant it goes with), .pdf kept; a second file of the same name gets Django's random
    suffix and still fits the column."""
    unit = OrgUnit.objects.get(code="pom-prap-sattru-phai")
    measure = MeasureFactory(unit=unit)
    client.force_login(central_team)

    responses = [_post(client, measure, SimpleUploadedFile(LONG_THAI_NAME, PDF)) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    first, second = (
        Path(u.evidence_file.name)
        for u in ProgressUpdate.objects.filter(measure=measure).order_by("pk")
    )
    assert first.name == ("ฉบับแก้_รายงานผลการดำเนินงานตามมาตรการส่งเสริมคุณธรรมและความโปร่ง.pdf")
    assert second.name.startswith("ฉบับแก้_รายงาน") and second.suffix == ".pdf"
    field = ProgressUpdate._meta.get_field("evidence_file")
    assert all(len(str(path)) <= field.max_length for path in (first, second))
    assert (media / first).read_bytes() == (media / second).read_bytes() == PDF


def test_evidence_may_be_a_link_instead_of_a_file(client, staff_dusit, measure, media):
    client.force_login(staff_dusit)

    _post(client, measure, evidence_url="https://www.bangkok.go.th/dusit/ita")

    update = ProgressUpdate.objects.get(measure=measure)
    assert (update.evidence_url, update.evidence_file.name) == (
        "https://www.bangkok.go.th/dusit/ita",
        "",
    )


def test_a_report_date_in_the_future_or_a_percent_over_100_is_refused(
    client, staff_dusit, measure, media
):
    client.force_login(staff_dusit)

    response = _post(client, measure, date="01/01/2700", percent="101")

    errors = response.context["form"].errors
    assert errors["date"] == ["วันที่รายงานต้องไม่เป็นวันในอนาคต"]
    assert errors["percent"] == ["ร้อยละความสำเร็จต้องไม่เกิน 100"]


@pytest.fixture
def evidence(client, staff_dusit, measure, media) -> ProgressUpdate:
    client.force_login(staff_dusit)
    _post(client, measure, SimpleUploadedFile("minutes.pdf", PDF))
    client.logout()
    return ProgressUpdate.objects.get(measure=measure)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("staff_dusit", 200),
        ("director_dusit", 200),
        ("central_team", 200),
        ("staff_pathumwan", 404),
    ],
)
def test_evidence_is_served_only_to_users_who_may_see_the_measure(
    client, request, evidence, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("measures:progress-evidence", kwargs={"pk": evidence.pk}))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'


def test_anonymous_users_are_sent_to_login_for_evidence(client, evidence):
    response = client.get(reverse("measures:progress-evidence", kwargs={"pk": evidence.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_evidence_has_no_public_url_outside_the_permission_checked_view(
    client, staff_dusit, evidence
):
    client.force_login(staff_dusit)

    direct = client.get(f"{django_settings.MEDIA_URL}{evidence.evidence_file.name}")

    assert evidence.evidence_file.name.startswith(f"evidence/dusit/{evidence.measure_id}/")
    assert direct.status_code == 404


def test_deleting_a_report_removes_its_file_once_committed(
    client, staff_dusit, evidence, django_capture_on_commit_callbacks
):
    path = Path(evidence.evidence_file.path)
    client.force_login(staff_dusit)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("measures:progress-delete", kwargs={"pk": evidence.pk}))

    assert not ProgressUpdate.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()


def _statuses_on_the_unit_year_page(client) -> dict[str, int]:
    page = client.get(reverse("staff:unit-year", kwargs={"code": "dusit", "year": 2564}))
    return dict(page.context["measure_statuses"])


def test_the_first_report_on_a_measure_not_started_sets_it_in_progress_and_dashboards_count_it(
    client, staff_dusit, measure, media
):
    client.force_login(staff_dusit)
    before = _statuses_on_the_unit_year_page(client)

    _post(client, measure, percent="50")

    measure.refresh_from_db()
    after = _statuses_on_the_unit_year_page(client)
    assert measure.status == Measure.Status.IN_PROGRESS
    change = measure.state_changes.get()
    assert (change.to_state, change.by, measure.version) == (
        Measure.Status.IN_PROGRESS,
        staff_dusit,
        2,
    )
    assert after["ยังไม่เริ่ม"] == before["ยังไม่เริ่ม"] - 1
    assert after["กำลังดำเนินการ"] == before["กำลังดำเนินการ"] + 1


def test_the_status_move_from_a_report_is_in_the_measures_history(staff_dusit, measure, media):
    add_progress(
        measure,
        date=datetime.date(2022, 2, 15),
        note="เริ่มดำเนินการ",
        percent=10,
        evidence_file=None,
        evidence_url="",
        by=staff_dusit,
    )

    latest = Measure.history.filter(id=measure.pk).latest("history_date")
    assert (latest.status, latest.history_user) == (Measure.Status.IN_PROGRESS, staff_dusit)


@pytest.mark.parametrize(
    "status", [Measure.Status.IN_PROGRESS, Measure.Status.DONE, Measure.Status.CANCELLED]
)
def test_a_report_leaves_a_measure_in_progress_done_or_cancelled_as_it_is(
    client, staff_dusit, media, status
):
    measure = MeasureFactory(status=status)
    client.force_login(staff_dusit)

    _post(client, measure, percent="100")

    measure.refresh_from_db()
    assert measure.status == status


def test_a_100_percent_report_offers_to_mark_the_measure_done_without_doing_it(
    client, staff_dusit, measure, media
):
    client.force_login(staff_dusit)

    page = client.get(_post(client, measure, percent="100")["Location"]).content.decode()

    measure.refresh_from_db()
    assert measure.status == Measure.Status.IN_PROGRESS
    assert "ทำเครื่องหมายว่าดำเนินการแล้วเสร็จ" in page
    client.post(reverse("measures:measure-status", kwargs={"pk": measure.pk}), {"status": "done"})
    measure.refresh_from_db()
    assert measure.status == Measure.Status.DONE


def test_a_report_under_100_percent_offers_nothing(client, staff_dusit, measure, media):
    client.force_login(staff_dusit)

    page = client.get(_post(client, measure, percent="90")["Location"]).content.decode()

    assert "ทำเครื่องหมายว่าดำเนินการแล้วเสร็จ" not in page


def test_a_done_measure_is_not_offered_again(client, staff_dusit, media):
    measure = MeasureFactory(status=Measure.Status.DONE)
    client.force_login(staff_dusit)

    page = client.get(_post(client, measure, percent="100")["Location"]).content.decode()

    assert "ทำเครื่องหมายว่าดำเนินการแล้วเสร็จ" not in page
