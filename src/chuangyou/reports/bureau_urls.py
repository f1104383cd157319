"""The bureau's view across its schools, mounted under /bureau/<bureau code>/reports/."""

from django.urls import path

from chuangyou.reports import bureau_views

app_name = "bureau_reports"
urlpatterns = [
    path("", bureau_views.overview, name="overview"),
    path("<int:year>/summary/", bureau_views.summary, name="summary"),
    path("nominations/", bureau_views.nominations, name="nominations"),
    path("nominations/<int:nomination_id>/", bureau_views.decide, name="decide"),
    path("documents/<int:document_id>.docx", bureau_views.download, name="download"),
]
