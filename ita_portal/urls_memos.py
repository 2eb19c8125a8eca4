"""Memo pages and PDF downloads: stable public URLs (/memos/12/, /memos/12.pdf) for published
memos, which the unit's own users also use for drafts."""

from django.urls import path

from ita_portal.views import memos

app_name = "memos"
urlpatterns = [
    path("memos/<int:pk>/", memos.memo_detail, name="memo-detail"),
    path("memos/<int:pk>.pdf", memos.memo_pdf, name="memo-pdf"),
]
