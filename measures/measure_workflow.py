"""Writing measures: the versioned save, status changes, deletion and progress reports.

Measure.status changes only through set_measure_status. Every save of a measure goes through
save_measure, which refuses a form that was opened before someone else's save (the version it
carries is no longer current) instead of overwriting that save.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from assessments.models import OrgUnit, StateChange
from measures.models import Measure, MeasureStep, ProgressUpdate
from portal_core.history import delete_with_history, save_with_history
from portal_core.versioning import bump_version

Status = Measure.Status
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NOT_STARTED: frozenset({Status.IN_PROGRESS, Status.DONE, Status.CANCELLED}),
    Status.IN_PROGRESS: frozenset({Status.DONE, Status.CANCELLED, Status.NOT_STARTED}),
    Status.DONE: frozenset({Status.IN_PROGRESS}),
    Status.CANCELLED: frozenset({Status.NOT_STARTED}),
}
STALE_MESSAGE = (
    "มีผู้แก้ไขมาตรการนี้ไปแล้วระหว่างที่ท่านกำลังแก้ไข ข้อมูลของท่านยังไม่ถูกบันทึก "
    "กรุณาเปิดมาตรการใหม่เพื่อดูฉบับล่าสุด แล้วแก้ไขอีกครั้ง"
)


class StaleMeasureError(Exception):
    """The measure was saved by someone else after the form was opened."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)


@dataclass(frozen=True)
class StepEntry:
    """One step as entered, in its final position; ``pk`` is None for a new step."""

    pk: int | None
    text: str
    result: str = ""


def allowed_statuses(measure: Measure) -> list[str]:
    """The statuses a measure may move to from its current one, in the order of Status."""
    allowed = ALLOWED_TRANSITIONS[measure.status]
    return [value for value in Status.values if value in allowed]


def offers_done(measure: Measure, latest: ProgressUpdate | None) -> bool:
    """Whether the measure page asks staff to mark the measure done: its latest progress
    report says 100% and done is a move the measure may make."""
    return (
        latest is not None
        and latest.percent == 100
        and Status.DONE in ALLOWED_TRANSITIONS[measure.status]
    )


def _check_divisions(unit: OrgUnit, divisions: list[OrgUnit]) -> None:
    for division in divisions:
        if division.parent_id != unit.pk or division.kind != OrgUnit.Kind.DIVISION:
            raise ValidationError(
                {"responsible_divisions": f"{division} ไม่ใช่ฝ่ายของ{unit.display_name}"}
            )


def _save_steps(measure: Measure, steps: list[StepEntry], *, by) -> None:
    existing = {step.pk: step for step in measure.steps.all()}
    kept = set()
    for position, entry in enumerate(steps, start=1):
        step = existing.get(entry.pk) if entry.pk is not None else None
        if step is None:
            step = MeasureStep(measure=measure)
        else:
            kept.add(step.pk)
            if (step.order, step.text, step.result) == (position, entry.text, entry.result):
                continue
        step.order, step.text, step.result = position, entry.text, entry.result
        save_with_history(step, by=by)
    for pk, step in existing.items():
        if pk not in kept:
            delete_with_history(step, by=by)


@transaction.atomic
def save_measure(
    measure: Measure,
    *,
    divisions: list[OrgUnit],
    steps: list[StepEntry],
    expected_version: int | None,
    by,
) -> Measure:
    """Create or update a measure with its responsible divisions and ordered steps.

    For an existing measure, ``expected_version`` is the version the form was opened with: the
    row's version is raised by a conditional UPDATE (… WHERE version = expected), and when no
    row matches, StaleMeasureError is raised and nothing is written. Divisions must be divisions
    of the measure's unit; "ทุกฝ่าย" (all_divisions) clears the list.
    """
    _check_divisions(measure.unit, divisions)
    if measure.pk is None:
        measure.created_by = by
        measure.version = 1
    else:
        if not bump_version(measure, expected_version):
            raise StaleMeasureError()
    save_with_history(measure, by=by)
    wanted = [] if measure.all_divisions else list(divisions)
    if {d.pk for d in wanted} != set(measure.responsible_divisions.values_list("pk", flat=True)):
        measure._history_user = by
        measure.responsible_divisions.set(wanted)
    _save_steps(measure, steps, by=by)
    return measure


@transaction.atomic
def set_measure_status(measure: Measure, *, status: str, by) -> Measure:
    """Move a measure to another status if ALLOWED_TRANSITIONS permits it from its current
    status in the database; records the move as a StateChange (who and when), raises the
    version and writes history.

    Raises ValidationError with a Thai message for a move that is not allowed.
    """
    current = Measure.objects.select_for_update().get(pk=measure.pk)
    if status not in ALLOWED_TRANSITIONS[current.status]:
        raise ValidationError(
            f"เปลี่ยนสถานะจาก “{current.get_status_display()}” เป็น "
            f"“{Status(status).label if status in Status.values else status}” ไม่ได้"
        )
    source, current.status = current.status, status
    bump_version(current, current.version)  # the row is locked: the version is current
    save_with_history(current, by=by)
    StateChange.record(current, source=source, to=status, by=by)
    for name in ("status", "version", "updated_at"):
        setattr(measure, name, getattr(current, name))
    return measure


def _remove_files_after_commit(names: list[str]) -> None:
    def remove() -> None:
        for name in names:
            ProgressUpdate.evidence_file.field.storage.delete(name)

    if names:
        transaction.on_commit(remove)


@transaction.atomic
def delete_measure(measure: Measure, *, by) -> None:
    """Delete a measure with its steps and progress reports (their files once committed)."""
    files = [p.evidence_file.name for p in measure.progress_updates.all() if p.evidence_file]
    delete_with_history(measure, by=by)
    _remove_files_after_commit(files)


@transaction.atomic
def add_progress(
    measure: Measure,
    *,
    date: datetime.date,
    note: str,
    percent: int | None,
    evidence_file: UploadedFile | None,
    evidence_url: str,
    by,
) -> ProgressUpdate:
    """Record a dated progress report on a measure; the evidence file goes to MEDIA_ROOT.

    A report on a measure not started yet means the work has started: the measure moves to
    in progress through set_measure_status. A 100% report does not finish it by itself; the
    measure page offers staff to mark it done.
    """
    update = ProgressUpdate(
        measure=measure,
        date=date,
        note=note,
        percent=percent,
        evidence_url=evidence_url,
        created_by=by,
    )
    if evidence_file:
        update.evidence_file = evidence_file
    save_with_history(update, by=by)
    if measure.status == Status.NOT_STARTED:
        set_measure_status(measure, status=Status.IN_PROGRESS, by=by)
    return update


@transaction.atomic
def delete_progress(update: ProgressUpdate, *, by) -> None:
    """Delete a progress report and, once committed, its evidence file."""
    files = [update.evidence_file.name] if update.evidence_file else []
    delete_with_history(update, by=by)
    _remove_files_after_commit(files)
