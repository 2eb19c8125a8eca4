"""Weakness register, measures, progress and constraints."""

urlpatterns: list = []
