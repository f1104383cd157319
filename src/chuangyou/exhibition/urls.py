"""成果展示: the working group's pages, under /school/<code>/exhibition/."""

from django.urls import path

from chuangyou.exhibition import views

app_name = "exhibition"
urlpatterns = [
    path("", views.photos, name="photos"),
    path("approve/", views.approve, name="approve"),
    path("photos/<int:evidence_id>/thumb.jpg", views.thumb, name="thumb"),
    path("takedowns/", views.takedowns, name="takedowns"),
    path("takedowns/<int:takedown_id>/", views.handle, name="handle"),
]
