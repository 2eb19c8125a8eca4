"""Uploads (evidence, the Garuda emblem, Excel imports): safe names that keep Thai letters, size
limits, types judged by content, storage outside static behind a permission-checked view, no path
traversal, and zip bombs refused before openpyxl opens them."""

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from assessments.models import FiscalYear
from assessments.score_sheets import import_score_workbook
from ita_portal.models import EMBLEM_MAX_BYTES, PortalSettings
from measures.models import ProgressUpdate
from portal_core import excel
from portal_core.excel import MACRO_XLSM, ExcelFileError, check_xlsx
from portal_core.uploads import (
    MAX_NAME_BYTES,
    SafeNameStorage,
    check_image,
    check_zip_package,
    letters,
    safe_filename,
)
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% evidence\n"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("รายงานความคืบหน้า.pdf", "รายงานความคืบหน้า.pdf"),  # vowels and tone marks kept
        ("ผลการดำเนินงาน ไตรมาส ๑.PDF", "ผลการดำเนินงาน_ไตรมาส_๑.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
        ("C:\\Users\\staff\\Desktop\\หลักฐาน.docx", "หลักฐาน.docx"),
        ("bad\x00name\x1b[31m.pdf", "badname31m.pdf"),
        ("\u202egpj.exe.pdf", "gpj.exe.pdf"),  # right-to-left override dropped
        ('a<b>c:"d"|e?*f.png', "abcdef.png"),
        (".htaccess", "htaccess"),
        ("..", "file"),
        ("", "file"),
        ("   .pdf", "pdf"),
    ],
)
def test_safe_filename_keeps_thai_and_drops_folders_and_control_characters(sent, stored):
    assert safe_filename(sent) == stored


def test_safe_filename_limits_length_in_characters_and_bytes_keeping_the_extension():
    latin = safe_filename("a" * 500 + ".xlsx")
    thai = safe_filename("ก" * 500 + ".xlsx")

    assert (len(latin), latin.endswith(".xlsx")) == (80, True)
    assert len(thai.encode()) <= MAX_NAME_BYTES and thai.endswith(".xlsx")
    assert set(thai.removesuffix(".xlsx")) == {"ก"}


@pytest.mark.parametrize(
    ("sent", "max_chars", "stored"),
    [
        ("ที่ดิน.pdf", 8, "ที่.pdf"),  # not ที่ด: ด without its vowel ิ
        ("ความโปร่งใส.pdf", 14, "ความโปร่ง.pdf"),  # not …ใ: ใ is written before its ส
        ("บันทึกคำสั่ง.docx", 15, "บันทึกคำ.docx"),  # not …สั: สั่ is one letter
        ("ำ่รายงาน.pdf", 80, "รายงาน.pdf"),  # marks with no letter before them dropped
    ],
)
def test_safe_filename_cuts_a_long_name_after_a_whole_letter(sent, max_chars, stored):
    assert safe_filename(sent, max_chars=max_chars) == stored


def test_letters_keep_each_consonant_with_its_vowels_and_tone_marks():
    assert letters("เก่งมาก") == ["เก่", "ง", "ม", "า", "ก"]
    assert letters("น้ำใจ") == ["น้ำ", "ใจ"]


MARKS = "ำิีึืุู่้๊๋็์ั"  # what belongs to the letter before it (SARA AM included)
LEADING_VOWELS = "เแโใไ"
THAI_AND_LATIN = st.text(
    alphabet=st.sampled_from(f"กขคงนมรสอะา{MARKS}{LEADING_VOWELS}abc_-0๑"), min_size=1, max_size=60
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(THAI_AND_LATIN, st.integers(min_value=5, max_value=70))
def test_a_shortened_name_never_splits_a_letter_from_its_marks(text, max_chars):
    whole = safe_filename(f"{text}.pdf", max_chars=200).removesuffix(".pdf")
    short = safe_filename(f"{text}.pdf", max_chars=max_chars).removesuffix(".pdf")

    if short != "file":
        assert whole.startswith(short)
        rest = whole[len(short) :]
        assert short[0] not in MARKS
        if rest:  # cut: before a letter, not after a vowel that belongs to the next one
            assert rest[0] not in MARKS and short[-1] not in LEADING_VOWELS


def test_the_storage_shortens_a_name_to_fit_its_column_even_when_the_name_is_taken(media):
    folder = "evidence/pom-prap-sattru-phai/123"
    name = f"{folder}/{'ที่ดิน' * 20}.pdf"

    first = default_storage.save(name, ContentFile(PDF), max_length=101)
    second = default_storage.save(name, ContentFile(PDF), max_length=101)

    assert first != second
    for stored in (first, second):
        stem = Path(stored).stem.split("_")[0]
        assert len(stored) <= 101 and stored.endswith(".pdf")
        assert len(stem) % len("ที่ดิน") in (0, 3, 5)  # whole letters: ที่, ดิ, น


def test_the_default_storage_names_files_safely_and_refuses_to_leave_media_root(media):
    assert isinstance(default_storage, SafeNameStorage)

    name = default_storage.generate_filename("evidence/dusit/1/บันทึก การประชุม\x07.pdf")
    name = default_storage.save(name, ContentFile(PDF))

    assert name == "evidence/dusit/1/บันทึก_การประชุม.pdf"
    assert (media / name).read_bytes() == PDF
    with pytest.raises(Exception, match="outside|Detected path traversal"):
        default_storage.save("../outside.pdf", ContentFile(PDF))
    assert not (media.parent / "outside.pdf").exists()


# --- evidence ---------------------------------------------------------------------------------


def _report(client, measure, upload):
    url = reverse("measures:progress-create", kwargs={"pk": measure.pk})
    data = {"date": "15/02/2565", "note": "จัดประชุมแล้ว", "evidence_file": upload}
    return client.post(url, data)


def test_evidence_with_a_thai_name_and_folders_is_stored_safely_and_downloaded_by_name(
    client, staff_dusit, media
):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    response = _report(client, measure, SimpleUploadedFile("..\\..\\สรุปผล การประชุม.pdf", PDF))

    assert response.status_code == 302
    update = ProgressUpdate.objects.get(measure=measure)
    assert update.evidence_file.name == f"evidence/dusit/{measure.pk}/สรุปผล_การประชุม.pdf"
    assert Path(update.evidence_file.path).is_relative_to(media)
    assert not Path(update.evidence_file.path).is_relative_to(django_settings.BASE_DIR / "static")
    download = client.get(reverse("measures:progress-evidence", kwargs={"pk": update.pk}))
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.pdf", b"<html><script>alert(1)</script>", "เนื้อหาของไฟล์ page.pdf ไม่ตรงกับนามสกุล .pdf"),
        ("photo.png", PDF, "เนื้อหาของไฟล์ photo.png ไม่ตรงกับนามสกุล .png"),
        ("report.pdf.exe", b"MZ\x90\x00", "ไฟล์ report.pdf.exe ไม่ใช่ชนิดที่รับได้"),
        ("macro.xlsm", b"PK\x03\x04", "ไฟล์ macro.xlsm ไม่ใช่ชนิดที่รับได้"),
        ("image.svg", b"<svg onload='alert(1)'/>", "ไฟล์ image.svg ไม่ใช่ชนิดที่รับได้"),
    ],
)
def test_evidence_of_another_type_than_its_name_claims_is_refused(
    client, staff_dusit, media, name, content, message
):
    measure = MeasureFactory()
    client.force_login(staff_dusit)

    response = _report(client, measure, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert response.context["form"].errors["evidence_file"][0].startswith(message)
    assert not ProgressUpdate.objects.filter(measure=measure).exists()
    assert list(media.rglob("*.*")) == []


def test_a_stored_name_pointing_outside_media_is_never_served(client, staff_dusit, media):
    """Even a tampered row (a name with ..) cannot make the view read outside MEDIA_ROOT."""
    (media.parent / "secret.txt").write_text("secret")
    measure = MeasureFactory()
    update = ProgressUpdate.objects.create(
        measure=measure, date="2022-02-15", note="ทดสอบ", evidence_file="../secret.txt"
    )
    client.force_login(staff_dusit)

    response = client.get(reverse("measures:progress-evidence", kwargs={"pk": update.pk}))

    assert response.status_code in (400, 404)
    assert b"secret" not in response.content


def test_uploads_larger_than_the_memory_limit_go_to_a_temporary_file(settings):
    """The request body limits: a form without files may not exceed 2.5 MB, and any file over
    2.5 MB is streamed to a temporary file instead of memory."""
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2_621_440
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10


# --- the emblem ---------------------------------------------------------------------------------


def image_bytes(kind: str, size=(60, 60)) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", size, (0, 0, 0)).save(stream, kind)
    return stream.getvalue()


def _upload_emblem(client, central_team, upload):
    client.force_login(central_team)
    row = PortalSettings.load()
    url = reverse("admin:ita_portal_portalsettings_change", args=[row.pk])
    return client.post(url, {"emblem": upload})


@pytest.mark.parametrize(
    ("name", "kind"), [("garuda.png", "PNG"), ("garuda.jpg", "JPEG"), ("ครุฑ.jpeg", "JPEG")]
)
def test_central_team_uploads_a_png_or_jpeg_emblem(client, central_team, media, name, kind):
    response = _upload_emblem(client, central_team, SimpleUploadedFile(name, image_bytes(kind)))

    assert response.status_code == 302
    emblem = PortalSettings.load().emblem
    assert emblem.name.startswith("portal/")
    assert Image.open(emblem.path).format == kind


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garuda.svg", SVG, "ไฟล์ตราครุฑต้องเป็นภาพ PNG หรือ JPEG ที่เปิดได้"),
        ("garuda.png", SVG, "ไฟล์ตราครุฑต้องเป็นภาพ PNG หรือ JPEG ที่เปิดได้"),
        ("garuda.png", image_bytes("GIF"), "ต้องเป็นภาพ PNG หรือ JPEG เท่านั้น"),
        ("garuda.png", image_bytes("BMP"), "ต้องเป็นภาพ PNG หรือ JPEG เท่านั้น"),
        ("garuda.jpg", image_bytes("PNG"), "นามสกุลของไฟล์ตราครุฑไม่ตรงกับชนิดภาพ"),
        ("garuda.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "ต้องเป็นภาพ PNG หรือ JPEG ที่เปิดได้"),
        ("garuda.png", image_bytes("PNG", (5000, 10)), "ใหญ่เกิน 4000 พิกเซลต่อด้าน"),
    ],
)
def test_an_emblem_that_is_not_a_real_png_or_jpeg_is_refused(
    client, central_team, media, name, content, message
):
    response = _upload_emblem(client, central_team, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["emblem"])
    assert message in errors
    assert not PortalSettings.load().emblem
    assert list(media.rglob("*.*")) == []


def test_an_emblem_over_2_mb_is_refused(client, central_team, media):
    big = SimpleUploadedFile("garuda.png", image_bytes("PNG") + b"\0" * EMBLEM_MAX_BYTES)

    response = _upload_emblem(client, central_team, big)

    assert "ไฟล์ตราครุฑต้องมีขนาดไม่เกิน 2 MB" in response.context["adminform"].form.errors["emblem"]
    assert not PortalSettings.load().emblem


def test_check_image_refuses_a_decompression_bomb_without_decoding_it():
    upload = SimpleUploadedFile("bomb.png", image_bytes("PNG", (4001, 1)))

    with pytest.raises(ValidationError, match="4001×1"):
        check_image(upload, formats=["PNG"], max_bytes=EMBLEM_MAX_BYTES)


# --- Excel imports --------------------------------------------------------------------------


def workbook_zip(entries: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return stream.getvalue()


BASICS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def zip_bomb() -> bytes:
    """A 60 MB sheet of zeros that packs into well under 100 KB."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in BASICS.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * (1024 * 1024)
            for _ in range(60):
                sheet.write(block)
    return stream.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    bomb = zip_bomb()

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(excel, "load_workbook", never)

    assert len(bomb) < 200_000
    with pytest.raises(ExcelFileError, match="เมื่อขยายแล้วมีขนาดเกิน 30 MB"):
        check_xlsx(bomb)
    report = import_score_workbook(
        bomb, units=[], fiscal_year=FiscalYear.objects.get(year=2564), user=None, dry_run=True
    )
    assert [e.message for e in report.errors] == ["ไฟล์นี้ เมื่อขยายแล้วมีขนาดเกิน 30 MB"]


def test_a_zip_with_too_many_entries_is_refused():
    crowded = workbook_zip({**BASICS, **{f"xl/media/{n}.bin": b"" for n in range(1001)}})

    with pytest.raises(ExcelFileError, match="มีส่วนประกอบมากเกินไป"):
        check_xlsx(crowded)


def test_check_zip_package_reads_the_directory_only():
    names = check_zip_package(workbook_zip(BASICS), max_entries=5, max_unpacked_bytes=1024)

    assert names == set(BASICS)
    with pytest.raises(ValidationError, match="ไม่ใช่ไฟล์ ZIP"):
        check_zip_package(b"PK\x03\x04 truncated", max_entries=5, max_unpacked_bytes=1024)


def _import_page(client, staff_dusit, upload):
    client.force_login(staff_dusit)
    url = reverse("assessments:scores-import", kwargs={"code": "dusit", "year": 2564})
    return client.post(url, {"file": upload})


def real_xlsx() -> bytes:
    return excel.workbook_bytes([excel.OutSheet("แผ่นงาน", ["ก"], [["ข"]])])


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scores.xlsm", real_xlsx(), MACRO_XLSM),  # a real workbook renamed .xlsm
        ("scores.xlsx", workbook_zip({**BASICS, "xl/vbaProject.bin": b"vba"}), MACRO_XLSM),
        ("scores.xlsx", b"<html>not excel</html>", excel.NOT_XLSX),
        ("scores.xlsx", workbook_zip({"word/document.xml": b"<w/>"}), excel.NOT_XLSX),
        ("scores.xlsx", zip_bomb(), "เมื่อขยายแล้วมีขนาดเกิน 30 MB"),
    ],
)
def test_the_import_page_refuses_files_that_are_not_plain_xlsx_and_stores_nothing(
    client, staff_dusit, media, name, content, message
):
    response = _import_page(client, staff_dusit, SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not (media / "imports").exists()


def test_an_xlsx_over_10_mb_is_refused_by_its_size(client, staff_dusit, media, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("an oversized file must not be inspected")

    monkeypatch.setattr(excel, "check_xlsx", never)
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"\0" * excel.MAX_UPLOAD_BYTES)

    response = _import_page(client, staff_dusit, big)

    assert response.context["form"].errors["file"] == ["ไฟล์ big.xlsx มีขนาดเกิน 10 MB"]
    assert not (media / "imports").exists()


def test_an_accepted_import_is_kept_under_a_random_name_outside_static(client, staff_dusit, media):
    response = _import_page(
        client, staff_dusit, SimpleUploadedFile("../../คะแนน.xlsx", real_xlsx())
    )

    assert response.status_code == 302
    (stored,) = (media / "imports").iterdir()
    assert stored.suffix == ".xlsx" and "คะแนน" not in stored.name
    pending = client.session[excel.PENDING_KEY]
    assert [entry["filename"] for entry in pending.values()] == ["คะแนน.xlsx"]


def test_a_stored_upload_is_checked_when_it_comes_in_and_not_again_on_its_dry_run(
    client, staff_dusit, media, monkeypatch
):
    checks = []
    real_check = excel.check_xlsx

    def counted(data, filename=""):
        checks.append(filename)
        real_check(data, filename)

    monkeypatch.setattr(excel, "check_xlsx", counted)
    monkeypatch.setattr("portal_core.workbook_import.check_xlsx", counted)
    preview_url = _import_page(client, staff_dusit, SimpleUploadedFile("scores.xlsx", real_xlsx()))[
        "Location"
    ]

    preview = client.get(preview_url)
    client.post(preview.context["cancel_url"])

    assert (preview.status_code, checks) == (200, ["scores.xlsx"])
