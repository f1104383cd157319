from django.urls import URLPattern

app_name = "honors"
urlpatterns: list[URLPattern] = []
