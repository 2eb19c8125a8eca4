"""Importing an assessment's weaknesses back from Excel: the page from the register, the dry run,
the all-or-nothing confirmation and who may do it."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Weakness
from measures.plan_sheets import weaknesses_export


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def edited_export(assessment, **cells_by_key) -> bytes:
    """The assessment's weakness export with cells changed: {key: {header: value}}."""
    book = openpyxl.load_workbook(io.BytesIO(weaknesses_export(assessment)))
    sheet = book.active
    headers = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        changes = cells_by_key.get(str(row[0].value), {})
        for header, value in changes.items():
            row[headers.index(header)].value = value
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def upload(client, assessment, content: bytes):
    url = reverse("measures:weaknesses-import", kwargs={"pk": assessment.pk})
    return client.post(url, {"file": SimpleUploadedFile("weaknesses.xlsx", content)})


def first_weakness(assessment) -> Weakness:
    return Weakness.objects.filter(assessment=assessment).order_by("pk").first()


def test_the_register_links_its_editors_to_the_import(
    client, staff_dusit, director_dusit, dusit_2564
):
    register = reverse("measures:weakness-list", kwargs={"pk": dusit_2564.pk})
    link = reverse("measures:weaknesses-import", kwargs={"pk": dusit_2564.pk})

    client.force_login(staff_dusit)
    staff_sees = link in client.get(register).content.decode()
    client.force_login(director_dusit)
    director_sees = link in client.get(register).content.decode()

    assert (staff_sees, director_sees) == (True, False)


def test_an_edited_analysis_is_shown_in_the_dry_run_then_saved_with_its_author(
    client, staff_dusit, dusit_2564
):
    weakness = first_weakness(dusit_2564)
    client.force_login(staff_dusit)
    content = edited_export(dusit_2564, **{str(weakness.pk): {"การวิเคราะห์": "วิเคราะห์ใหม่จาก Excel"}})

    preview = client.get(upload(client, dusit_2564, content)["Location"])
    report = preview.context["report"]
    changed = [row for row in report.rows if row.outcome == "changed"]
    weakness.refresh_from_db()
    unchanged_before_confirm = weakness.analysis != "วิเคราะห์ใหม่จาก Excel"
    confirm_url = preview.context["confirm_url"]
    response = client.post(confirm_url)

    weakness.refresh_from_db()
    assert report.ok and unchanged_before_confirm
    assert [(row.changes[0][0], row.changes[0][2]) for row in changed] == [
        ("การวิเคราะห์", "วิเคราะห์ใหม่จาก Excel")
    ]
    assert response["Location"] == reverse("measures:weakness-list", kwargs={"pk": dusit_2564.pk})
    assert weakness.analysis == "วิเคราะห์ใหม่จาก Excel"
    assert weakness.history.first().history_user == staff_dusit


def test_a_key_of_another_units_weakness_is_an_error_and_nothing_is_saved(
    client, staff_dusit, dusit_2564
):
    mine = first_weakness(dusit_2564)
    other = Weakness.objects.exclude(assessment__unit=dusit_2564.unit).first()
    client.force_login(staff_dusit)
    content = edited_export(
        dusit_2564,
        **{str(mine.pk): {"การวิเคราะห์": "แก้แล้ว", "รหัสจุดอ่อน": other.pk}},
    )

    preview = client.get(upload(client, dusit_2564, content)["Location"])
    response = client.post(preview.context["confirm_url"])

    mine.refresh_from_db()
    other_before = other.analysis
    other.refresh_from_db()
    assert [e.message for e in preview.context["report"].errors] == [
        f"ไม่พบจุดอ่อนรหัส {other.pk} ในผลการประเมินนี้"
    ]
    assert response.status_code == 302 and "confirm" not in response["Location"]
    assert (mine.analysis != "แก้แล้ว", other.analysis) == (True, other_before)


@pytest.mark.parametrize(
    ("persona", "status"), [("director_dusit", 403), ("staff_pathumwan", 404), (None, 302)]
)
def test_only_editors_of_the_unit_may_open_the_import(client, request, dusit_2564, persona, status):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    url = reverse("measures:weaknesses-import", kwargs={"pk": dusit_2564.pk})

    assert client.get(url).status_code == status


def test_a_stored_upload_is_refused_to_a_user_who_lost_the_right_to_edit_the_unit(
    client, staff_dusit, dusit_2564
):
    client.force_login(staff_dusit)
    preview_url = upload(client, dusit_2564, weaknesses_export(dusit_2564))["Location"]
    staff_dusit.memberships.all().delete()

    assert client.get(preview_url).status_code == 404
