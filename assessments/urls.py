"""Staff URLs of the assessments app: score entry and score sheets."""

from assessments import urls_excel, urls_scores

app_name = "assessments"
urlpatterns = urls_scores.urlpatterns + urls_excel.urlpatterns
