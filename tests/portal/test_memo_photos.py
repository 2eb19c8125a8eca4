"""A memo's photos: chosen from its measures' evidence images or uploaded, checked, downscaled,
and printed two a row with their captions in the page, the PDF and the Word copy."""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from ita_portal.memo_docx import render_memo_docx
from ita_portal.pdf import render_memo_pdf
from measures.models import Measure, MemoPhoto, ProgressUpdate
from portal_core.images import PHOTO_MAX_SIDE


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _image(name: str = "ประชุม.png", size=(3000, 2000), fmt: str = "PNG") -> SimpleUploadedFile:
    data = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(data, format=fmt)
    return SimpleUploadedFile(name, data.getvalue(), content_type=f"image/{fmt.lower()}")


def _add(client, memo, **data):
    return client.post(f"/staff/memos/{memo.pk}/photos/add/", data, follow=True)


@pytest.fixture
def staff(client, staff_dusit):
    client.force_login(staff_dusit)
    return client


@pytest.fixture
def evidence(results_draft, staff_dusit) -> ProgressUpdate:
    measure = Measure.objects.filter(
        unit=results_draft.unit, fiscal_year=results_draft.fiscal_year
    ).first()
    return ProgressUpdate.objects.create(
        measure=measure,
        date="2022-05-01",
        note="ประชุมชี้แจง",
        evidence_file=_image("หลักฐาน.jpg", size=(2400, 1800), fmt="JPEG"),
    )


def test_an_uploaded_photo_is_stored_downscaled_and_shows_in_page_pdf_and_word(
    staff, results_draft, tmp_path
):
    response = _add(staff, results_draft, caption="การประชุมผู้บริหาร", upload=_image())

    photo = MemoPhoto.objects.get(memo=results_draft)
    with Image.open(photo.image.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == PHOTO_MAX_SIDE
    assert "เพิ่มภาพประกอบแล้ว" in response.content.decode()
    page = staff.get(f"/memos/{results_draft.pk}/").content.decode()
    assert f'<img src="/memos/{results_draft.pk}/photos/{photo.pk}.jpg"' in page
    assert "<figcaption>การประชุมผู้บริหาร</figcaption>" in page
    assert "ประมวลภาพการประชุม" in page
    pdf = tmp_path / "memo.pdf"
    pdf.write_bytes(render_memo_pdf(results_draft))
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.splitlines()) == 3  # header, rule, the photo
    document = Document(io.BytesIO(render_memo_docx(results_draft)))
    assert len(document.inline_shapes) == 1
    cells = [cell.text.strip() for table in document.tables for cell in table._cells]
    assert "การประชุมผู้บริหาร" in cells


def test_a_photo_can_be_taken_from_the_measures_progress_evidence(staff, results_draft, evidence):
    edit = staff.get(f"/staff/memos/{results_draft.pk}/edit/").content.decode()
    assert f'<option value="{evidence.pk}">' in edit

    _add(staff, results_draft, caption="ชี้แจงเจ้าหน้าที่", evidence=evidence.pk)

    photo = MemoPhoto.objects.get(memo=results_draft)
    assert photo.source == evidence
    assert photo.image.name != evidence.evidence_file.name  # its own downscaled copy
    with Image.open(photo.image.path) as stored:
        assert max(stored.size) == PHOTO_MAX_SIDE


def test_photos_print_two_a_row_in_the_word_copy(staff, results_draft):
    for number in range(3):
        _add(staff, results_draft, caption=f"ภาพที่ {number + 1}", upload=_image(size=(800, 600)))

    document = Document(io.BytesIO(render_memo_docx(results_draft)))
    photo_tables = [
        t for t in document.tables if any("ภาพที่" in cell.text for cell in t.rows[0].cells)
    ]

    assert [[c.text.strip() for c in t.rows[0].cells] for t in photo_tables] == [
        ["ภาพที่ 1", "ภาพที่ 2"],
        ["ภาพที่ 3", ""],
    ]
    assert len(document.inline_shapes) == 3


def test_a_file_that_is_not_an_image_is_refused_and_nothing_saved(staff, results_draft):
    fake = SimpleUploadedFile("ภาพ.jpg", b"not an image at all", content_type="image/jpeg")

    response = _add(staff, results_draft, caption="x", upload=fake)

    assert "ไม่ใช่ภาพ JPEG หรือ PNG ที่เปิดได้" in response.content.decode()
    assert not MemoPhoto.objects.filter(memo=results_draft).exists()


def test_evidence_of_another_unit_is_not_offered(staff, results_draft, db):
    other = ProgressUpdate.objects.create(
        measure=Measure.objects.exclude(unit=results_draft.unit).first(),
        date="2022-05-01",
        note="อื่น",
        evidence_file=_image("อื่น.png", size=(100, 100)),
    )

    response = _add(staff, results_draft, evidence=other.pk)

    assert "เลือกจากหลักฐานความคืบหน้า" in response.content.decode()
    assert not MemoPhoto.objects.filter(memo=results_draft).exists()


def test_photos_change_only_while_the_memo_is_a_draft(staff, results_memo):
    response = _add(staff, results_memo, upload=_image(size=(100, 100)))

    assert "เปลี่ยนภาพประกอบได้เฉพาะบันทึกข้อความที่เป็นร่าง" in response.content.decode()
    assert not MemoPhoto.objects.exists()


def test_a_drafts_photo_is_only_for_the_units_users(client, staff, results_draft):
    _add(staff, results_draft, upload=_image(size=(100, 100)))
    photo = MemoPhoto.objects.get()
    staff.logout()

    assert client.get(photo.get_absolute_url()).status_code == 404


def test_removing_a_photo_deletes_its_file(
    staff, results_draft, django_capture_on_commit_callbacks
):
    _add(staff, results_draft, upload=_image(size=(100, 100)))
    photo = MemoPhoto.objects.get()
    path = Path(photo.image.path)

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/staff/memos/{results_draft.pk}/photos/{photo.pk}/delete/")

    assert not MemoPhoto.objects.exists()
    assert not path.exists()
