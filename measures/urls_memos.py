"""Memo drafting (staff). The memo page, PDF and status moves are in ita_portal/urls_memos.py."""

from django.urls import path

from measures.views import memos

UNIT_YEAR = "units/<slug:code>/<int:year>"

urlpatterns = [
    path(f"{UNIT_YEAR}/memos/", memos.memo_list, name="memo-list"),
    path(f"{UNIT_YEAR}/memos/add/", memos.memo_create, name="memo-create"),
    path("memos/<int:pk>/edit/", memos.memo_edit, name="memo-edit"),
    path("memos/<int:pk>/photos/add/", memos.memo_photo_add, name="memo-photo-add"),
    path(
        "memos/<int:pk>/photos/<int:photo>/delete/",
        memos.memo_photo_delete,
        name="memo-photo-delete",
    ),
]
