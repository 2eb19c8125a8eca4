"""Public pages (no login): the home page and each unit's disclosure page."""

from django.urls import path

from ita_portal.views import public

urlpatterns = [
    path("", public.home, name="home"),
]
