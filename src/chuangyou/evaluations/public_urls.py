"""Pages of this app that need no login, mounted under /s/<school code>/evaluations/."""

from django.urls import URLPattern

app_name = "evaluations_public"
urlpatterns: list[URLPattern] = []
