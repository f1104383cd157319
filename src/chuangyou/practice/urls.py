"""每周一练."""

from django.urls import path

from chuangyou.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.create, name="create"),
    path("<int:set_id>/", views.detail, name="detail"),
    path("<int:set_id>/edit/", views.edit, name="edit"),
    path("<int:set_id>/delete/", views.delete, name="delete"),
    path("<int:set_id>/publish/", views.publish, name="publish"),
    path("<int:set_id>/questions/<int:question_id>/edit/", views.question_edit, name="question_edit"),
    path("<int:set_id>/questions/<int:question_id>/delete/", views.question_delete, name="question_delete"),
    path("<int:set_id>/answer/", views.answer, name="answer"),
    path("<int:set_id>/answer/<int:question_id>/", views.save, name="save"),
    path("<int:set_id>/students/<int:student_id>/", views.result, name="result"),
    path("<int:set_id>/report/", views.report, name="report"),
    path("<int:set_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:set_id>/grading/", views.grading, name="grading"),
    path("<int:set_id>/grading/<int:answer_id>/", views.grade, name="grade"),
    path("classes/<int:class_id>/", views.class_record, name="class_record"),
    path("classes/<int:class_id>.xlsx", views.class_record_xlsx, name="class_record_xlsx"),
]
