"""Score entry pages."""

urlpatterns: list = []
