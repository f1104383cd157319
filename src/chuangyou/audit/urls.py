from django.urls import path

from chuangyou.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.log, name="log"),
    path("export.xlsx", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
]
