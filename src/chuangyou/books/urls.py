from django.urls import path

from chuangyou.books import views

app_name = "books"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.recommend, name="recommend"),
    path("rate/", views.rate, name="rate"),
    path("rate/<int:recommendation_id>/", views.rate_one, name="rate_one"),
    path("pick/", views.pick, name="pick"),
    path("settings/", views.book_settings, name="settings"),
    path("winners/", views.winners, name="winners"),
]
