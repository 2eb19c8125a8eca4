"""Staff URLs of the measures app, grouped by the object they act on (mounted under /staff/).

Weaknesses belong to the assessment they came from; measures, constraints, the OIT checklist,
the plan sheet and memo drafting to the unit and the year the work is done. The memo page, its
PDF and its status moves are the portal's (ita_portal/urls.py), since they render the PDF.
"""

from django.urls import include, path

from assessments.urls import UNIT_YEAR
from measures.views import (
    disclosure,
    elsewhere,
    excel,
    limitations,
    measures,
    memos,
    progress,
    weaknesses,
)
from portal_core.import_views import token_urls

unit_year_urls = [
    path("measures/", measures.measure_list, name="measure-list"),
    path("measures/add/", measures.measure_create, name="measure-create"),
    path("measures/copy/", measures.measure_copy, name="measure-copy"),
    path("disclosure/", disclosure.disclosure_checklist, name="disclosure"),
    path("disclosure/check/", disclosure.disclosure_check_links, name="disclosure-check"),
    path("disclosure/export/", disclosure.disclosure_export, name="disclosure-export"),
    path("limitations/", limitations.limitation_list, name="limitation-list"),
    path("limitations/add/", limitations.limitation_create, name="limitation-create"),
    path("memos/", memos.memo_list, name="memo-list"),
    path("memos/add/", memos.memo_create, name="memo-create"),
    path("plan/export/", excel.plan_export_view, name="plan-export"),
    path("plan/import/", excel.plan_import, name="plan-import"),
]

assessment_urls = [
    path("weaknesses/", weaknesses.weakness_list, name="weakness-list"),
    path("weaknesses/propose/", weaknesses.weakness_propose, name="weakness-propose"),
    path("weaknesses/add/", weaknesses.weakness_create, name="weakness-create"),
    path("weaknesses/confirm-all/", weaknesses.weakness_confirm_all, name="weakness-confirm-all"),
    path("weaknesses/export/", excel.weaknesses_export_view, name="weaknesses-export"),
    path("weaknesses/import/", excel.weaknesses_import, name="weaknesses-import"),
    path("analysis/", weaknesses.indicator_analysis, name="indicator-analysis"),
]

weakness_urls = [
    path("", weaknesses.weakness_detail, name="weakness-detail"),
    path("edit/", weaknesses.weakness_edit, name="weakness-edit"),
    path("elsewhere/", elsewhere.weakness_elsewhere, name="weakness-elsewhere"),
    path(
        "elsewhere/<int:measure_pk>/copy/",
        elsewhere.weakness_copy_measure,
        name="weakness-copy-measure",
    ),
    path("confirm/", weaknesses.weakness_confirm, name="weakness-confirm"),
    path("delete/", weaknesses.weakness_delete, name="weakness-delete"),
]

measure_urls = [
    path("", measures.measure_detail, name="measure-detail"),
    path("edit/", measures.measure_edit, name="measure-edit"),
    path("status/", measures.measure_status, name="measure-status"),
    path("delete/", measures.measure_delete, name="measure-delete"),
    path("progress/add/", progress.progress_create, name="progress-create"),
]

progress_urls = [
    path("evidence/", progress.progress_evidence, name="progress-evidence"),
    path("delete/", progress.progress_delete, name="progress-delete"),
]

limitation_urls = [
    path("edit/", limitations.limitation_edit, name="limitation-edit"),
    path("delete/", limitations.limitation_delete, name="limitation-delete"),
]

app_name = "measures"
urlpatterns = [
    path(UNIT_YEAR, include(unit_year_urls)),
    path("assessments/<int:pk>/", include(assessment_urls)),
    path("weaknesses/<int:pk>/", include(weakness_urls)),
    path("measures/<int:pk>/", include(measure_urls)),
    path("progress/<int:pk>/", include(progress_urls)),
    path("limitations/<int:pk>/", include(limitation_urls)),
    path("memos/<int:pk>/edit/", memos.memo_edit, name="memo-edit"),
    path("memos/<int:pk>/photos/add/", memos.memo_photo_add, name="memo-photo-add"),
    path(
        "memos/<int:pk>/photos/<int:photo>/delete/",
        memos.memo_photo_delete,
        name="memo-photo-delete",
    ),
    path("units/<slug:code>/signatories/", memos.signatory_list, name="signatory-list"),
    *token_urls(excel.PLAN, "plan/import/"),
    *token_urls(excel.WEAKNESSES, "weaknesses/import/"),
]
