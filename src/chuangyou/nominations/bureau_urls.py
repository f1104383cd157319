"""The bureau's nomination pages, mounted under /bureau/<bureau code>/nominations/."""

from django.urls import path

from chuangyou.nominations import bureau_views as views

app_name = "bureau_nominations"
urlpatterns = [
    path("", views.award_list, name="awards"),
    path("awards/new/", views.award_edit, name="award_create"),
    path("awards/<int:award_id>/", views.award_edit, name="award"),
    path("awards/<int:award_id>/delete/", views.award_delete, name="award_delete"),
    path("awards/<int:award_id>/gates/", views.gate_add, name="gate_add"),
    path("awards/<int:award_id>/gates/<int:gate_id>/delete/", views.gate_remove, name="gate_remove"),
    path("awards/<int:award_id>/ranking/", views.ranking, name="ranking"),
    path("notices/", views.notices, name="notices"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:objection_id>/", views.objection, name="objection"),
    path("objections/<int:objection_id>/evidence/", views.objection_evidence, name="objection_evidence"),
]
