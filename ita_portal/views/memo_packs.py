"""The central team's bulk memo packs: order one (a kind and a fiscal year), watch its progress,
download the ZIP (ita_portal.memo_pack builds it in the background)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from assessments.access import is_central
from assessments.models import FiscalYear
from ita_portal.memo_pack import mark_lost, pack_filename
from ita_portal.models import MemoPack
from ita_portal.tasks import order_memo_pack
from measures.models import Memo

PACKS_SHOWN = 20
# The progress page reloads itself (a meta refresh: the policy allows no script) this often.
REFRESH_SECONDS = 3


class PackForm(forms.Form):
    kind = forms.ChoiceField(label="ประเภทบันทึก", choices=Memo.Kind.choices)
    fiscal_year = forms.ModelChoiceField(
        label="ปีงบประมาณ",
        queryset=FiscalYear.objects.order_by("-year"),
        to_field_name="year",
        error_messages={"invalid_choice": "ไม่พบปีงบประมาณที่เลือก"},
    )


def _require_central(user) -> None:
    if not is_central(user):
        raise PermissionDenied("เฉพาะทีม ITA ส่วนกลาง")


@login_required
def pack_list(request):
    """The recent packs and the form that orders a new one (POST queues its build)."""
    _require_central(request.user)
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        pack = order_memo_pack(
            kind=form.cleaned_data["kind"],
            fiscal_year=form.cleaned_data["fiscal_year"],
            user=request.user,
        )
        return redirect("staff:memo-pack", pk=pack.pk)
    packs = MemoPack.objects.select_related("fiscal_year", "requested_by")[:PACKS_SHOWN]
    return render(request, "portal/memo_packs.html", {"form": form, "packs": packs})


def _task_failed(pack: MemoPack) -> bool:
    """Whether the queue reports the pack's task failed (only a database queue keeps results)."""
    if not pack.task_id or not default_task_backend.supports_get_result:
        return False
    try:
        result = default_task_backend.get_result(pack.task_id)
    except TaskResultDoesNotExist:
        return False
    return result.status == TaskResultStatus.FAILED


@login_required
def pack_detail(request, pk: int):
    """A pack's progress (units done of all, the unit being built, each unit's error), reloading
    until it is finished, then its download."""
    _require_central(request.user)
    pack = get_object_or_404(MemoPack.objects.select_related("fiscal_year", "requested_by"), pk=pk)
    pack = mark_lost(pack, task_failed=_task_failed(pack), now=timezone.now())
    return render(
        request,
        "portal/memo_pack.html",
        {"pack": pack, "refresh": REFRESH_SECONDS, "filename": pack_filename(pack)},
    )


@login_required
def pack_download(request, pk: int):
    """The finished pack's ZIP with a Thai file name."""
    _require_central(request.user)
    pack = get_object_or_404(MemoPack.objects.select_related("fiscal_year"), pk=pk)
    if pack.status != MemoPack.Status.DONE or not pack.file:
        raise Http404("ชุดบันทึกข้อความนี้ยังไม่พร้อมดาวน์โหลด")
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=pack_filename(pack),
        content_type="application/zip",
    )
