from django.urls import path

from chuangyou.records import quality_views, views

app_name = "records"
urlpatterns = [
    path("quality/new/", quality_views.quality_new, name="quality_new"),
    path("quality/<int:pk>/portfolio/", quality_views.portfolio, name="portfolio"),
    path("students/<int:student_id>/", views.student, name="student"),
    path("staff/<int:staff_id>/", views.staff, name="staff"),
    path("classes/<int:class_id>/", views.school_class, name="class"),
]
