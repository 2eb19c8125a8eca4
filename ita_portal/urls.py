"""Top-level URLs. Staff pages live under /staff/, dashboards under /dashboards/; the public
disclosure pages sit at the root (/<unit code>/<fiscal year>/), so they come last."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "ITA Portal — ระบบติดตามการประเมินคุณธรรมและความโปร่งใส"
admin.site.site_title = "ITA Portal"
admin.site.index_title = "การจัดการข้อมูล"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("staff/", include("assessments.urls")),
    path("staff/", include("measures.urls")),
    path("staff/", include("ita_portal.urls_staff")),
    path("dashboards/", include("ita_portal.urls_dashboards")),
    path("", include("ita_portal.urls_memos")),
    path("", include("ita_portal.urls_public")),
]

# Thai error pages in the portal's layout (ita_portal/views/errors.py).
handler400 = "ita_portal.views.errors.bad_request"
handler403 = "ita_portal.views.errors.permission_denied"
handler404 = "ita_portal.views.errors.page_not_found"
handler500 = "ita_portal.views.errors.server_error"
