"""Pages of this app that need no login, mounted under /s/<school code>/commitments/."""

from django.urls import URLPattern

app_name = "commitments_public"
urlpatterns: list[URLPattern] = []
