from django.urls import path

from chuangyou.org import views

app_name = "org"
urlpatterns = [
    path("students/", views.students, name="students"),
    path("students/<int:student_id>/", views.student_detail, name="student"),
    path("staff/", views.staff, name="staff"),
    path("classes/", views.classes, name="classes"),
    path("roles/", views.roles, name="roles"),
    path("roles/<int:membership_id>/end/", views.end_role, name="end_role"),
    path("holidays/", views.school_holidays, name="holidays"),
    path("holidays/<int:year>/", views.school_holidays, name="holidays_edit"),
    path("notifications/", views.notification_settings, name="notification_settings"),
]
