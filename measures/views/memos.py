"""Staff pages of memos: the unit's list and drafting (header, paragraphs, signature chain). The
memo itself (HTML and PDF) and its status moves, whose approval renders it, are in
ita_portal/views/memos.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.access import can_edit_unit, get_unit_for_user, get_unit_year_for_user
from assessments.submissions import create_once
from measures.access import get_for_user, visible_to
from measures.memo_content import default_assessment
from measures.memo_drafts import drafted_fields, drafted_signatures, save_signatories
from measures.memo_forms import MemoForm, MemoPhotoForm, SignatoryFormSet, SignatureFormSet
from measures.memo_photos import add_memo_photo, remove_memo_photo
from measures.memo_workflow import save_memo_draft
from measures.models import Memo

MEMOS = Memo.objects.select_related("unit", "division", "fiscal_year")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def memo_list(request, code: str, year: int):
    """The unit's memos of the fiscal year, with their status and number."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year)
    memos = list(visible_to(MEMOS.filter(unit=unit, fiscal_year=fiscal_year), request.user))
    return render(
        request,
        "measures/memo_list.html",
        {
            "unit": unit,
            "fiscal_year": fiscal_year,
            "memos": memos,
            "kinds": Memo.Kind.choices,
            "can_edit": can_edit_unit(request.user, unit),
        },
    )


def _edit_page(request, *, memo: Memo, unit, fiscal_year, signatures: list[dict] | None = None):
    form = MemoForm(request.POST or None, instance=memo, unit=unit)
    formset = SignatureFormSet(
        request.POST or None, instance=memo, prefix="signatures", unit=unit, initial=signatures
    )
    creating = memo.pk is None

    def save() -> Memo | None:
        if not (form.is_valid() and formset.is_valid()):
            return None
        try:
            return save_memo_draft(
                memo,
                fields=form.memo_fields(),
                signatures=formset.signatures(),
                by=request.user,
                expected_version=None if creating else form.cleaned_data["version"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return None

    if request.method == "POST" and creating:
        created = create_once(
            request, save, url_of=Memo.get_absolute_url, done="สร้างร่างบันทึกข้อความแล้ว"
        )
        if created is not None:
            return created
    elif request.method == "POST" and save() is not None:
        messages.success(request, "บันทึกร่างแล้ว")
        return redirect(memo)
    return render(
        request,
        "measures/memo_edit.html",
        {
            "form": form,
            "formset": formset,
            "memo": memo,
            "unit": unit,
            "fiscal_year": fiscal_year,
            "photos": list(memo.photos.all()) if memo.pk else [],
            "photo_form": MemoPhotoForm(memo=memo) if memo.pk else None,
        },
    )


@login_required
def memo_create(request, code: str, year: int):
    """Draft a new memo of the unit for the fiscal year: it cites the results of the year before
    (which the year's measures answer) unless the form says otherwise; ``?kind=`` picks its kind,
    whose header, paragraphs and signers are drafted by measures.memo_drafts."""
    unit, fiscal_year = get_unit_year_for_user(request, code, year, write=True)
    memo = Memo(
        unit=unit, fiscal_year=fiscal_year, assessment=default_assessment(unit, fiscal_year)
    )
    signatures = None
    if request.GET.get("kind") in Memo.Kind.values:
        memo.kind = request.GET["kind"]
        drafted = drafted_fields(
            unit=unit, fiscal_year=fiscal_year, kind=memo.kind, assessment=memo.assessment
        )
        for name, value in drafted.items():
            setattr(memo, name, value)
        signatures = drafted_signatures(unit=unit, kind=memo.kind)
    return _edit_page(request, memo=memo, unit=unit, fiscal_year=fiscal_year, signatures=signatures)


@login_required
def memo_edit(request, pk: int):
    """Edit a draft memo (only drafts change; a returned memo is a draft again)."""
    memo = get_for_user(request, MEMOS, pk, write=True)
    if memo.status != Memo.Status.DRAFT:
        messages.error(request, "แก้ไขได้เฉพาะบันทึกข้อความที่เป็นร่าง")
        return redirect(memo)
    return _edit_page(request, memo=memo, unit=memo.unit, fiscal_year=memo.fiscal_year)


def _photos_url(memo: Memo) -> str:
    return reverse("measures:memo-edit", kwargs={"pk": memo.pk}) + "#photos"


@login_required
@require_POST
def memo_photo_add(request, pk: int):
    """Add a photo to a draft memo: an evidence image of its measures or an upload."""
    memo = get_for_user(request, MEMOS, pk, write=True)
    form = MemoPhotoForm(request.POST, request.FILES, memo=memo)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_photos_url(memo))
    try:
        add_memo_photo(
            memo,
            caption=form.cleaned_data["caption"],
            upload=form.cleaned_data["upload"],
            evidence=form.cleaned_data["evidence"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "เพิ่มภาพประกอบแล้ว")
    return redirect(_photos_url(memo))


@login_required
@require_POST
def memo_photo_delete(request, pk: int, photo: int):
    """Take a photo out of a draft memo."""
    memo = get_for_user(request, MEMOS, pk, write=True)
    try:
        remove_memo_photo(get_object_or_404(memo.photos, pk=photo))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "ลบภาพประกอบแล้ว")
    return redirect(_photos_url(memo))


@login_required
def signatory_list(request, code: str):
    """The people who sign the unit's memos (name and position as printed): staff keep the list,
    and the memo form offers it for each signer."""
    unit = get_unit_for_user(request, code, write=request.method == "POST")
    formset = SignatoryFormSet(
        request.POST or None, queryset=unit.signatories.all(), prefix="signatories"
    )
    if request.method == "POST" and formset.is_valid():
        kept = save_signatories(unit, entries=formset.entries())
        messages.success(request, f"บันทึกรายชื่อผู้ลงนามแล้ว ({len(kept)} คน)")
        return redirect("measures:signatory-list", code=unit.code)
    return render(
        request,
        "measures/signatory_list.html",
        {"unit": unit, "formset": formset, "can_edit": can_edit_unit(request.user, unit)},
    )
