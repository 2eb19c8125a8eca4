"""The weekly reminder e-mail: what each role is told, sent through a real local SMTP server
(aiosmtpd) and parsed back; the per-user switch; one e-mail per user and week."""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from assessments.models import FiscalYear, Membership, OrgUnit, Tool
from ita_portal.models import ReminderPreference
from ita_portal.reminders import send_digest
from measures.models import DisclosureItem, Measure, Memo
from measures.reminders import digest_for, units_not_ready
from tests.factories import MeasureFactory, MembershipFactory, UserFactory

TODAY = datetime.date(2026, 12, 7)  # a Monday of fiscal year 2570
PORTAL = "https://ita.example.go.th"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def staff_user(db):
    return MembershipFactory(
        user=UserFactory(email="staff@example.go.th"),
        unit=OrgUnit.objects.get(code="pathum-wan"),
        role=Membership.Role.STAFF,
    ).user


@pytest.fixture
def staff_measures(staff_user):
    unit = OrgUnit.objects.get(code="pathum-wan")
    year = FiscalYear.objects.get(year=2570)

    def measure(title, deadline, **extra):
        return MeasureFactory(
            unit=unit, fiscal_year=year, title=title, deadline=deadline, indicator=None, **extra
        )

    return {
        "overdue": measure("มาตรการที่เลยกำหนดแล้ว", days(-3)),
        "soon": measure("มาตรการที่ครบกำหนดในสองสัปดาห์", days(14)),
        "later": measure("มาตรการที่ยังอีกนาน", days(15)),
        "done": measure("มาตรการที่เสร็จแล้ว", days(2), status=Measure.Status.DONE),
        "draft": measure("มาตรการร่างที่คัดลอกมา", days(2), draft=True),
    }


def titles(digest) -> set[str]:
    return {item.measure.title for item in digest.overdue + digest.due_soon}


def test_staff_are_told_their_overdue_measures_and_those_due_within_14_days(
    staff_measures, staff_user
):
    digest = digest_for(staff_user, TODAY)

    assert staff_measures["overdue"].title in {d.measure.title for d in digest.overdue}
    assert staff_measures["soon"].title in {d.measure.title for d in digest.due_soon}
    assert not titles(digest) & {"มาตรการที่ยังอีกนาน", "มาตรการที่เสร็จแล้ว", "มาตรการร่างที่คัดลอกมา"}
    assert [d.late_days for d in digest.overdue if d.measure == staff_measures["overdue"]] == [3]


def test_staff_of_another_unit_are_not_told_these_measures(staff_measures):
    other = MembershipFactory(user=UserFactory(email="x@example.go.th"), role="staff").user

    assert not titles(digest_for(other, TODAY)) & {m.title for m in staff_measures.values()}


def test_directors_are_told_the_memos_waiting_for_their_approval(db):
    director = MembershipFactory(
        user=UserFactory(email="director@example.go.th"),
        unit=OrgUnit.objects.get(code="pathum-wan"),
        role=Membership.Role.DIRECTOR,
    ).user
    waiting = Memo.objects.filter(unit__code="pathum-wan").first()
    Memo.objects.filter(pk=waiting.pk).update(status=Memo.Status.SUBMITTED)

    digest = digest_for(director, TODAY)

    assert [m.pk for m in digest.memos_waiting] == [waiting.pk]
    assert digest.overdue == digest.due_soon == []


def test_the_central_team_is_told_the_units_not_ready_with_their_counts(central_team):
    year = FiscalYear.objects.get(year=2570)
    not_ready = units_not_ready(year)

    digest = digest_for(central_team, TODAY, not_ready=not_ready)

    assert digest.readiness_year == 2570
    row = next(r for r in digest.units_not_ready if r.unit.code == "dusit")
    assert (
        row.disclosed
        == DisclosureItem.objects.filter(
            unit__code="dusit", fiscal_year=year, status=DisclosureItem.Status.PUBLISHED
        ).count()
    )
    assert row.total > row.disclosed
    assert all(r.unit.kind != OrgUnit.Kind.DIVISION for r in not_ready)


def test_a_district_office_is_counted_against_its_own_frameworks_oit_items(db):
    year = FiscalYear.objects.get(year=2566)
    oit = {"indicator__tool__code": Tool.Code.OIT}
    district_items = year.district_framework.questions.filter(**oit).count()
    general_items = year.framework.questions.filter(**oit).count()
    assert district_items != general_items

    totals = {r.unit.kind: r.total for r in units_not_ready(year)}

    assert totals[OrgUnit.Kind.DISTRICT] == district_items
    assert totals[OrgUnit.Kind.AGENCY] == general_items


def test_someone_with_nothing_to_do_gets_no_email(db):
    idle = UserFactory(email="idle@example.go.th")

    assert send_digest(user=idle, today=TODAY) is False
    assert mail.outbox == []


def test_a_user_who_turned_the_reminder_off_gets_none(staff_measures, staff_user):
    ReminderPreference.objects.create(user=staff_user, weekly_digest=False)

    call_command("send_reminders", date=TODAY.isoformat(), stdout=open("/dev/null", "w"))

    assert [m for m in mail.outbox if staff_user.email in m.to] == []


def test_a_second_run_in_the_same_week_sends_nothing_twice(staff_measures, staff_user):
    assert send_digest(user=staff_user, today=TODAY) is True
    assert send_digest(user=staff_user, today=days(3)) is False
    assert send_digest(user=staff_user, today=days(7)) is True

    assert len([m for m in mail.outbox if staff_user.email in m.to]) == 2


def test_the_reminder_switch_page_turns_the_email_off_and_on(client, staff_user):
    client.force_login(staff_user)
    url = reverse("staff:reminders")

    page = client.get(url)
    assert "รับอีเมลสรุป" in page.content.decode()
    assert f'href="{url}"' in page.content.decode()  # linked from the staff navigation

    client.post(url, {})
    assert ReminderPreference.objects.get(user=staff_user).weekly_digest is False
    client.post(url, {"weekly_digest": "on"})
    assert ReminderPreference.objects.get(user=staff_user).weekly_digest is True


def test_the_reminder_switch_needs_a_login(client, db):
    assert client.get(reverse("staff:reminders")).status_code == 302


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; the portal's e-mail settings point at it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.PORTAL_URL = PORTAL
    yield inbox
    controller.stop()


def test_the_weekly_reminder_arrives_over_smtp_in_thai_with_both_parts_and_links(
    smtp_server, staff_measures, staff_user
):
    call_command("send_reminders", date=TODAY.isoformat(), stdout=open("/dev/null", "w"))

    [message] = [m for m in smtp_server.messages if m["To"] == staff_user.email]
    # Django folds the encoded subject onto a continuation line; the parser keeps its space.
    assert message["Subject"].strip() == "ITA Portal: สรุปงานประจำสัปดาห์ 7 ธันวาคม 2569"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    measure_url = PORTAL + reverse("measures:measure-detail", args=[staff_measures["soon"].pk])
    switch_url = PORTAL + reverse("staff:reminders")
    assert "มาตรการที่เกินกำหนด" in text and "มาตรการที่ครบกำหนดภายใน 14 วัน" in text
    assert "มาตรการที่ครบกำหนดในสองสัปดาห์ (อีก 14 วัน)" in text
    assert "เกินกำหนด 3 วัน" in text
    assert measure_url in text and switch_url in text
    assert f'<a href="{measure_url}">มาตรการที่ครบกำหนดในสองสัปดาห์</a>' in html
    assert f'href="{switch_url}"' in html
    assert "มาตรการที่ยังอีกนาน" not in text
