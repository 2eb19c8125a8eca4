"""Check every OIT disclosure address of a fiscal year (the current one by default)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.models import FiscalYear, OrgUnit
from measures.disclosure import check_links, links_of


class Command(BaseCommand):
    help = "ตรวจลิงก์เปิดเผยข้อมูล OIT ของปีงบประมาณ: รหัสสถานะ HTTP ที่อยู่ปลายทาง ชนิดเนื้อหา และวันที่ตรวจ"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="ปีงบประมาณ พ.ศ. (ค่าเริ่มต้น: ปีปัจจุบัน)")
        parser.add_argument("--unit", action="append", default=[], help="รหัสหน่วยงาน (ระบุได้หลายครั้ง)")

    def handle(self, *args, year=None, unit=(), **options):
        year = year or FiscalYear.year_of(timezone.localdate())
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"ไม่พบปีงบประมาณ {year}")
        units = None
        if unit:
            units = list(OrgUnit.objects.filter(code__in=unit))
            missing = set(unit) - {u.code for u in units}
            if missing:
                raise CommandError(f"ไม่พบหน่วยงาน: {', '.join(sorted(missing))}")
        links = check_links(links_of(fiscal_year, units), timezone.now())
        good = sum(1 for link in links if link.ok)
        self.stdout.write(
            f"ตรวจลิงก์แล้ว {len(links)} ลิงก์ ปีงบประมาณ {year}: เปิดได้ {good} มีปัญหา {len(links) - good}"
        )
