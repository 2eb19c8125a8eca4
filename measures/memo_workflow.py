"""The memo workflow: drafting, the status moves and the running number given on approval.

Every status change goes through transition_memo(): it checks that the move exists and that the
user may make it, records a StateChange and, on approval, numbers the memo and freezes it as a
MemoRevision. Views never assign ``Memo.status``.

Rendering (HTML templates, WeasyPrint) belongs to the portal layer, which this app may not import,
so the caller hands transition_memo a ``render`` callable (the portal's memo_revisions.renderer)
and approval refuses to run without one: the revision is rendered and stored in the same
transaction that numbers the memo, so no approved memo exists without its revision.

    draft ──submit──▶ submitted ──approve──▶ approved ──publish──▶ published
      ▲                   │                     │  ▲                  │
      └──── return for revision (comment) ──────┘  └──── unpublish ───┘
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.access import can_edit_unit
from assessments.models import Assessment, PublicationVersion, StateChange
from measures.access import can_approve_memo
from measures.memo_content import TREND_YEARS
from measures.models import (
    Memo,
    MemoNumberCounter,
    MemoRevision,
    MemoSignature,
)
from portal_core.thai import be_year
from portal_core.versioning import bump_version

Status = Memo.Status


@dataclass(frozen=True)
class Move:
    """One allowed status change: who may make it and what the button says."""

    source: str
    target: str
    label: str
    approver: bool  # True: director/central (can_approve_memo); False: unit staff (editors)
    needs_comment: bool = False


MOVES: tuple[Move, ...] = (
    Move(Status.DRAFT, Status.SUBMITTED, "เสนอพิจารณา", approver=False),
    Move(Status.SUBMITTED, Status.APPROVED, "อนุมัติและออกเลขที่", approver=True),
    Move(Status.SUBMITTED, Status.DRAFT, "ส่งกลับแก้ไข", approver=True, needs_comment=True),
    Move(Status.APPROVED, Status.PUBLISHED, "เผยแพร่ต่อสาธารณะ", approver=True),
    Move(Status.APPROVED, Status.DRAFT, "ส่งกลับแก้ไข", approver=True, needs_comment=True),
    Move(Status.PUBLISHED, Status.APPROVED, "ยกเลิกการเผยแพร่", approver=True),
)


def find_move(source: str, target: str) -> Move | None:
    """The move from ``source`` to ``target``, or None when the workflow has no such move."""
    return next((m for m in MOVES if m.source == source and m.target == target), None)


def may_make(user, memo: Memo, move: Move) -> bool:
    """Whether the user may make this move on this memo (approvers, or the unit's editors)."""
    if move.approver:
        return can_approve_memo(user, memo)
    return can_edit_unit(user, memo.unit)


def moves_for(user, memo: Memo) -> list[Move]:
    """The moves the user may make on the memo now, for the buttons on the memo page."""
    return [m for m in MOVES if m.source == memo.status and may_make(user, memo, m)]


def next_number(prefix: str, year: int) -> int:
    """Take the next running number under ``prefix`` in the Buddhist-era calendar ``year``.

    Must run inside a transaction. The counter row is created if missing (a concurrent creator
    loses the unique-constraint race and re-reads it), then locked with SELECT … FOR UPDATE, so
    concurrent approvals on PostgreSQL queue up and never share a number. Numbers already used
    by memos numbered another way (the admin, imported data) are skipped.
    """
    MemoNumberCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = MemoNumberCounter.objects.select_for_update().get(prefix=prefix, year=year)
    used = (
        Memo.objects.filter(number_prefix=prefix, number_year=year).aggregate(m=Max("number"))["m"]
        or 0
    )
    counter.last_number = max(counter.last_number, used) + 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@dataclass(frozen=True)
class RenderedMemo:
    """A memo as issued: the HTML of the document, its PDF and its Word copy."""

    html: str
    pdf: bytes
    docx: bytes = b""


# Renders the memo as it is now, for the revision being made (its number and code are set).
MemoRenderer = Callable[[Memo, MemoRevision], RenderedMemo]


def unpublished_results_of_other_units(memo: Memo) -> list[Assessment]:
    """Assessments of other units the memo shows that are not published.

    A memo shows the scores of the assessment it cites; a measures plan also shows that unit's
    trend over TREND_YEARS years (measures.memo_content.result_summary). The memo's own unit's
    results are its own to disclose, so only other units' count.
    """
    cited = memo.assessment
    if cited is None or cited.unit_id == memo.unit_id:
        return []
    shown = Assessment.objects.filter(pk=cited.pk)
    if memo.kind == Memo.Kind.MEASURES_PLAN:
        year = cited.fiscal_year.year
        shown = Assessment.objects.filter(
            unit_id=cited.unit_id, fiscal_year__year__range=(year - TREND_YEARS + 1, year)
        )
    return list(shown.filter(published_at__isnull=True).select_related("unit", "fiscal_year"))


def _refuse_unpublished_results_of_other_units(memo: Memo) -> None:
    hidden = unpublished_results_of_other_units(memo)
    if hidden:
        names = ", ".join(
            f"{a.unit.short_name or a.unit.name} ปี {a.fiscal_year.year}" for a in hidden
        )
        raise ValidationError(
            f"บันทึกข้อความนี้แสดงผลการประเมินของหน่วยงานอื่นที่ยังไม่เผยแพร่ ({names}) "
            "จึงอนุมัติหรือเผยแพร่ไม่ได้ ให้ส่งกลับแก้ไขและเลือกผลการประเมินที่เผยแพร่แล้ว"
        )


def freeze_revision(memo: Memo, *, render: MemoRenderer, by) -> MemoRevision:
    """Render the memo as it is now and store it as its next revision (inside the caller's
    transaction, with the memo row locked). A revision after the first gives as its reason the
    comment of the latest return for revision."""
    last = memo.revisions.aggregate(n=Max("number"))["n"] or 0
    reason = ""
    if last:
        returned = memo.state_changes.filter(to_state=Status.DRAFT).order_by("-at", "-pk").first()
        reason = returned.comment if returned else ""
    revision = MemoRevision(memo=memo, number=last + 1, reason=reason, created_by=by)
    rendered = render(memo, revision)
    revision.html, revision.pdf, revision.docx = rendered.html, rendered.pdf, rendered.docx
    revision.save()
    return revision


@transaction.atomic
def transition_memo(
    memo: Memo, *, to: str, by, comment: str = "", render: MemoRenderer | None = None
) -> Memo:
    """Move a memo to status ``to`` as user ``by``; returns the updated memo.

    Raises ValidationError (Thai message) for a move the workflow does not have, a return
    without a comment, or an approval or publication of a memo that shows another unit's
    unpublished results; PermissionDenied when the user may not make the move. Approval gives
    the memo its number (kept when it is returned and approved again): the prefix of its division
    (else its unit), the Buddhist-era calendar year of the approval date and the next running
    number of that prefix and year; then ``render`` (required for approval) renders it and the
    result is stored as its next MemoRevision.
    """
    locked = (
        Memo.objects.select_for_update(of=("self",))
        .select_related("unit", "division")
        .get(pk=memo.pk)
    )
    move = find_move(locked.status, to)
    if move is None:
        raise ValidationError(
            f"ไม่สามารถเปลี่ยนสถานะจาก “{locked.get_status_display()}” "
            f"เป็น “{Status(to).label if to in Status.values else to}” ได้"
        )
    if not may_make(by, locked, move):
        raise PermissionDenied("ท่านไม่มีสิทธิ์ดำเนินการนี้กับบันทึกข้อความของหน่วยงานนี้")
    comment = comment.strip()
    if move.needs_comment and not comment:
        raise ValidationError({"comment": "กรุณาระบุเหตุผลที่ส่งกลับแก้ไข"})

    approving = move.source == Status.SUBMITTED and move.target == Status.APPROVED
    if approving and render is None:
        raise TypeError("approving a memo needs render= (ita_portal.memo_revisions.renderer)")
    if approving or move.target == Status.PUBLISHED:
        _refuse_unpublished_results_of_other_units(locked)

    if approving and locked.number is None:
        locked.number_prefix = locked.prefix_source
        locked.number_year = be_year(timezone.localdate())
        locked.number = next_number(locked.number_prefix, locked.number_year)
    locked.status = move.target
    bump_version(locked, locked.version)  # the row is locked: the version is current
    locked.full_clean()
    locked.save()
    if approving:
        freeze_revision(locked, render=render, by=by)
    StateChange.record(locked, source=move.source, to=move.target, by=by, comment=comment)
    if Status.PUBLISHED in (move.source, move.target):
        PublicationVersion.bump()  # the public pages list published memos: retire their cache
    return locked


@dataclass(frozen=True)
class SignatureData:
    """One signer as the form hands it over."""

    order: int
    endorsement: str
    remark: str
    name: str
    position: str


@transaction.atomic
def save_memo_draft(
    memo: Memo,
    *,
    fields: Mapping[str, object],
    signatures: Iterable[SignatureData],
    by,
    expected_version: int | None = None,
) -> Memo:
    """Create or update a draft memo and replace its signature chain.

    Only drafts may change; a form opened before someone else saved (``expected_version`` behind
    the stored one) is refused rather than overwriting their work.
    """
    if memo.pk:
        current = Memo.objects.select_for_update().get(pk=memo.pk)
        if current.status != Status.DRAFT:
            raise ValidationError("แก้ไขได้เฉพาะบันทึกข้อความที่เป็นร่าง")
        expected = current.version if expected_version is None else expected_version
        if not bump_version(memo, expected):
            raise ValidationError("บันทึกข้อความนี้ถูกแก้ไขโดยผู้อื่นแล้ว กรุณาเปิดหน้าแก้ไขใหม่")
        memo.status = current.status
    else:
        memo.created_by = by
    for name, value in fields.items():
        setattr(memo, name, value)
    memo.full_clean()
    memo.save()
    memo.signatures.all().delete()
    MemoSignature.objects.bulk_create(
        MemoSignature(
            memo=memo,
            order=item.order,
            endorsement=item.endorsement,
            remark=item.remark,
            name=item.name,
            position=item.position,
        )
        for item in signatures
    )
    return memo
