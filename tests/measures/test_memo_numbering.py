"""Running numbers (เลขทะเบียนส่ง): given on approval, per prefix, restarting every 1 January."""

import datetime
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from assessments.models import FiscalYear, OrgUnit
from measures import memo_workflow
from measures.memo_workflow import RenderedMemo, transition_memo
from measures.models import Memo

Status = Memo.Status


def _render(memo: Memo, revision) -> RenderedMemo:
    """Approval stores a rendered revision; numbering does not depend on what it holds, so these
    tests skip WeasyPrint (tests/measures/test_memo_revisions.py renders for real)."""
    return RenderedMemo(html=f"<p>{memo.number}</p>", pdf=f"%PDF-1.7 {revision.code}".encode())


def _submitted(unit_code: str = "dusit", division_code: str | None = "dusit-admin") -> Memo:
    memo = Memo.objects.create(
        unit=OrgUnit.objects.get(code=unit_code),
        division=OrgUnit.objects.get(code=division_code) if division_code else None,
        fiscal_year=FiscalYear.objects.get(year=2566),
        kind=Memo.Kind.RESULTS,
        subject="รายงานผล",
        addressee="ผู้อำนวยการเขต",
        status=Status.SUBMITTED,
    )
    return memo


def _on(monkeypatch, day: datetime.date) -> None:
    monkeypatch.setattr(memo_workflow.timezone, "localdate", lambda: day)


def test_numbers_run_in_order_within_a_prefix_and_year(monkeypatch, central_team):
    _on(monkeypatch, datetime.date(2026, 11, 22))

    numbers = [
        transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)
        for _ in range(3)
    ]

    assert [(m.number_prefix, m.number_year, m.number) for m in numbers] == [
        ("กท ๕๖๐๑", 2569, 1),
        ("กท ๕๖๐๑", 2569, 2),
        ("กท ๕๖๐๑", 2569, 3),
    ]


def test_numbers_restart_on_1_january(monkeypatch, central_team):
    _on(monkeypatch, datetime.date(2025, 12, 31))
    last_year = [
        transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)
        for _ in range(2)
    ]
    _on(monkeypatch, datetime.date(2026, 1, 1))

    new_year = transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)

    assert [(m.number_year, m.number) for m in last_year] == [(2568, 1), (2568, 2)]
    assert (new_year.number_year, new_year.number) == (2569, 1)


def test_the_fiscal_year_change_on_1_october_does_not_reset(monkeypatch, central_team):
    _on(monkeypatch, datetime.date(2026, 9, 30))
    transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)
    _on(monkeypatch, datetime.date(2026, 10, 1))

    memo = transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)

    assert (memo.number_year, memo.number) == (2569, 2)


def test_each_prefix_runs_its_own_numbers(monkeypatch, central_team):
    _on(monkeypatch, datetime.date(2026, 11, 22))
    transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)

    other = transition_memo(
        _submitted("council-secretariat", "council-secretariat-general-admin"),
        to=Status.APPROVED,
        by=central_team,
        render=_render,
    )

    assert (other.number_prefix, other.number) == ("", 1)


def test_the_unit_prefix_is_used_without_a_division(monkeypatch, central_team, dusit):
    _on(monkeypatch, datetime.date(2026, 11, 22))
    OrgUnit.objects.filter(pk=dusit.pk).update(memo_prefix="กท ๕๖๐๐")

    memo = transition_memo(
        _submitted(division_code=None), to=Status.APPROVED, by=central_team, render=_render
    )

    assert (memo.number_prefix, memo.number) == ("กท ๕๖๐๐", 1)


def test_numbers_already_used_are_skipped(monkeypatch, central_team):
    _on(monkeypatch, datetime.date(2026, 11, 22))
    numbered = _submitted()
    Memo.objects.filter(pk=numbered.pk).update(
        status=Status.APPROVED, number_prefix="กท ๕๖๐๑", number_year=2569, number=41
    )

    memo = transition_memo(_submitted(), to=Status.APPROVED, by=central_team, render=_render)

    assert memo.number == 42


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises all writes",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_share_a_number(monkeypatch):
    call_command("load_portal_data", stdout=open("/dev/null", "w"))  # transactional tests flush
    _on(monkeypatch, datetime.date(2026, 11, 22))
    central = OrgUnit.objects.get(code="bma").memberships.get(role="central").user
    memos = [_submitted() for _ in range(8)]
    barrier = threading.Barrier(len(memos))
    errors: list[BaseException] = []

    def approve(memo: Memo) -> None:
        try:
            barrier.wait()
            transition_memo(memo, to=Status.APPROVED, by=central, render=_render)
        except BaseException as exc:  # reported below, from the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(memo,)) for memo in memos]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(
        Memo.objects.filter(pk__in=[m.pk for m in memos]).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 9))
