"""Dashboards: the BMA overview, unit dashboards and the measures tracker."""

from django.urls import path

from ita_portal.views import dashboards, whatif

app_name = "dashboards"
urlpatterns = [
    path("", dashboards.index, name="index"),
    path("overview/", dashboards.overview, name="overview"),
    path("units/<slug:code>/<int:year>/", dashboards.unit_dashboard, name="unit"),
    path("disclosure/", dashboards.disclosure_current, name="disclosure-current"),
    path("disclosure/<int:year>/", dashboards.disclosure_overview, name="disclosure"),
    path("units/<slug:code>/<int:year>/simulate/", whatif.simulate_unit, name="simulate"),
    path("measures/", dashboards.measures_tracker, name="measures"),
    path("measures/export/", dashboards.measures_tracker_export, name="measures-export"),
]
