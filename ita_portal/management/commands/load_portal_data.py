"""Load the ITA frameworks, the BMA units and the demo data from fixtures/."""

from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.models import Membership
from assessments.reference_data import DEMO_PASSWORD, FIXTURES_DIR, load_all
from measures.demo_data import load_demo
from measures.memo_drafts import load_memo_templates
from measures.weaknesses import rehome_district_work


class Command(BaseCommand):
    help = (
        "Loads fixtures/frameworks/*.yaml, fixtures/units.yaml, the memo templates missing from "
        "fixtures/memo_templates.yaml and (unless --no-demo) the demo "
        "assessments, logins, weaknesses, measures and memos. Safe to run again: rows are written "
        "only when a value differs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="load reference data only")

    def handle(self, *args, no_demo: bool = False, **options):
        with transaction.atomic():
            tally, logins = load_all(demo=not no_demo)
            tally["updated"] += rehome_district_work()
            load_memo_templates(FIXTURES_DIR, tally)
            if not no_demo:
                load_demo(FIXTURES_DIR, tally)
        self.stdout.write(
            f"สร้าง {tally['created']} รายการ, แก้ไข {tally['updated']} รายการ, "
            f"ไม่เปลี่ยนแปลง {tally['unchanged']} รายการ"
        )
        if logins:
            roles = dict(Membership.Role.choices)
            self.stdout.write(f"บัญชีทดลอง (รหัสผ่าน {DEMO_PASSWORD}):")
            for login in logins:
                self.stdout.write(
                    f"  {login['username']:<18} {roles[login['role']]} — {login['unit']}"
                )
