"""Write the whole portal (database and uploaded files) to one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand

from ita_portal.backup import write_backup


class Command(BaseCommand):
    help = "Writes the database (JSON, natural keys) and MEDIA_ROOT into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="path of the .tar.gz to write")

    def handle(self, *args, archive: Path, **options):
        manifest = write_backup(archive)
        self.stdout.write(
            f"สำรองข้อมูล {manifest['objects']} รายการ และไฟล์แนบ {manifest['media_files']} ไฟล์ "
            f"ไปที่ {archive}"
        )
