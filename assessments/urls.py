"""Staff URLs of the assessments app: score entry, score sheets and the fiscal years."""

from assessments import urls_excel, urls_scores, urls_years

app_name = "assessments"
urlpatterns = urls_scores.urlpatterns + urls_excel.urlpatterns + urls_years.urlpatterns
