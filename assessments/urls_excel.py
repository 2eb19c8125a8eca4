"""Score sheet import and export pages: a unit's year, and every unit of a year (central team)."""

from django.urls import path

from assessments import views_excel

UNIT_YEAR = "units/<slug:code>/<int:year>/scores"

urlpatterns = [
    path(f"{UNIT_YEAR}/template/", views_excel.scores_template, name="scores-template"),
    path(f"{UNIT_YEAR}/export/", views_excel.scores_export, name="scores-export"),
    path(f"{UNIT_YEAR}/import/", views_excel.scores_import, name="scores-import"),
    path(
        "scores/<int:year>/template/",
        views_excel.scores_template_all,
        name="scores-template-all",
    ),
    path("scores/<int:year>/export/", views_excel.scores_export_all, name="scores-export-all"),
    path("scores/<int:year>/import/", views_excel.scores_import_all, name="scores-import-all"),
    path(
        "scores/import/<str:token>/",
        views_excel.scores_import_preview,
        name="scores-import-preview",
    ),
    path(
        "scores/import/<str:token>/confirm/",
        views_excel.scores_import_confirm,
        name="scores-import-confirm",
    ),
    path(
        "scores/import/<str:token>/cancel/",
        views_excel.scores_import_cancel,
        name="scores-import-cancel",
    ),
]
