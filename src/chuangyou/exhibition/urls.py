from django.urls import URLPattern

app_name = "exhibition"
urlpatterns: list[URLPattern] = []
