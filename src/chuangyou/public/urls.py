from django.urls import path

from chuangyou.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.school_home, name="school"),
]
