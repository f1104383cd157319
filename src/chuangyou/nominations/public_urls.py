"""Pages of this app that need no login, mounted under /s/<school code>/nominations/."""

from django.urls import URLPattern

app_name = "nominations_public"
urlpatterns: list[URLPattern] = []
