"""Backup and restore: the whole database and every uploaded file in one .tar.gz archive.

The database goes in as Django's JSON serialization with natural keys, so an archive made on
SQLite restores on PostgreSQL and the other way round. Restoring needs a migrated, empty database.
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

FORMAT_VERSION = 1
DATA_NAME = "data.json"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
# Rebuilt by `migrate` on the target; copying them would clash with the rows it made. Form
# tokens (assessments.submissions) matter for a day only, like sessions.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "assessments.formsubmission",
]


class BackupError(Exception):
    """The archive is unusable or the target database is not empty."""


def _data_json() -> bytes:
    buffer = io.StringIO()
    call_command(
        "dumpdata",
        natural_foreign=True,
        natural_primary=True,
        exclude=EXCLUDED,
        indent=None,
        stdout=buffer,
    )
    return buffer.getvalue().encode("utf-8")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def write_backup(path: Path) -> dict:
    """Write the database and MEDIA_ROOT to ``path``; returns the manifest."""
    data = _data_json()
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "objects": len(json.loads(data)),
        "media_files": len(media_files),
    }
    with tarfile.open(path, "w:gz") as archive:
        _add_bytes(archive, MANIFEST_NAME, json.dumps(manifest).encode())
        _add_bytes(archive, DATA_NAME, data)
        for file in media_files:
            archive.add(file, arcname=MEDIA_PREFIX + file.relative_to(media_root).as_posix())
    return manifest


def _portal_has_data() -> bool:
    models = [apps.get_model("assessments", "OrgUnit"), apps.get_model("auth", "User")]
    return any(model.objects.exists() for model in models)


def _safe_member(member: tarfile.TarInfo) -> bool:
    name = member.name
    return (
        member.isfile()
        and name.startswith(MEDIA_PREFIX)
        and ".." not in Path(name).parts
        and not Path(name).is_absolute()
    )


@transaction.atomic
def restore_backup(path: Path) -> dict:
    """Load an archive into the empty, migrated database and MEDIA_ROOT; returns its manifest."""
    if _portal_has_data():
        raise BackupError("ฐานข้อมูลปลายทางต้องว่าง (ให้ migrate ฐานข้อมูลใหม่ก่อนกู้คืน)")
    try:
        archive = tarfile.open(path, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"ไฟล์สำรองข้อมูลเสียหายหรือไม่ใช่ .tar.gz: {exc}") from exc
    with archive:
        names = archive.getnames()
        if MANIFEST_NAME not in names or DATA_NAME not in names:
            raise BackupError("ไฟล์สำรองข้อมูลไม่มี manifest.json หรือ data.json")
        manifest = json.load(archive.extractfile(MANIFEST_NAME))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"ไม่รู้จักรูปแบบไฟล์สำรองข้อมูลรุ่น {manifest.get('format')}")
        data = archive.extractfile(DATA_NAME).read()
        if json.loads(data):
            with tempfile.NamedTemporaryFile(suffix=".json") as data_file:
                data_file.write(data)
                data_file.flush()
                # The archive holds the history rows already. simple-history skips raw saves
                # but not many-to-many changes, so loaddata would add a "~" row per measure with
                # divisions (on PostgreSQL under an id the archive already uses).
                with override_settings(SIMPLE_HISTORY_ENABLED=False):
                    call_command("loaddata", data_file.name, verbosity=0)
        media_root = Path(settings.MEDIA_ROOT)
        for member in archive.getmembers():
            if not _safe_member(member):
                continue
            target = media_root / member.name.removeprefix(MEDIA_PREFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
    return manifest
