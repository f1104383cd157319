"""统计与文稿."""

from django.urls import path

from chuangyou.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("classes/<int:class_id>/", views.class_view, name="class"),
    path("me/", views.mine, name="mine"),
    path("students/<int:student_id>/", views.personal, name="personal"),
    path("<int:year>/summary/", views.summary, name="summary"),
    path("briefings/", views.briefing, name="briefing"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:document_id>.<str:fmt>", views.download, name="download"),
]
