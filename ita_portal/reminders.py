"""The weekly reminder e-mail: one per user and week, in Thai, as HTML and plain text, with
links to the portal's pages (measures.reminders says what it holds).

`manage.py send_reminders` (weekly, by cron) queues one task per user who has an e-mail address
and has not turned the reminder off (ita_portal.tasks.send_weekly_reminder). Each task claims
the user's week in ReminderPreference under a row lock before sending, so a second run of the
same week, or a retried task, sends nothing twice; a failed send rolls the claim back.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.access import is_central
from assessments.models import FiscalYear
from ita_portal.models import ReminderPreference
from measures.reminders import REMINDER_DAYS, Digest, digest_for, units_not_ready
from portal_core.thai import thai_date


def week_of(day: datetime.date) -> datetime.date:
    """The Monday that starts the week of ``day``."""
    return day - datetime.timedelta(days=day.weekday())


def portal_url(path: str) -> str:
    """An absolute address of a portal page, for e-mails (PORTAL_URL + path)."""
    return settings.PORTAL_URL + path


def recipients():
    """Active users with an e-mail address who have not turned the weekly reminder off."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(reminder_preference__weekly_digest=False)
        .order_by("pk")
    )


def central_not_ready(user, today: datetime.date):
    """The central team's list of units not ready this fiscal year (None for anyone else)."""
    if not is_central(user):
        return None
    fiscal_year = FiscalYear.objects.filter(year=FiscalYear.year_of(today)).first()
    return units_not_ready(fiscal_year) if fiscal_year else []


def digest_rows(digest: Digest) -> dict:
    """The e-mail's lists, each row with the absolute address of its page, and the addresses of
    the pages that hold the whole lists."""

    def measure_rows(items):
        return [
            (item, portal_url(reverse("measures:measure-detail", kwargs={"pk": item.measure.pk})))
            for item in items
        ]

    year = digest.readiness_year
    return {
        "overdue": measure_rows(digest.overdue),
        "due_soon": measure_rows(digest.due_soon),
        "memos": [(memo, portal_url(memo.get_absolute_url())) for memo in digest.memos_waiting],
        "units": [
            (row, portal_url(reverse("measures:disclosure", args=[row.unit.code, year])))
            for row in digest.units_not_ready
        ],
        "tracker_url": portal_url(reverse("dashboards:measures")),
        "readiness_url": portal_url(reverse("dashboards:disclosure", kwargs={"year": year}))
        if year
        else "",
        "preferences_url": portal_url(reverse("staff:reminders")),
        "portal_url": portal_url("/"),
    }


def digest_message(user, digest: Digest) -> EmailMultiAlternatives:
    """The e-mail of ``digest`` to ``user``: Thai subject, plain text with an HTML alternative."""
    context = {
        "user": user,
        "digest": digest,
        **digest_rows(digest),
        "days": REMINDER_DAYS,
        "today_text": thai_date(digest.today, thai=False),
    }
    subject = f"ITA Portal: สรุปงานประจำสัปดาห์ {thai_date(digest.today, thai=False)}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/weekly_digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/weekly_digest.html", context), "text/html")
    return message


@transaction.atomic
def send_digest(*, user, today: datetime.date) -> bool:
    """Send ``user`` this week's reminder unless it was sent already, they turned it off or
    there is nothing to tell; True when an e-mail went out."""
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    week = week_of(today)
    if not preference.weekly_digest or preference.last_sent_week == week or not user.email:
        return False
    digest = digest_for(user, today, not_ready=central_not_ready(user, today))
    if digest.empty:
        return False
    digest_message(user, digest).send()
    preference.last_sent_week = week
    preference.save(update_fields=["last_sent_week", "updated_at"])
    return True


def weekly_recipients_for(today: datetime.date):
    """The recipients not yet sent this week's reminder (what send_reminders queues)."""
    week = week_of(today)
    return recipients().filter(
        Q(reminder_preference__isnull=True)
        | Q(reminder_preference__last_sent_week__isnull=True)
        | Q(reminder_preference__last_sent_week__lt=week)
    )


@transaction.atomic
def set_weekly_digest(*, user, enabled: bool) -> ReminderPreference:
    """Turn the user's weekly reminder on or off."""
    preference, _ = ReminderPreference.objects.select_for_update().get_or_create(user=user)
    preference.weekly_digest = enabled
    preference.save(update_fields=["weekly_digest", "updated_at"])
    return preference
