"""The central ITA team's fiscal-year pages: open a year, confirm its framework."""

from django.urls import path

from assessments import views_years

urlpatterns = [
    path("years/", views_years.fiscal_years, name="fiscal-years"),
    path("years/open/", views_years.fiscal_year_open, name="fiscal-year-open"),
    path("years/<int:year>/", views_years.fiscal_year_detail, name="fiscal-year"),
    path("years/<int:year>/confirm/", views_years.framework_confirm, name="framework-confirm"),
    path(
        "years/<int:year>/clear-questions/",
        views_years.framework_clear_questions,
        name="framework-clear-questions",
    ),
]
