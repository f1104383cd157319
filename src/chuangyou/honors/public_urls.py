"""Pages of this app that need no login, mounted under /s/<school code>/honors/."""

from django.urls import URLPattern

app_name = "honors_public"
urlpatterns: list[URLPattern] = []
