"""Pages of this app that need no login, mounted under /s/<school code>/exhibition/."""

from django.urls import URLPattern

app_name = "exhibition_public"
urlpatterns: list[URLPattern] = []
