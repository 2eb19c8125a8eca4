"""All URLs, grouped by the object they act on.

Staff pages live under /staff/ (each app's own urls.py, plus the portal's unit pages here),
dashboards under /dashboards/; the public disclosure pages sit at the root
(/<unit code>/<fiscal year>/, printed in memos and linked from agency websites: keep them
stable), so they come last and every other top-level path wins over a unit code. Memo pages and
PDFs have stable public URLs (/memos/12/, /memos/12.pdf) that the unit's own users also use for
drafts; /verify/<code>/ is the page a memo's QR code opens.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessments.urls import UNIT_YEAR
from ita_portal.views import (
    dashboards,
    landing,
    memo_packs,
    memos,
    opendata,
    public,
    publication,
    reminders,
    staff,
    verify,
    whatif,
)

admin.site.site_header = "ITA Portal — ระบบติดตามการประเมินคุณธรรมและความโปร่งใส"
admin.site.site_title = "ITA Portal"
admin.site.index_title = "การจัดการข้อมูล"

# staff navigation: unit → fiscal year → assessment, weaknesses, measures, memos
staff_urls = [
    path("", staff.staff_home, name="home"),
    path("my/", landing.my_home, name="my"),
    path("readiness/<int:year>/", landing.readiness, name="readiness"),
    path("readiness/<int:year>/<slug:check>/", landing.readiness_units, name="readiness-units"),
    path("units/<slug:code>/", staff.unit_detail, name="unit"),
    path(UNIT_YEAR, staff.unit_year, name="unit-year"),
    path(f"{UNIT_YEAR}publish/", publication.assessment_publish, name="assessment-publish"),
    path(f"{UNIT_YEAR}unpublish/", publication.assessment_unpublish, name="assessment-unpublish"),
    path("reminders/", reminders.reminder_settings, name="reminders"),
    path("memo-packs/", memo_packs.pack_list, name="memo-packs"),
    path("memo-packs/<int:pk>/", memo_packs.pack_detail, name="memo-pack"),
    path("memo-packs/<int:pk>/download/", memo_packs.pack_download, name="memo-pack-download"),
]

# the BMA overview, unit dashboards, the OIT overview and the measures tracker
dashboard_urls = [
    path("", dashboards.index, name="index"),
    path("overview/", dashboards.overview, name="overview"),
    path(UNIT_YEAR, dashboards.unit_dashboard, name="unit"),
    path(f"{UNIT_YEAR}simulate/", whatif.simulate_unit, name="simulate"),
    path("disclosure/", dashboards.disclosure_current, name="disclosure-current"),
    path("disclosure/<int:year>/", dashboards.disclosure_overview, name="disclosure"),
    path("measures/", dashboards.measures_tracker, name="measures"),
    path("measures/export/", dashboards.measures_tracker_export, name="measures-export"),
]

# a memo's page and PDF, its stored revisions and status moves, and the verification page
memo_urls = [
    path("memos/<int:pk>/", memos.memo_detail, name="memo-detail"),
    path("memos/<int:pk>.pdf", memos.memo_pdf, name="memo-pdf"),
    path("memos/<int:pk>.docx", memos.memo_docx, name="memo-docx"),
    path("memos/<int:pk>/photos/<int:photo>.jpg", memos.memo_photo, name="memo-photo"),
    path("memos/<int:pk>/revisions/<int:number>/", memos.revision_detail, name="revision-detail"),
    path("memos/<int:pk>/revisions/<int:number>.pdf", memos.revision_pdf, name="revision-pdf"),
    path("staff/memos/<int:pk>/transition/", memos.memo_transition, name="memo-transition"),
    path("verify/", verify.verify, name="verify"),
    path("verify/<slug:code>/", verify.verify, name="verify-code"),
]

# open data: every unit of a year, or every year of a unit, as CSV or JSON
opendata_urls = [
    path("", opendata.index, name="opendata"),
    path("<int:year>.csv", opendata.year_results, {"fmt": "csv"}, name="opendata-year-csv"),
    path("<int:year>.json", opendata.year_results, {"fmt": "json"}, name="opendata-year-json"),
    path("units/<slug:code>.csv", opendata.unit_results, {"fmt": "csv"}, name="opendata-unit-csv"),
    path(
        "units/<slug:code>.json", opendata.unit_results, {"fmt": "json"}, name="opendata-unit-json"
    ),
]

# public pages (no login)
public_urls = [
    path("", public.home, name="home"),
    path("opendata/", include(opendata_urls)),
    path("<slug:code>/", public.unit_page, name="public-unit"),
    path("<slug:code>/<int:year>/", public.unit_year_page, name="public-unit-year"),
]

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("staff/", include("assessments.urls")),
    path("staff/", include("measures.urls")),
    path("staff/", include((staff_urls, "staff"))),
    path("dashboards/", include((dashboard_urls, "dashboards"))),
    path("", include((memo_urls, "memos"))),
    path("", include(public_urls)),
]

# Thai error pages in the portal's layout (ita_portal/views/errors.py).
handler400 = "ita_portal.views.errors.bad_request"
handler403 = "ita_portal.views.errors.permission_denied"
handler404 = "ita_portal.views.errors.page_not_found"
handler500 = "ita_portal.views.errors.server_error"
