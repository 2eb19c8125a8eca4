"""Measures plan import and export, and the weaknesses export."""

from django.urls import path

from measures.views import excel

UNIT_YEAR = "units/<slug:code>/<int:year>/plan"

urlpatterns = [
    path(f"{UNIT_YEAR}/export/", excel.plan_export_view, name="plan-export"),
    path(f"{UNIT_YEAR}/import/", excel.plan_import, name="plan-import"),
    path("plan/import/<str:token>/", excel.plan_import_preview, name="plan-import-preview"),
    path("plan/import/<str:token>/confirm/", excel.plan_import_confirm, name="plan-import-confirm"),
    path("plan/import/<str:token>/cancel/", excel.plan_import_cancel, name="plan-import-cancel"),
    path(
        "assessments/<int:pk>/weaknesses/export/",
        excel.weaknesses_export_view,
        name="weaknesses-export",
    ),
]
