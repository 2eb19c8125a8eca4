"""Memo drafting and workflow."""

urlpatterns: list = []
