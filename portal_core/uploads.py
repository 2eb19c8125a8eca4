"""Checks every upload of the portal shares: evidence files, the Garuda emblem and Excel imports.

Every app may import these (assessments is the lowest layer):

- ``safe_filename`` keeps a stored name harmless: no folders, no control characters, no
  characters file systems or headers trip over, limited length; Thai letters and their vowel and
  tone marks stay (Django's own ``get_valid_filename`` drops the marks: คืบหน้า → คบหนา), and a
  long name is cut after a whole letter (``letters``), never between a letter and its marks.
- ``SafeNameStorage`` is the default file storage: Django's file system storage naming every
  stored file with ``safe_filename``, short enough for its column even when the name is taken.
- ``check_size`` refuses a file over a limit before its content is read.
- ``content_matches`` compares a file's first bytes with the signature of the type its name claims.
- ``check_zip_package`` reads only a ZIP's directory (never its content) and refuses too many
  entries or a declared unpacked size over the limit, so a zip bomb is refused before anything
  inflates it (Python's zipfile never inflates a member past its declared size).
- ``cfb_has_stream`` finds a named stream in an OLE compound file (how an encrypted .xlsx is
  told from an old .xls).
- ``check_image`` opens an image with Pillow and accepts only the named formats and sizes.

Each raises ``django.core.exceptions.ValidationError`` with a Thai message naming the file.
"""

import io
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

MEGABYTE = 1024 * 1024
MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 200  # UTF-8 bytes; Thai letters take three each, file systems allow 255
TAKEN_NAME_SUFFIX_CHARS = 8  # "_" and 7 random characters Django adds to a name already taken
KEPT_PUNCTUATION = "-_.()"
MAX_IMAGE_SIDE = 4000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# an OLE compound file (CFB): an old .xls or .doc, or a password-protected .xlsx
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CFB_DIRECTORY_ENTRY = 128
CFB_STREAM = 2
ZIP_SIGNATURE = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (PNG_SIGNATURE,),
    ".docx": (ZIP_SIGNATURE,),
    ".xlsx": (ZIP_SIGNATURE,),
}

_SEPARATORS = re.compile(r"[\\/]")
_SPACES = re.compile(r"\s+")


def _kept(char: str) -> str:
    """A character as it may stay in a file name: letters, digits and marks (Thai vowels and tone
    marks are marks) and ``- _ . ( )`` stay, anything else is dropped."""
    if char.isalnum() or unicodedata.category(char) in ("Mn", "Mc") or char in KEPT_PUNCTUATION:
        return char
    return ""


# Characters that belong to the letter before them: combining marks (Thai vowels above and below
# the consonant, tone marks) and SARA AM, which Unicode counts with its consonant (UAX #29).
_SARA_AM = {"\u0e33", "\u0eb3"}
# Vowels written before the consonant they are spoken after (เ แ โ ใ ไ, Lao ເ ແ ໂ ໃ ໄ): cut off
# from that consonant they are left dangling.
_LEADING_VOWELS = set("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")


def _attaches(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Mc", "Me") or char in _SARA_AM


def letters(text: str) -> list[str]:
    """``text`` as the letters a reader sees, each with its vowel and tone marks, a leading vowel
    with the consonant after it: ``letters("เก่งมาก")`` is ``["เก่", "ง", "ม", "า", "ก"]``."""
    found: list[str] = []
    for char in text:
        if found and (_attaches(char) or found[-1][-1] in _LEADING_VOWELS):
            found[-1] += char
        else:
            found.append(char)
    return found


def _fit(text: str, *, chars: int, utf8_bytes: int) -> str:
    """The longest start of ``text`` within both limits made of whole letters (see ``letters``)."""
    kept, length, size = [], 0, 0
    for letter in letters(text):
        length, size = length + len(letter), size + len(letter.encode())
        if length > chars or size > utf8_bytes:
            break
        kept.append(letter)
    return "".join(kept)


def safe_filename(name: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """A harmless file name for storage and download from whatever name the browser sent.

    The last part after any ``/`` or ``\\`` only; control and format characters dropped; white
    space as one ``_``; only letters, digits, marks and ``- _ . ( )`` kept; no leading dot; at most
    ``max_chars`` characters and MAX_NAME_BYTES UTF-8 bytes of whole letters, the extension kept
    whole; a mark with no letter before it dropped; "file" when nothing is left.
    ``safe_filename("../../รายงาน ความคืบหน้า\\x00.pdf")`` is ``"รายงาน_ความคืบหน้า.pdf"``.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = _SEPARATORS.split(text)[-1]
    text = "".join(char for char in text if not unicodedata.category(char).startswith("C"))
    text = "".join(_kept(char) for char in _SPACES.sub("_", text.strip())).strip(".")
    text = "".join(letter for letter in letters(text) if not _attaches(letter[0]))  # stray marks
    path = PurePosixPath(text or "file")
    suffix = path.suffix.lower() if 1 < len(path.suffix) <= 10 else ""
    stem = (path.name[: -len(suffix)] if suffix else path.name).strip(".") or "file"
    room_chars = max(max_chars - len(suffix), 1)
    room_bytes = max(MAX_NAME_BYTES - len(suffix.encode()), 1)
    stem = _fit(stem, chars=room_chars, utf8_bytes=room_bytes).rstrip(".") or "file"
    return stem + suffix


class SafeNameStorage(FileSystemStorage):
    """The portal's file storage (under MEDIA_ROOT, never under static): Django's file system
    storage with every stored name made safe by ``safe_filename``."""

    def get_valid_name(self, name: str) -> str:
        """The stored name of an uploaded file (see ``safe_filename``)."""
        return safe_filename(name)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """A free name within ``max_length`` (the file column's length, folders included).

        The name is first shortened with ``safe_filename`` to leave room for the suffix Django adds
        when a name is taken, so Django never has to cut it (its cut splits Thai letters)."""
        if max_length is not None:
            folder, file_name = posixpath.split(str(name).replace("\\", "/"))
            room = max_length - len(folder) - 1 - TAKEN_NAME_SUFFIX_CHARS
            if room > 0:
                name = posixpath.join(folder, safe_filename(file_name, max_chars=room))
        return super().get_available_name(name, max_length)


def display_name(upload) -> str:
    """The name of an upload as the uploader's messages show it."""
    return safe_filename(getattr(upload, "name", "") or "")


def check_size(upload, max_bytes: int) -> None:
    """Refuse a file larger than ``max_bytes`` (judged by its size, before reading it)."""
    if upload.size is not None and upload.size > max_bytes:
        limit = f"{max_bytes / MEGABYTE:g}"
        raise ValidationError(f"ไฟล์ {display_name(upload)} มีขนาดเกิน {limit} MB", code="too_large")


def read_head(upload: IO[bytes], size: int = 16) -> bytes:
    """The first bytes of a file, leaving it at its start."""
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def content_matches(upload: IO[bytes], extension: str) -> bool:
    """True when the file's first bytes are the signature of ``extension`` (see SIGNATURES)."""
    return read_head(upload).startswith(SIGNATURES[extension])


def check_zip_package(
    source: bytes | IO[bytes],
    *,
    max_entries: int,
    max_unpacked_bytes: int,
    name: str = "",
) -> set[str]:
    """The entry names of a ZIP package, read from its directory without inflating anything.

    Refuses a file that is not a ZIP, one with more than ``max_entries`` entries, and one whose
    entries declare more than ``max_unpacked_bytes`` in all (a zip bomb).
    """
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    label = f"ไฟล์ {safe_filename(name)}" if name else "ไฟล์นี้"
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(f"{label} ไม่ใช่ไฟล์ ZIP ที่สมบูรณ์", code="not_zip") from exc
    finally:
        stream.seek(0)
    if len(entries) > max_entries:
        raise ValidationError(
            f"{label} มีส่วนประกอบมากเกินไป ({len(entries)} ส่วน รับได้ไม่เกิน {max_entries})",
            code="too_many_entries",
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > max_unpacked_bytes:
        limit = f"{max_unpacked_bytes / MEGABYTE:g}"
        raise ValidationError(f"{label} เมื่อขยายแล้วมีขนาดเกิน {limit} MB", code="too_large_unpacked")
    return {entry.filename for entry in entries}


def cfb_has_stream(data: bytes, name: str) -> bool:
    """Whether an OLE compound file (CFB) holds a stream of this name.

    A directory entry is 128 bytes at a multiple of 128 from the file's start (sectors are 512
    or 4096 bytes and the header fills the first): its UTF-16 name, the name's length in bytes
    with its terminator at offset 64 and the entry's type at 66. Looking for the name at such
    places is enough to tell an encrypted .xlsx (streams EncryptionInfo and EncryptedPackage)
    from an old .xls without a CFB reader.
    """
    encoded = name.encode("utf-16-le")
    at = data.find(encoded)
    while at >= 0:
        entry = data[at : at + CFB_DIRECTORY_ENTRY]
        if (
            at % CFB_DIRECTORY_ENTRY == 0
            and len(entry) == CFB_DIRECTORY_ENTRY
            and int.from_bytes(entry[64:66], "little") == len(encoded) + 2
            and entry[66] == CFB_STREAM
        ):
            return True
        at = data.find(encoded, at + 1)
    return False


def check_image(upload, *, formats: Iterable[str], max_bytes: int) -> str:
    """Open an image with Pillow and refuse it unless it is one of ``formats`` (Pillow's names,
    e.g. "PNG", "JPEG"), within ``max_bytes`` and MAX_IMAGE_SIDE pixels a side; its format."""
    from PIL import Image

    check_size(upload, max_bytes)
    allowed = tuple(formats)
    shown = " หรือ ".join(allowed)
    label = display_name(upload)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a file that is not an image
        raise ValidationError(f"ไฟล์ {label} ไม่ใช่ภาพ {shown} ที่เปิดได้", code="not_image") from exc
    finally:
        upload.seek(0)
    if kind not in allowed:
        raise ValidationError(f"ไฟล์ {label} ต้องเป็นภาพ {shown} เท่านั้น", code="image_format")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(
            f"ภาพ {label} มีขนาด {width}×{height} พิกเซล ใหญ่เกิน {MAX_IMAGE_SIDE} พิกเซลต่อด้าน",
            code="image_dimensions",
        )
    return kind
