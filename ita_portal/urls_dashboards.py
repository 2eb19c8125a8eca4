"""Dashboards: the BMA overview, unit dashboards and the measures tracker."""

app_name = "dashboards"
urlpatterns: list = []
