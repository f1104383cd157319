"""The bureau's nomination pages, mounted under /bureau/<bureau code>/nominations/."""

from django.urls import URLPattern

app_name = "bureau_nominations"
urlpatterns: list[URLPattern] = []
