"""The bureau's view across its schools, mounted under /bureau/<bureau code>/reports/."""

from django.urls import URLPattern

app_name = "bureau_reports"
urlpatterns: list[URLPattern] = []
