"""Error pages (400, 403, 404, 500 and the CSRF refusal) in Thai, in the portal's layout, with
the reason the code gave and a way back. The login lock's 429 page is
templates/registration/lockout.html, on the same layout.

A reason is shown only when it was written for users, and those are Thai: every PermissionDenied
and Http404 the portal raises says in Thai what is not allowed or not found, while Django's own
messages ("No Memo matches the given query.", the URL resolver's attempts, a bad Host header, the
CSRF check's diagnosis) are English and describe the code, so a generic Thai line replaces them.
"""

import re

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

THAI = re.compile(r"[\u0e00-\u0e7f]")

PAGES = {
    400: (
        "คำขอไม่ถูกต้อง",
        "ระบบดำเนินการตามคำขอนี้ไม่ได้ เพราะข้อมูลที่ส่งมาไม่ถูกต้องหรือไม่ครบถ้วน",
        "กรุณากลับไปตรวจข้อมูลแล้วลองใหม่อีกครั้ง",
    ),
    403: (
        "ไม่มีสิทธิ์ดำเนินการนี้",
        "บัญชีของท่านไม่มีสิทธิ์เข้าถึงหน้านี้หรือดำเนินการนี้",
        "หากเห็นว่าท่านควรมีสิทธิ์ กรุณาติดต่อทีม ITA ส่วนกลาง",
    ),
    404: (
        "ไม่พบหน้าที่ต้องการ",
        "ไม่พบหน้าหรือข้อมูลที่ต้องการ",
        "ที่อยู่อาจพิมพ์ผิด หรือข้อมูลอาจถูกลบ ย้าย หรือยังไม่เผยแพร่",
    ),
    500: (
        "ระบบขัดข้อง",
        "เกิดข้อผิดพลาดภายในระบบ สิ่งที่ท่านส่งมาอาจยังไม่ได้บันทึก",
        "กรุณาลองใหม่อีกครั้งในภายหลัง หากยังพบปัญหา กรุณาแจ้งทีม ITA ส่วนกลาง",
    ),
}
CSRF_PAGE = (
    "ส่งแบบฟอร์มไม่สำเร็จ",
    "แบบฟอร์มนี้หมดอายุ หรือไม่ได้ส่งมาจากหน้าของระบบ",
    "กรุณากลับไปเปิดหน้าเดิมใหม่แล้วส่งอีกครั้ง และตรวจว่าเบราว์เซอร์เปิดรับคุกกี้ของเว็บไซต์นี้",
)
TEMPLATE = "errors/error.html"


def user_message(exception: BaseException | None) -> str:
    """The exception's message when it was written for users (Thai), else ""."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return message if isinstance(message, str) and THAI.search(message) else ""


def _back_url(request) -> str:
    """The referring page of this site, if any, as the way back."""
    referer = request.META.get("HTTP_REFERER", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if safe and referer != request.build_absolute_uri() else ""


def _context(status: int, page: tuple[str, str, str], reason: str = "", **extra) -> dict:
    title, generic, hint = page
    return {"status": status, "title": title, "reason": reason or generic, "hint": hint, **extra}


def _page(request, status: int, page: tuple[str, str, str], exception=None, **extra):
    context = _context(status, page, user_message(exception), back_url=_back_url(request), **extra)
    return render(request, TEMPLATE, context, status=status)


@requires_csrf_token
def bad_request(request, exception):
    """400: often a bad Host header, so nothing here may read the host."""
    context = _context(400, PAGES[400], user_message(exception))
    return render(request, TEMPLATE, context, status=400)


@requires_csrf_token
def permission_denied(request, exception):
    """403 with the reason the access check gave."""
    return _page(request, 403, PAGES[403], exception)


@requires_csrf_token
def page_not_found(request, exception):
    """404 saying what was not found, and where."""
    return _page(request, 404, PAGES[404], exception, path=request.path)


def server_error(request):
    """500 without the request's context processors or the database: either may be what broke."""
    body = loader.get_template(TEMPLATE).render(_context(500, PAGES[500]))
    return HttpResponseServerError(body)


@requires_csrf_token
def csrf_failure(request, reason=""):
    """403 for a form whose CSRF token is missing or stale (Django's reason is for developers)."""
    return _page(request, 403, CSRF_PAGE)
