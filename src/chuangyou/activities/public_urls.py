"""Pages of this app that need no login, mounted under /s/<school code>/activities/."""

from django.urls import URLPattern

app_name = "activities_public"
urlpatterns: list[URLPattern] = []
