from django.urls import path

from chuangyou.oversight import views

app_name = "audit"  # the pages of the audit log: the name people and templates know them by
urlpatterns = [
    path("", views.log, name="log"),
    path("export.xlsx", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
    path("checkpoint.json", views.checkpoint, name="checkpoint"),
]
