"""Memo pages and PDF downloads (staff previews and published memos)."""

urlpatterns: list = []
