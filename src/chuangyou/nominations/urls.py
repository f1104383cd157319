from django.urls import path

from chuangyou.nominations import views

app_name = "nominations"
urlpatterns = [
    path("", views.nomination_list, name="list"),
    path("new/", views.nominate, name="create"),
    path("<int:nomination_id>/", views.detail, name="detail"),
    path("notices/", views.notice_create, name="notices"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:objection_id>/", views.objection, name="objection"),
]
