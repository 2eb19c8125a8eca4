"""The portal's background tasks (Django's task API; the queue is configured by TASKS in
settings.py and processed by `manage.py run_worker`). Arguments are plain JSON values: ids and
ISO dates."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tasks import task

from ita_portal.memo_pack import build_pack
from ita_portal.models import MemoPack
from ita_portal.reminders import send_digest


@task()
def send_weekly_reminder(user_id: int, day: str) -> bool:
    """Send one user the reminder of the week of ``day`` (at most once that week)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return send_digest(user=user, today=datetime.date.fromisoformat(day))


@task()
def build_memo_pack(pack_id: int) -> int:
    """Build a bulk memo pack; returns how many memos went into it."""
    return build_pack(MemoPack.objects.select_related("fiscal_year").get(pk=pack_id)).memos_done


@transaction.atomic
def order_memo_pack(*, kind: str, fiscal_year, user) -> MemoPack:
    """Record a new pack and queue its build in one transaction: the queue is a table of the
    same database, so either both are there or neither."""
    pack = MemoPack.objects.create(kind=kind, fiscal_year=fiscal_year, requested_by=user)
    result = build_memo_pack.enqueue(pack.pk)
    MemoPack.objects.filter(pk=pack.pk).update(task_id=str(result.id))
    return pack
