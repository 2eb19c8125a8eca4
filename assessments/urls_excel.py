"""Score sheet import and export pages."""

urlpatterns: list = []
