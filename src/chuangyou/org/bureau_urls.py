"""A bureau admin's 放假安排 pages, under /bureau/<code>/holidays/."""

from django.urls import path

from chuangyou.org import views

app_name = "bureau_holidays"
urlpatterns = [
    path("", views.bureau_holidays, name="list"),
    path("<int:year>/", views.bureau_holidays, name="edit"),
]
