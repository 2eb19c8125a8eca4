"""Backup and restore: one archive holds the database and the uploaded files."""

import io
import json
import subprocess
import tarfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Assessment, OrgUnit, QuestionScore
from ita_portal.backup import BackupError, restore_backup, write_backup
from ita_portal.memo_revisions import renderer
from ita_portal.pdf import render_memo_pdf
from measures.memo_workflow import transition_memo
from measures.models import Measure, Memo, MemoRevision


def _state():
    return {
        "units": OrgUnit.objects.count(),
        "question_scores": QuestionScore.objects.count(),
        "score_history": QuestionScore.history.count(),
        "measure_history": Measure.history.count(),
        "dusit_2564": Assessment.objects.get(
            unit__code="dusit", fiscal_year__year=2564
        ).official_score,
        "i7": QuestionScore.objects.get(
            assessment__unit__code="dusit", question__code="I7"
        ).lowest_option_share,
    }


def _revisions() -> dict[str, tuple]:
    """Every stored revision, byte for byte, by its code."""
    return {
        r.code: (r.memo_id, r.number, r.html, bytes(r.pdf), r.sha256)
        for r in MemoRevision.objects.all()
    }


def _freeze_a_memo() -> None:
    """Approve one demo memo through the workflow, so the archive holds a revision."""
    central = OrgUnit.objects.get(code="bma").memberships.get(role="central").user
    memo = Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)
    memo = transition_memo(memo, to=Memo.Status.APPROVED, by=central)
    memo = transition_memo(memo, to=Memo.Status.DRAFT, by=central, comment="สำรองข้อมูล")
    memo = transition_memo(memo, to=Memo.Status.SUBMITTED, by=central)
    transition_memo(memo, to=Memo.Status.APPROVED, by=central, render=renderer("http://testserver"))


def _memo_texts() -> dict[int, str]:
    """Every memo's PDF as pdftotext reads it, by memo id."""
    texts = {}
    for memo in Memo.objects.order_by("pk"):
        result = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=render_memo_pdf(memo),
            capture_output=True,
            check=True,
        )
        texts[memo.pk] = result.stdout.decode()
    return texts


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_demo_data_and_files_into_an_empty_database(tmp_path, settings):
    call_command("load_portal_data", stdout=io.StringIO())
    _freeze_a_memo()
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = settings.MEDIA_ROOT / "evidence" / "dusit" / "1" / "หลักฐาน.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 demo")
    before = _state()
    memos_before = _memo_texts()
    revisions_before = _revisions()
    archive = tmp_path / "portal.tar.gz"

    manifest = write_backup(archive)
    call_command("flush", interactive=False)
    evidence.unlink()
    assert OrgUnit.objects.count() == 0
    restored = restore_backup(archive)

    assert restored == manifest and manifest["media_files"] == 1
    assert _state() == before
    assert before["dusit_2564"] == Decimal("90.40") and before["i7"] == Decimal("19.28")
    assert evidence.read_bytes() == b"%PDF-1.4 demo"
    assert len(memos_before) >= 5 and all(text.strip() for text in memos_before.values())
    assert _memo_texts() == memos_before
    assert len(revisions_before) == 1 and _revisions() == revisions_before


@pytest.mark.django_db
def test_restoring_into_a_database_that_holds_data_is_refused(tmp_path):
    archive = tmp_path / "portal.tar.gz"
    write_backup(archive)
    with pytest.raises(CommandError, match="ฐานข้อมูลปลายทางต้องว่าง"):
        call_command("restore_portal", str(archive))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_is_refused_with_a_thai_message(tmp_path):
    garbage = tmp_path / "portal.tar.gz"
    garbage.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="ไฟล์สำรองข้อมูลเสียหาย"):
        restore_backup(garbage)


@pytest.mark.django_db(transaction=True)
def test_archive_members_outside_media_are_never_written(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [
            ("manifest.json", json.dumps({"format": 1, "objects": 0, "media_files": 1})),
            ("data.json", "[]"),
            ("media/../../escaped.txt", "x"),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data.encode())
            tar.addfile(info, io.BytesIO(data.encode()))
    restore_backup(archive)
    assert not (tmp_path / "escaped.txt").exists()
