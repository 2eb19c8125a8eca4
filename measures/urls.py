"""Staff URLs of the measures app: weaknesses, measures and progress, memos, Excel."""

from measures import urls_excel, urls_memos, urls_work

app_name = "measures"
urlpatterns = urls_work.urlpatterns + urls_memos.urlpatterns + urls_excel.urlpatterns
