"""The pages of every workbook import: upload → dry run → confirm (all or nothing) or cancel.

An app describes one import with an ``ImportKind`` (its titles, the help shown on the upload
page, the Thai words of its success message and its URL names) and gives it a ``target``
function that checks the stored scope for the user *with write access* on every step (upload,
dry run, confirmation and cancel) and returns an ``ImportTarget``: what is imported into, the
workbook's SheetSpec and where to go next. The app keeps a one-line upload view (its URL says
what is imported into) and mounts the other three pages with ``token_urls``.

An upload is checked by its content when it comes in (portal_core.excel.ExcelUploadForm) and
stored (``PendingImport``), so the dry run and the confirmation read that very file without
checking it again.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from portal_core.excel import ExcelUploadForm, PendingImport
from portal_core.workbook_import import SheetSpec, run_import


@dataclass(frozen=True)
class ImportTarget:
    """What a user may import into, checked for this request.

    ``scope`` is what the pending upload remembers (plain values for the session); ``unit`` and
    ``fiscal_year`` head the pages (``unit`` None: every unit); ``done_url`` is asked after a
    successful import, so it may depend on what the import created.
    """

    scope: dict
    unit: object | None
    fiscal_year: object | None
    spec: SheetSpec
    upload_url: str
    done_url: Callable[[], str]
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ImportKind:
    """One kind of import: what it imports (``what``, a Thai noun the pages' words are built
    on), its help, its URL names and its access check.

    ``url_name`` names the upload page; the dry run, confirmation and cancel pages are named
    ``<url_name>-preview``, ``-confirm`` and ``-cancel``. ``target(request, scope)`` raises
    Http404 or PermissionDenied when the user may not write the scope.
    """

    name: str
    url_name: str
    what: str
    counted: str
    help_template: str
    target: Callable[[HttpRequest, dict], ImportTarget]
    work_year: bool = False

    @property
    def heading(self) -> str:
        """The upload page's title: นำเข้าคะแนนจาก Excel."""
        return f"นำเข้า{self.what}จาก Excel"

    @property
    def preview_title(self) -> str:
        return f"ตรวจสอบการนำเข้า{self.what}"

    def url(self, step: str, token: str) -> str:
        return reverse(f"{self.url_name}-{step}", kwargs={"token": token})


def upload(request, kind: ImportKind, scope: dict) -> HttpResponse:
    """The upload form; a file that passes the content check is stored and its dry run opened."""
    target = kind.target(request, scope)
    form = ExcelUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = PendingImport.store(
            request,
            data=form.cleaned_data["content"],
            filename=form.cleaned_data["file"].name,
            kind=kind.name,
            scope=target.scope,
        )
        messages.info(request, "ตรวจสอบไฟล์แล้ว กรุณาตรวจผลก่อนยืนยันการนำเข้า")
        return redirect(f"{kind.url_name}-preview", token=pending.token)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "kind": kind,
            "unit": target.unit,
            "fiscal_year": target.fiscal_year,
            **target.context,
        },
    )


def _pending(request, kind: ImportKind, token: str) -> tuple[PendingImport, ImportTarget]:
    pending = PendingImport.load(request, token, kind=kind.name)
    return pending, kind.target(request, pending.scope)


def _import(request, pending: PendingImport, target: ImportTarget, *, dry_run: bool):
    return run_import(
        pending.read(), spec=target.spec, dry_run=dry_run, user=request.user, checked=True
    )


def preview(request, kind: ImportKind, token: str) -> HttpResponse:
    """The dry run of a stored upload: every row's outcome and every error, then confirm."""
    pending, target = _pending(request, kind, token)
    report = _import(request, pending, target, dry_run=True)
    return render(
        request,
        "imports/preview.html",
        {
            "title": kind.preview_title,
            "pending": pending,
            "report": report,
            "unit": target.unit,
            "fiscal_year": target.fiscal_year,
            "confirm_url": kind.url("confirm", token),
            "cancel_url": kind.url("cancel", token),
            "back_url": target.upload_url,
            **target.context,
        },
    )


def confirm(request, kind: ImportKind, token: str) -> HttpResponse:
    """Import the stored upload, all or nothing; back to its dry run when anything is wrong."""
    pending, target = _pending(request, kind, token)
    report = _import(request, pending, target, dry_run=False)
    if not report.ok:
        messages.error(request, "นำเข้าไม่สำเร็จ ไม่มีข้อมูลใดถูกบันทึก กรุณาแก้ไขตามรายการด้านล่าง")
        return redirect(f"{kind.url_name}-preview", token=token)
    pending.discard(request)
    counts = report.counts
    messages.success(
        request,
        f"นำเข้า{kind.what}แล้ว: เพิ่มใหม่ {counts['เพิ่มใหม่']} แก้ไข {counts['แก้ไข']} "
        f"ไม่เปลี่ยนแปลง {counts['ไม่เปลี่ยนแปลง']} {kind.counted}",
    )
    return redirect(target.done_url())


def cancel(request, kind: ImportKind, token: str) -> HttpResponse:
    """Drop a stored upload without importing it."""
    pending, target = _pending(request, kind, token)
    pending.discard(request)
    messages.info(request, "ยกเลิกการนำเข้าแล้ว ไม่มีข้อมูลใดถูกบันทึก")
    return redirect(target.upload_url)


def _token_page(kind: ImportKind, page, *, post: bool):
    def view(request, token: str) -> HttpResponse:
        return page(request, kind, token)

    view.__doc__ = page.__doc__
    view.__name__ = view.__qualname__ = f"{kind.name}_import_{page.__name__}"
    return login_required(require_POST(view) if post else view)


def token_urls(kind: ImportKind, route: str) -> list[URLPattern]:
    """The dry run (GET), confirmation and cancel (POST) of a stored upload of this kind, at
    ``<route><token>/``, ``…/confirm/`` and ``…/cancel/``, named after ``kind.url_name``."""
    name = kind.url_name.rpartition(":")[2]
    return [
        path(
            f"{route}<str:token>/", _token_page(kind, preview, post=False), name=f"{name}-preview"
        ),
        path(
            f"{route}<str:token>/confirm/",
            _token_page(kind, confirm, post=True),
            name=f"{name}-confirm",
        ),
        path(
            f"{route}<str:token>/cancel/",
            _token_page(kind, cancel, post=True),
            name=f"{name}-cancel",
        ),
    ]
