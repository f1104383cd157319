from django.urls import path

from chuangyou.records import views

app_name = "records"
urlpatterns = [
    path("students/<int:student_id>/", views.student, name="student"),
    path("staff/<int:staff_id>/", views.staff, name="staff"),
    path("classes/<int:class_id>/", views.school_class, name="class"),
]
