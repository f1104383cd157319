"""The bureau's 表彰 pages, mounted beside its nomination pages under /bureau/<bureau code>/nominations/."""

from django.urls import path

from chuangyou.honors import bureau_views as views

app_name = "bureau_honors"
urlpatterns = [
    path("notices/<int:notice_id>/issue/", views.issue, name="issue"),
    path("honors/", views.honors, name="list"),
]
