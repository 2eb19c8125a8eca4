"""Progress reports on a measure and their evidence files (served only to the unit's users)."""

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments.submissions import create_once
from measures.access import get_for_user
from measures.forms import ProgressForm
from measures.measure_workflow import add_progress, delete_progress
from measures.models import Measure, ProgressUpdate

MEASURES = Measure.objects.select_related("unit", "fiscal_year")
UPDATES = ProgressUpdate.objects.select_related("measure__unit")


@login_required
def progress_create(request, pk: int):
    """Report progress on a measure: date, note, percent, evidence file or link."""
    measure = get_for_user(request, MEASURES, pk, write=True)
    form = ProgressForm(request.POST or None, request.FILES or None)

    def add():
        if not form.is_valid():
            return None
        data = form.cleaned_data
        return add_progress(
            measure,
            date=data["date"],
            note=data["note"],
            percent=data["percent"],
            evidence_file=data["evidence_file"] or None,
            evidence_url=data["evidence_url"],
            by=request.user,
        )

    if request.method == "POST":
        created = create_once(
            request,
            add,
            url_of=lambda update: reverse("measures:measure-detail", kwargs={"pk": measure.pk}),
            done="บันทึกความคืบหน้าแล้ว",
        )
        if created is not None:
            return created
    return render(
        request,
        "measures/progress_form.html",
        {
            "form": form,
            "measure": measure,
            "unit": measure.unit,
            "fiscal_year": measure.fiscal_year,
        },
    )


@login_required
def progress_evidence(request, pk: int):
    """The evidence file of a progress report, to users who may see its measure (404 otherwise)."""
    update = get_for_user(request, UPDATES, pk)
    if not update.evidence_file:
        raise Http404("ไม่มีไฟล์หลักฐาน")
    name = PurePath(update.evidence_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = update.evidence_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("ไม่พบไฟล์หลักฐาน") from exc
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@login_required
@require_POST
def progress_delete(request, pk: int):
    """Delete a progress report and its evidence file."""
    update = get_for_user(request, UPDATES, pk, write=True)
    measure_id = update.measure_id
    delete_progress(update, by=request.user)
    messages.success(request, "ลบรายงานความคืบหน้าแล้ว")
    return redirect("measures:measure-detail", pk=measure_id)
