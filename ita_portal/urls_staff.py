"""Staff navigation: unit → fiscal year → assessment, weaknesses, measures, memos."""

from django.urls import path

from ita_portal.views import memo_packs, publication, reminders, staff

app_name = "staff"
urlpatterns = [
    path("", staff.staff_home, name="home"),
    path("units/<slug:code>/", staff.unit_detail, name="unit"),
    path("reminders/", reminders.reminder_settings, name="reminders"),
    path("memo-packs/", memo_packs.pack_list, name="memo-packs"),
    path("memo-packs/<int:pk>/", memo_packs.pack_detail, name="memo-pack"),
    path("memo-packs/<int:pk>/download/", memo_packs.pack_download, name="memo-pack-download"),
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
