"""PDF rendering with WeasyPrint, imported lazily (a slow import) and fenced off the network.

The HTML is rendered against a base URL on a reserved host that never resolves; the URL fetcher
maps that host's /static/ and /media/ paths to local files and refuses every other URL, so no
memo content can make the server fetch anything from the network (or read outside those trees).
"""

import mimetypes
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils._os import safe_join

from ita_portal.memo_document import memo_document_context
from ita_portal.pdf_text import repair_thai_text
from measures.models import Memo, MemoPhoto

BASE_URL = "http://ita-portal.invalid/"


def static_file(name: str) -> Path | None:
    """The file a static name stands for: a source file the finders know, or a collected copy.

    With DEBUG off the manifest storage makes ``{% static %}`` name hashed copies
    (memo.abf9….css) that exist only under STATIC_ROOT after collectstatic.
    """
    found = finders.find(name)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        collected = Path(safe_join(settings.STATIC_ROOT, name))
        if collected.is_file():
            return collected
    return None


MEMO_PHOTO_PATH = re.compile(r"^/memos/(?P<memo>[0-9]+)/photos/(?P<photo>[0-9]+)\.jpg$")


def _memo_photo_file(memo_pk: int, photo_pk: int, url: str) -> Path:
    """The stored file of one memo photo (its page URL, memos:memo-photo, names it)."""
    photo = MemoPhoto.objects.filter(memo_id=memo_pk, pk=photo_pk).first()
    if photo is None or not Path(photo.image.path).is_file():
        raise ValueError(f"ไม่พบไฟล์: {url}")
    return Path(photo.image.path)


def local_path(url: str) -> Path:
    """The local file a document URL stands for; ValueError for anything else.

    Only ``BASE_URL`` + STATIC_URL (see static_file), + MEDIA_URL (inside MEDIA_ROOT) and a memo
    photo's address (/memos/<memo>/photos/<photo>.jpg, its stored file) are served; other
    hosts, schemes (file:, data:, https:) and paths that climb out of those trees are refused.
    """
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ValueError(f"ไม่อนุญาตให้ดึงไฟล์จากภายนอก: {url}")
    path = unquote(parts.path)
    photo = MEMO_PHOTO_PATH.match(path)
    if photo:
        return _memo_photo_file(int(photo["memo"]), int(photo["photo"]), url)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
    try:
        if path.startswith(static_prefix):
            found = static_file(path.removeprefix(static_prefix))
            if found:
                return found
        elif path.startswith(media_prefix):
            candidate = Path(safe_join(settings.MEDIA_ROOT, path.removeprefix(media_prefix)))
            if candidate.is_file():
                return candidate
    except SuspiciousFileOperation as exc:
        raise ValueError(f"ไม่อนุญาตให้เข้าถึงไฟล์: {url}") from exc
    raise ValueError(f"ไม่พบไฟล์: {url}")


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFileFetcher(URLFetcher):
        """Serves only local static and media files (see local_path)."""

        def fetch(self, url, headers=None):
            path = local_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return LocalFileFetcher


def render_html(html: str):
    """Lay out an HTML document (with its print CSS) as WeasyPrint pages, fetching local files
    only."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher_class()()).render()


def render_html_to_pdf(html: str) -> bytes:
    """Render an HTML document to PDF bytes: tagged for screen readers (PDF/UA), in the
    document's language, titled by its <title>, with a text layer that reads as the Thai
    written."""
    return repair_thai_text(render_html(html).write_pdf(pdf_variant="pdf/ua-1"))


def render_memo_pdf(memo: Memo) -> bytes:
    """The memo as an A4 PDF, from the same template as its HTML page."""
    html = render_to_string("memos/memo_document.html", memo_document_context(memo))
    return render_html_to_pdf(html)


def memo_filename(memo: Memo, extension: str = "pdf") -> str:
    """A readable Thai file name: บันทึกข้อความ-เขตดุสิต-2565-12.pdf (or .docx)."""
    unit = memo.unit.short_name or memo.unit.name
    name = f"บันทึกข้อความ-{unit}-{memo.fiscal_year.year}-{memo.pk}.{extension}"
    return name.replace(" ", "-")
