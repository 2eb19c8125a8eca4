"""Faults on the real PostgreSQL: concurrent writers, and a database error in mid-import.

- Two concurrent approvals never share a memo number: see
  tests/measures/test_memo_numbering.py::test_concurrent_approvals_never_share_a_number (eight
  threads approve at once and get 1…8).
- Two concurrent edits of one measure never lose an update: both open the same version; exactly one
  save wins, the other gets the Thai stale-edit refusal, and the row holds the winner's values.
  Two concurrent status changes likewise: exactly one happens.
- Two concurrent POSTs of one create form (a double click) create one measure: the second waits
  for the first's claim of the form token and is sent to the measure the first created.
- A database error in the middle of an import leaves nothing behind: the check constraint on a
  score fails in the last bulk write, after earlier writes went through, and every score row and
  history row is as before.

Each thread has its own database connection (Django opens one per thread). SQLite serialises all
writers, so these tests need PostgreSQL.
"""

import io
import threading
import time
from decimal import Decimal
from io import StringIO

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from assessments import resources
from assessments.models import (
    Assessment,
    FiscalYear,
    Indicator,
    IndicatorScore,
    OrgUnit,
    QuestionScore,
    SubIndicatorScore,
    ToolScore,
)
from assessments.score_sheets import (
    ITEMS_HEADERS,
    ITEMS_SHEET,
    QUESTIONS_HEADERS,
    QUESTIONS_SHEET,
    import_score_workbook,
)
from assessments.submissions import TOKEN_FIELD, new_token
from measures import measure_workflow
from measures.measure_workflow import STALE_MESSAGE, set_measure_status
from measures.models import Measure
from tests.factories import measure_form_data

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="concurrent writers need PostgreSQL's row locks; SQLite serialises all writes",
    ),
    pytest.mark.django_db(transaction=True),
]

HOLD_SECONDS = 0.5  # how long the first writer keeps its transaction open


@pytest.fixture(autouse=True)
def demo_data():
    """Transactional tests start from a flushed database: load the portal data again."""
    call_command("load_portal_data", stdout=StringIO())


def run_together(*jobs):
    """Run the jobs in threads started at the same moment; their results (or exceptions)."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except BaseException as exc:  # compared by the test, from the main thread
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def slow_steps(monkeypatch):
    """Keep every measure save's transaction open a while after its version bump, so the second
    writer's UPDATE really waits on the first writer's row lock."""
    original = measure_workflow._save_steps

    def hold(measure, steps, *, by):
        original(measure, steps, by=by)
        time.sleep(HOLD_SECONDS)

    monkeypatch.setattr(measure_workflow, "_save_steps", hold)


def test_two_concurrent_edits_of_one_measure_never_lose_an_update(monkeypatch):
    measure = Measure.objects.filter(unit__code="dusit").order_by("pk").first()
    staff = OrgUnit.objects.get(code="dusit").memberships.filter(role="staff").first().user
    opened = measure.version
    url = reverse("measures:measure-edit", kwargs={"pk": measure.pk})
    slow_steps(monkeypatch)

    def edit(title: str):
        def post():
            client = Client()
            client.force_login(staff)
            return client.post(url, measure_form_data(measure, title=title, version=opened))

        return post

    first, second = run_together(edit("ฉบับของผู้แก้ไขคนแรก"), edit("ฉบับของผู้แก้ไขคนที่สอง"))

    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 302], (first, second)
    winner, loser = (first, second) if first.status_code == 302 else (second, first)
    won_title = "ฉบับของผู้แก้ไขคนแรก" if winner is first else "ฉบับของผู้แก้ไขคนที่สอง"
    assert loser.context["form"].non_field_errors() == [STALE_MESSAGE]
    measure.refresh_from_db()
    assert (measure.title, measure.version) == (won_title, opened + 1)
    assert measure.history.filter(title=won_title).count() == 1
    assert not measure.history.exclude(title=won_title).filter(version__gt=opened).exists()


def test_two_concurrent_status_changes_of_one_measure_happen_once():
    measure = Measure.objects.filter(unit__code="dusit").order_by("pk").first()
    Measure.objects.filter(pk=measure.pk).update(status=Measure.Status.NOT_STARTED)
    measure.refresh_from_db()
    central = OrgUnit.objects.get(code="bma").memberships.get(role="central").user
    version = measure.version

    def start():
        stale_copy = Measure.objects.get(pk=measure.pk)
        return set_measure_status(stale_copy, status=Measure.Status.IN_PROGRESS, by=central)

    results = run_together(start, start)

    refused = [r for r in results if isinstance(r, ValidationError)]
    done = [r for r in results if isinstance(r, Measure)]
    assert (len(done), len(refused)) == (1, 1), results
    assert refused[0].messages == ["เปลี่ยนสถานะจาก “กำลังดำเนินการ” เป็น “กำลังดำเนินการ” ไม่ได้"]
    measure.refresh_from_db()
    assert (measure.status, measure.version) == (Measure.Status.IN_PROGRESS, version + 1)
    assert measure.history.filter(version=version + 1).count() == 1


def test_two_concurrent_posts_of_one_create_form_create_one_measure(monkeypatch):
    staff = OrgUnit.objects.get(code="dusit").memberships.filter(role="staff").first().user
    fy2565 = FiscalYear.objects.get(year=2565)
    url = reverse("measures:measure-create", kwargs={"code": "dusit", "year": 2565})
    data = measure_form_data(
        title="มาตรการที่กดบันทึกสองครั้ง",
        indicator=Indicator.objects.get(framework_id=fy2565.framework_id, number=2).pk,
        steps=[{"text": "ประชุมชี้แจง", "result": "", "ORDER": "1"}],
    )
    data[TOKEN_FIELD] = new_token()
    slow_steps(monkeypatch)

    def post():
        client = Client()
        client.force_login(staff)
        return client.post(url, data)

    first, second = run_together(post, post)

    measures = Measure.objects.filter(title="มาตรการที่กดบันทึกสองครั้ง")
    assert measures.count() == 1, (first, second)
    detail = reverse("measures:measure-detail", kwargs={"pk": measures.get().pk})
    assert [first.status_code, second.status_code] == [302, 302]
    assert [first.url, second.url] == [detail, detail]


# --- a database error in the middle of an import --------------------------------------------


def score_workbook() -> bytes:
    """dusit 2564: indicator 1 → 95 and I7 → 70 (both differ from the demo data)."""
    book = openpyxl.Workbook()
    items = book.active
    items.title = ITEMS_SHEET
    items.append(ITEMS_HEADERS)
    items.append(["dusit", "", 2564, "ตัวชี้วัด", 1, None, "", 95, None])
    questions = book.create_sheet(QUESTIONS_SHEET)
    questions.append(QUESTIONS_HEADERS)
    questions.append(["dusit", "", 2564, 2, "I7", "", 70, 19.28, None])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def score_state() -> dict[str, list]:
    """Every score row and every history row of the scores, in a comparable form."""
    state = {}
    for model in (Assessment, ToolScore, IndicatorScore, SubIndicatorScore, QuestionScore):
        state[model.__name__] = sorted(model.objects.order_by().values_list(), key=repr)
        if hasattr(model, "history"):
            state[f"{model.__name__} history"] = model.history.count()
    return state


def test_a_database_error_in_the_middle_of_an_import_leaves_nothing_behind(monkeypatch):
    dusit = OrgUnit.objects.get(code="dusit")
    staff = dusit.memberships.filter(role="staff").first().user
    data = score_workbook()
    before = score_state()
    calls = []
    real_update = resources.bulk_update_with_history

    def fail_on_the_second_write(objs, model, fields, **kwargs):
        """The first bulk write goes through; the second breaks the score check constraint,
        so PostgreSQL itself raises (an IntegrityError) halfway through the import."""
        calls.append(model.__name__)
        if len(calls) == 2:
            objs[0].score = Decimal("150.00")
        return real_update(objs, model, fields, **kwargs)

    monkeypatch.setattr(resources, "bulk_update_with_history", fail_on_the_second_write)

    report = import_score_workbook(
        data,
        units=[dusit],
        fiscal_year=FiscalYear.objects.get(year=2564),
        user=staff,
        dry_run=False,
    )

    assert len(calls) == 2, calls  # the fault really came after a first, successful write
    assert not report.ok
    assert any("เกิดข้อผิดพลาดในการบันทึก" in e.message for e in report.errors)
    assert score_state() == before


def test_the_same_import_without_the_fault_writes_both_sheets():
    """The workbook of the fault test is a good one: without the fault both changes are kept."""
    dusit = OrgUnit.objects.get(code="dusit")
    staff = dusit.memberships.filter(role="staff").first().user

    report = import_score_workbook(
        score_workbook(),
        units=[dusit],
        fiscal_year=FiscalYear.objects.get(year=2564),
        user=staff,
        dry_run=False,
    )

    assert report.ok, report.errors
    i7 = QuestionScore.objects.get(
        assessment__unit=dusit, assessment__fiscal_year__year=2564, question__code="I7"
    )
    assert i7.score == Decimal("70.00")
    indicator_1 = IndicatorScore.objects.get(
        assessment__unit=dusit, assessment__fiscal_year__year=2564, indicator__number=1
    )
    assert indicator_1.score == Decimal("95.00")
