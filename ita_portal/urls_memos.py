"""Memo pages and PDF downloads: stable public URLs (/memos/12/, /memos/12.pdf) for published
memos, which the unit's own users also use for drafts; the status moves; the stored revisions;
the public verification page (/verify/, /verify/<code>/ from the QR code in a memo)."""

from django.urls import path

from ita_portal.views import memos, verify

app_name = "memos"
urlpatterns = [
    path("memos/<int:pk>/", memos.memo_detail, name="memo-detail"),
    path("memos/<int:pk>.pdf", memos.memo_pdf, name="memo-pdf"),
    path("memos/<int:pk>.docx", memos.memo_docx, name="memo-docx"),
    path("memos/<int:pk>/photos/<int:photo>.jpg", memos.memo_photo, name="memo-photo"),
    path("memos/<int:pk>/revisions/<int:number>/", memos.revision_detail, name="revision-detail"),
    path("memos/<int:pk>/revisions/<int:number>.pdf", memos.revision_pdf, name="revision-pdf"),
    path("staff/memos/<int:pk>/transition/", memos.memo_transition, name="memo-transition"),
    path("verify/", verify.verify, name="verify"),
    path("verify/<slug:code>/", verify.verify, name="verify-code"),
]
