"""The memo PDF: download, access, fonts, page headers, the emblem and the local-only fetcher."""

import re
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from assessments.models import FiscalYear, OrgUnit
from ita_portal.models import PortalSettings
from ita_portal.pdf import local_path, render_memo_pdf
from measures.models import Memo


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _pdf_file(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "memo.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture
def results_memo(db) -> Memo:
    return Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)


@pytest.fixture
def draft(dusit) -> Memo:
    return Memo.objects.create(
        unit=dusit,
        division=OrgUnit.objects.get(code="dusit-admin"),
        fiscal_year=FiscalYear.objects.get(year=2566),
        kind=Memo.Kind.ANALYSIS,
        subject="ร่างบันทึก",
        addressee="หัวหน้าฝ่ายปกครอง",
    )


def test_published_memo_pdf_downloads_for_anyone_with_a_thai_file_name(client, results_memo):
    response = client.get(f"/memos/{results_memo.pk}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = f"บันทึกข้อความ-เขตดุสิต-2565-{results_memo.pk}.pdf"
    assert response["Content-Disposition"] == (f"attachment; filename*=utf-8''{quote(name)}")
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [(None, 404), ("staff_pathumwan", 404), ("staff_dusit", 200), ("director_dusit", 200)],
)
def test_draft_pdf_only_for_users_of_the_unit(client, request, draft, persona, expected):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    response = client.get(f"/memos/{draft.pk}.pdf")

    assert response.status_code == expected


def test_fonts_are_embedded_and_pages_after_the_first_are_numbered(tmp_path, results_memo):
    path = _pdf_file(tmp_path, render_memo_pdf(results_memo))

    fonts = _run("pdffonts", str(path)).splitlines()[2:]
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path)))[1])

    assert {line.split()[0].split("+")[1] for line in fonts} == {"Sarabun", "Sarabun-Bold"}
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in fonts)
    assert pages >= 5
    first = _run("pdftotext", "-layout", "-f", "1", "-l", "1", str(path), "-")
    assert not re.search(r"-\s*[๐-๙]+\s*-", first)
    for page in range(2, pages + 1):
        text = _run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")
        thai_page = "".join("๐๑๒๓๔๕๖๗๘๙"[int(d)] for d in str(page))
        assert re.search(rf"-\s*{thai_page}\s*-", text.splitlines()[0])


def test_arabic_numeral_memos_number_their_pages_in_arabic(tmp_path, db):
    memo = Memo.objects.get(unit__code="bangkok-noi")
    path = _pdf_file(tmp_path, render_memo_pdf(memo))

    text = _run("pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-")

    assert re.search(r"-\s*2\s*-", text.splitlines()[0])


def test_emblem_space_stays_empty_until_uploaded_then_shows_the_image(
    client, results_memo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = client.get(f"/memos/{results_memo.pk}/").content.decode()
    assert '<div class="garuda"></div>' in page
    image = tmp_path / "garuda.png"
    Image.new("RGBA", (60, 60), (0, 0, 0, 255)).save(image)
    row = PortalSettings.load()
    row.emblem = SimpleUploadedFile("garuda.png", image.read_bytes(), content_type="image/png")
    row.save()

    page = client.get(f"/memos/{results_memo.pk}/").content.decode()
    listing = _run("pdfimages", "-list", str(_pdf_file(tmp_path, render_memo_pdf(results_memo))))

    assert '<img src="/media/portal/garuda' in page
    assert len(listing.splitlines()) >= 3  # header, rule, at least one image


def test_no_image_in_the_pdf_without_an_emblem(tmp_path, results_memo, settings):
    settings.MEDIA_ROOT = tmp_path / "media"

    listing = _run("pdfimages", "-list", str(_pdf_file(tmp_path, render_memo_pdf(results_memo))))

    assert len(listing.splitlines()) == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "data:image/png;base64,AAAA",
        "http://ita-portal.invalid/static/../../ita_portal/settings.py",
        "http://ita-portal.invalid/media/../../etc/passwd",
        "http://ita-portal.invalid/etc/passwd",
        "http://ita-portal.invalid/static/css/missing.css",
    ],
)
def test_the_fetcher_refuses_anything_but_local_static_and_media(url):
    with pytest.raises(ValueError):
        local_path(url)


def test_the_fetcher_serves_the_vendored_font():
    path = local_path("http://ita-portal.invalid/static/fonts/sarabun/Sarabun-Regular.ttf")

    assert path.name == "Sarabun-Regular.ttf"
    assert path.is_file()


def test_production_pdfs_find_the_hashed_static_files_collectstatic_wrote(
    results_memo, settings, tmp_path
):
    """With DEBUG off, {% static %} names hashed copies that only exist under STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    pdf = _pdf_file(tmp_path, render_memo_pdf(results_memo))

    fonts = _run("pdffonts", str(pdf))
    assert "Sarabun" in fonts
    assert "DejaVu" not in fonts
