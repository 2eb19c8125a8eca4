"""Restore a backup archive into an empty, migrated database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ita_portal.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Loads an archive written by backup_portal into a freshly migrated, empty database and "
        "MEDIA_ROOT. Refuses a database that already holds units or users."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="path of the .tar.gz to read")

    def handle(self, *args, archive: Path, **options):
        try:
            manifest = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"กู้คืนข้อมูล {manifest['objects']} รายการ และไฟล์แนบ {manifest['media_files']} ไฟล์"
        )
