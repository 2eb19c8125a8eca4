"""Public pages (no login): the home page, open data and each unit's disclosure pages.

/<unit code>/<fiscal year>/ is printed in memos and linked from agency websites: keep it stable.
These patterns come last in ita_portal/urls.py, so every other top-level path wins over a code.
"""

from django.urls import path

from ita_portal.views import opendata, public

urlpatterns = [
    path("", public.home, name="home"),
    path("opendata/", opendata.index, name="opendata"),
    path(
        "opendata/<int:year>.csv", opendata.year_results, {"fmt": "csv"}, name="opendata-year-csv"
    ),
    path(
        "opendata/<int:year>.json",
        opendata.year_results,
        {"fmt": "json"},
        name="opendata-year-json",
    ),
    path(
        "opendata/units/<slug:code>.csv",
        opendata.unit_results,
        {"fmt": "csv"},
        name="opendata-unit-csv",
    ),
    path(
        "opendata/units/<slug:code>.json",
        opendata.unit_results,
        {"fmt": "json"},
        name="opendata-unit-json",
    ),
    path("<slug:code>/", public.unit_page, name="public-unit"),
    path("<slug:code>/<int:year>/", public.unit_year_page, name="public-unit-year"),
]
