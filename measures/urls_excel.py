"""Measures plan import and export."""

urlpatterns: list = []
