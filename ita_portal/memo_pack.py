"""The bulk memo pack: one ZIP of every unit's memos of a kind and fiscal year, built in the
background (ita_portal.tasks.build_memo_pack) for the central team.

Each memo goes in as its PDF (the stored revision of an approved or published memo, else
rendered from live data) and in every further format of PACK_RENDERERS that has a copy of it. A
unit whose memos cannot be rendered is recorded on the pack with the reason and left out; the
others go on. Progress is written to the MemoPack row after every unit, which the progress page
reads.
"""

import datetime
import tempfile
import zipfile
from collections.abc import Callable
from itertools import groupby

from django.core.files import File
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ita_portal.memo_docx import render_memo_docx
from ita_portal.models import MemoPack
from ita_portal.pdf import memo_filename, render_memo_pdf
from measures.models import Memo

# A renderer gives a memo's file in its format, or None when it has no copy in that format.
Renderer = Callable[[Memo], bytes | None]


def memo_pdf(memo: Memo) -> bytes:
    """The memo's PDF: its frozen revision when approved, else rendered from live data."""
    revision = memo.current_revision()
    return bytes(revision.pdf) if revision is not None else render_memo_pdf(memo)


def memo_docx(memo: Memo) -> bytes:
    """The memo's Word copy: the one stored with its approved revision, else built from live
    data (a draft, or a revision made before Word copies were stored)."""
    revision = memo.current_revision()
    return (
        bytes(revision.docx) if revision is not None and revision.docx else render_memo_docx(memo)
    )


# Extension → renderer of every format the pack holds; a renderer may return None for a memo
# without a copy in its format.
PACK_RENDERERS: dict[str, Renderer] = {".pdf": memo_pdf, ".docx": memo_docx}


def pack_memos(pack: MemoPack) -> QuerySet:
    """The pack's memos, unit by unit in the units' order."""
    return (
        Memo.objects.filter(kind=pack.kind, fiscal_year=pack.fiscal_year)
        .select_related(
            "unit",
            "division",
            "fiscal_year",
            "assessment__unit",
            "assessment__fiscal_year__framework",
        )
        .order_by("unit__order", "unit__name", "unit_id", "pk")
    )


def memo_files(memo: Memo) -> list[tuple[str, bytes]]:
    """The memo's files in the ZIP: under its unit's code, one per format that has a copy."""
    stem = memo_filename(memo).removesuffix(".pdf")
    files = []
    for extension, render in PACK_RENDERERS.items():
        content = render(memo)
        if content is not None:
            files.append((f"{memo.unit.code}/{stem}{extension}", content))
    return files


def pack_filename(pack: MemoPack) -> str:
    """The download's Thai name: บันทึกข้อความ-มาตรการส่งเสริม…-2567.zip."""
    kind = pack.get_kind_display().split(" (")[0].replace(" ", "-")
    return f"บันทึกข้อความ-{kind}-{pack.fiscal_year.year}.zip"


def _progress(pack: MemoPack, **fields) -> None:
    MemoPack.objects.filter(pk=pack.pk).update(**fields)


def build_pack(pack: MemoPack) -> MemoPack:
    """Build the pack's ZIP, unit by unit, recording progress and each unit's failure; a run
    again (a retried task) starts over. Anything that stops the whole build marks it failed."""
    try:
        return _build(pack)
    except BaseException as exc:
        _progress(
            pack,
            status=MemoPack.Status.FAILED,
            finished_at=timezone.now(),
            errors=[*pack.errors, {"unit": "", "message": f"การจัดทำหยุดลง: {exc}"}],
        )
        raise


def _build(pack: MemoPack) -> MemoPack:
    units = [(unit, list(memos)) for unit, memos in groupby(pack_memos(pack), key=lambda m: m.unit)]
    pack.errors = []
    _progress(
        pack,
        status=MemoPack.Status.RUNNING,
        units_total=len(units),
        units_done=0,
        memos_done=0,
        current_unit="",
        errors=[],
        finished_at=None,
    )
    with tempfile.TemporaryFile() as spool:
        # PDFs are compressed already: storing them keeps the build at the renderer's speed.
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for unit, memos in units:
                _progress(pack, current_unit=unit.name)
                try:
                    # A savepoint, so that a database error of one unit leaves the
                    # transaction (when the build runs inside one) usable for the next.
                    with transaction.atomic():
                        files = [file for memo in memos for file in memo_files(memo)]
                except Exception as exc:
                    pack.errors.append(
                        {"unit": unit.name, "code": unit.code, "message": str(exc) or repr(exc)}
                    )
                    _progress(pack, units_done=F("units_done") + 1, errors=pack.errors)
                    continue
                for name, content in files:
                    archive.writestr(name, content)
                _progress(
                    pack, units_done=F("units_done") + 1, memos_done=F("memos_done") + len(memos)
                )
        spool.seek(0)
        pack.file.save(f"memo-pack-{pack.pk}-{pack.kind}.zip", File(spool), save=False)
    _progress(
        pack,
        file=pack.file.name,
        status=MemoPack.Status.DONE,
        current_unit="",
        finished_at=timezone.now(),
    )
    pack.refresh_from_db()
    return pack


def mark_lost(pack: MemoPack, *, task_failed: bool, now: datetime.datetime) -> MemoPack:
    """A pack whose task the queue reports failed (its worker lost too often) is failed too."""
    if task_failed and not pack.finished:
        _progress(
            pack,
            status=MemoPack.Status.FAILED,
            finished_at=now,
            errors=[*pack.errors, {"unit": "", "message": "งานเบื้องหลังล้มเหลว กรุณาสั่งจัดทำใหม่"}],
        )
        pack.refresh_from_db()
    return pack
