from django.urls import path

from chuangyou.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("template/<slug:kind>.xlsx", views.template, name="template"),
    path("imports/<int:import_id>/", views.detail, name="detail"),
    path("imports/<int:import_id>/confirm/", views.confirm, name="confirm"),
    path("imports/<int:import_id>/errors.xlsx", views.error_report, name="error_report"),
]
