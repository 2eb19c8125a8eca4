"""Staff navigation: unit → fiscal year → assessment, weaknesses, measures, memos."""

app_name = "staff"
urlpatterns: list = []
