"""Weakness register, measures, progress and constraints."""

from django.urls import path

from measures.views import disclosure, elsewhere, limitations, measures, progress, weaknesses

UNIT_YEAR = "units/<slug:code>/<int:year>"

urlpatterns = [
    # weaknesses belong to the assessment they came from
    path("assessments/<int:pk>/weaknesses/", weaknesses.weakness_list, name="weakness-list"),
    path(
        "assessments/<int:pk>/weaknesses/propose/",
        weaknesses.weakness_propose,
        name="weakness-propose",
    ),
    path(
        "assessments/<int:pk>/weaknesses/add/", weaknesses.weakness_create, name="weakness-create"
    ),
    path(
        "assessments/<int:pk>/analysis/",
        weaknesses.indicator_analysis,
        name="indicator-analysis",
    ),
    path("weaknesses/<int:pk>/", weaknesses.weakness_detail, name="weakness-detail"),
    path("weaknesses/<int:pk>/edit/", weaknesses.weakness_edit, name="weakness-edit"),
    path(
        "weaknesses/<int:pk>/elsewhere/",
        elsewhere.weakness_elsewhere,
        name="weakness-elsewhere",
    ),
    path(
        "weaknesses/<int:pk>/elsewhere/<int:measure_pk>/copy/",
        elsewhere.weakness_copy_measure,
        name="weakness-copy-measure",
    ),
    path("weaknesses/<int:pk>/confirm/", weaknesses.weakness_confirm, name="weakness-confirm"),
    path("weaknesses/<int:pk>/delete/", weaknesses.weakness_delete, name="weakness-delete"),
    # measures belong to the unit and the year the work is done
    path(f"{UNIT_YEAR}/measures/", measures.measure_list, name="measure-list"),
    path(f"{UNIT_YEAR}/measures/add/", measures.measure_create, name="measure-create"),
    path(f"{UNIT_YEAR}/measures/copy/", measures.measure_copy, name="measure-copy"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure-detail"),
    path("measures/<int:pk>/edit/", measures.measure_edit, name="measure-edit"),
    path("measures/<int:pk>/status/", measures.measure_status, name="measure-status"),
    path("measures/<int:pk>/delete/", measures.measure_delete, name="measure-delete"),
    path("measures/<int:pk>/progress/add/", progress.progress_create, name="progress-create"),
    path("progress/<int:pk>/evidence/", progress.progress_evidence, name="progress-evidence"),
    path("progress/<int:pk>/delete/", progress.progress_delete, name="progress-delete"),
    # OIT disclosure checklist of the unit in the year
    path(f"{UNIT_YEAR}/disclosure/", disclosure.disclosure_checklist, name="disclosure"),
    path(
        f"{UNIT_YEAR}/disclosure/check/",
        disclosure.disclosure_check_links,
        name="disclosure-check",
    ),
    path(f"{UNIT_YEAR}/disclosure/export/", disclosure.disclosure_export, name="disclosure-export"),
    # constraints of the unit in the year
    path(f"{UNIT_YEAR}/limitations/", limitations.limitation_list, name="limitation-list"),
    path(f"{UNIT_YEAR}/limitations/add/", limitations.limitation_create, name="limitation-create"),
    path("limitations/<int:pk>/edit/", limitations.limitation_edit, name="limitation-edit"),
    path("limitations/<int:pk>/delete/", limitations.limitation_delete, name="limitation-delete"),
]
