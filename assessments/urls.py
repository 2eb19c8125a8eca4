"""Staff URLs of the assessments app, grouped by the object they act on (mounted under /staff/).

``UNIT_YEAR`` is the one definition of a unit's year in a URL ("units/<code>/<year>/"); the
measures app and the portal build their unit-year pages on it.
"""

from django.urls import include, path

from assessments import views, views_excel, views_years
from portal_core.import_views import token_urls

UNIT_YEAR = "units/<slug:code>/<int:year>/"

# the score sheets of one unit's year
unit_year_urls = [
    path("assessment/", views.assessment_create, name="assessment-create"),
    path("scores/template/", views_excel.scores_template, name="scores-template"),
    path("scores/export/", views_excel.scores_export, name="scores-export"),
    path("scores/import/", views_excel.scores_import, name="scores-import"),
]

assessment_urls = [
    path("scores/", views.score_entry, name="score-entry"),
]

# the score sheets of every unit of a year (central team), and an upload waiting for its confirm
score_sheet_urls = [
    path("<int:year>/template/", views_excel.scores_template_all, name="scores-template-all"),
    path("<int:year>/export/", views_excel.scores_export_all, name="scores-export-all"),
    path("<int:year>/import/", views_excel.scores_import_all, name="scores-import-all"),
    *token_urls(views_excel.SCORES, "import/"),
]

# the central ITA team's fiscal years: open a year, confirm its framework
year_urls = [
    path("", views_years.fiscal_years, name="fiscal-years"),
    path("open/", views_years.fiscal_year_open, name="fiscal-year-open"),
    path("<int:year>/", views_years.fiscal_year_detail, name="fiscal-year"),
    path("<int:year>/confirm/", views_years.framework_confirm, name="framework-confirm"),
    path(
        "<int:year>/clear-questions/",
        views_years.framework_clear_questions,
        name="framework-clear-questions",
    ),
]

app_name = "assessments"
urlpatterns = [
    path(UNIT_YEAR, include(unit_year_urls)),
    path("assessments/<int:pk>/", include(assessment_urls)),
    path("scores/", include(score_sheet_urls)),
    path("years/", include(year_urls)),
]
