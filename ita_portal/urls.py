"""Top-level URLs: the public home page, login/logout and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from ita_portal import views

admin.site.site_header = "ITA Portal — ระบบติดตามการประเมินคุณธรรมและความโปร่งใส"
admin.site.site_title = "ITA Portal"
admin.site.index_title = "การจัดการข้อมูล"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
