"""Staff navigation: unit → fiscal year → assessment, weaknesses, measures, memos."""

from django.urls import path

from ita_portal.views import landing, publication, staff

app_name = "staff"
urlpatterns = [
    path("", staff.staff_home, name="home"),
    path("my/", landing.my_home, name="my"),
    path("readiness/<int:year>/", landing.readiness, name="readiness"),
    path("readiness/<int:year>/<slug:check>/", landing.readiness_units, name="readiness-units"),
    path("units/<slug:code>/", staff.unit_detail, name="unit"),
    path("units/<slug:code>/<int:year>/", staff.unit_year, name="unit-year"),
    path(
        "units/<slug:code>/<int:year>/publish/",
        publication.assessment_publish,
        name="assessment-publish",
    ),
    path(
        "units/<slug:code>/<int:year>/unpublish/",
        publication.assessment_unpublish,
        name="assessment-unpublish",
    ),
]
