"""Create forms that create once: a form posted twice (a double click, a resent page) makes one
object, and the repeat is sent to the object the first POST made.

A create form renders a random one-time token (``{% submission_token %}``, ita_portal's
``submissions`` tags). Its view hands the creating call to :func:`create_once`, which claims the
token (a FormSubmission row, unique per user and token) in the transaction that creates the
object. A second POST of the same form finds the token claimed and is redirected, with a Thai
notice, to what the first one created; while the first is still running, its insert waits for
it (PostgreSQL) or for the database lock (SQLite). Nothing is kept in a worker's memory, so this
holds for any number of gunicorn workers and app servers. A POST whose creation is refused
(invalid, stale) claims nothing: the corrected form may be sent again with the same token. A POST
without a token (a script, a page opened before this existed) is served as it always was.
"""

import datetime
import re
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from assessments.models import FormSubmission

TOKEN_FIELD = "submission_token"
KEPT_FOR = datetime.timedelta(days=1)  # a form is not sent twice a day apart
REPEATED_MESSAGE = "แบบฟอร์มนี้ถูกส่งซ้ำ ระบบบันทึกข้อมูลไว้แล้วจากการส่งครั้งแรกเพียงครั้งเดียว"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    """A fresh token for one rendering of a create form."""
    return secrets.token_urlsafe(24)


class _Refused(Exception):
    """``create`` made nothing: undo the claim of the token."""


def create_once(
    request: HttpRequest,
    create: Callable[[], object | None],
    *,
    url_of: Callable[[object], str],
    done: str,
) -> HttpResponse | None:
    """Run ``create`` once for the form token of this POST; redirect to ``url_of(obj)``.

    ``create`` validates the forms and creates the object, returning it, or returns None when
    the input is refused (the reasons are on the forms); then this returns None and the view
    shows the forms again. ``done`` is the Thai success message. A token already claimed
    answers with a redirect to the first POST's object before anything is validated, so a rule
    the first object now breaks (one weakness per question) does not show the repeat an error.
    """
    token = request.POST.get(TOKEN_FIELD, "")
    if not _TOKEN.fullmatch(token):
        obj = create()
        if obj is None:
            return None
        messages.success(request, done)
        return redirect(url_of(obj))
    try:
        with transaction.atomic():
            claim = _claim(request.user, token)
            if claim is None:
                return _repeated(request, token)
            obj = create()
            if obj is None:
                raise _Refused
            claim.url = url_of(obj)
            claim.save(update_fields=["url"])
    except _Refused:
        return None
    FormSubmission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    messages.success(request, done)
    return redirect(claim.url)


def _claim(user, token: str) -> FormSubmission | None:
    """The new claim of ``token``, or None when another POST holds it."""
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(user=user, token=token)
    except IntegrityError:
        return None


def _repeated(request: HttpRequest, token: str) -> HttpResponse:
    first = FormSubmission.objects.filter(user=request.user, token=token).first()
    messages.info(request, REPEATED_MESSAGE)
    return redirect(first.url if first and first.url else request.path)
