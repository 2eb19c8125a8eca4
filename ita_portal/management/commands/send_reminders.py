"""`manage.py send_reminders [--date YYYY-MM-DD]`: queue this week's reminder e-mail for every
user who has not yet had it (README "Background tasks": run weekly from cron)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ita_portal.reminders import weekly_recipients_for
from ita_portal.tasks import send_weekly_reminder


class Command(BaseCommand):
    help = "ส่งอีเมลสรุปงานประจำสัปดาห์ (เข้าคิวงานเบื้องหลัง ผู้ใช้ละหนึ่งงาน)"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="วันที่ของสรุป (YYYY-MM-DD, ค่าเริ่มต้นวันนี้)")

    def handle(self, *, date, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"วันที่ไม่ถูกต้อง: {date} (ใช้รูปแบบ YYYY-MM-DD)") from exc
        queued = 0
        for user_id in weekly_recipients_for(day).values_list("pk", flat=True).iterator():
            send_weekly_reminder.enqueue(user_id, day.isoformat())
            queued += 1
        self.stdout.write(f"เข้าคิวอีเมลสรุปประจำสัปดาห์ {queued} ราย")
