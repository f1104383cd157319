from django.urls import path

from chuangyou.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("count/", views.bell, name="bell"),
    path("read-all/", views.read_all, name="read_all"),
    path("contact/", views.contact, name="contact"),
    path("<int:pk>/read/", views.read, name="read"),
]
