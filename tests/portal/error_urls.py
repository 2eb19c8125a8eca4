"""The portal's URLs and error handlers plus one view that fails, for the 500 page's tests."""

from django.urls import path

from ita_portal.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("connection to db-primary.internal:5432 refused (password=hunter2)")


urlpatterns = [path("broken/", broken), *urlpatterns]
