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
    path("objections/<int:objection_id>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("awards/", views.award_list, name="awards"),
    path("awards/presets/", views.award_presets, name="award_presets"),
    path("awards/new/", views.award_edit, name="award_create"),
    path("awards/<int:award_id>/", views.award_edit, name="award"),
    path("awards/<int:award_id>/delete/", views.award_delete, name="award_delete"),
    path("awards/<int:award_id>/gates/", views.gate_add, name="gate_add"),
    path("awards/<int:award_id>/gates/<int:gate_id>/delete/", views.gate_remove, name="gate_remove"),
    path("proposals/", views.proposal_list, name="proposals"),
    path(
        "proposals/<int:award_id>/<int:student_id>/confirm/", views.proposal_confirm, name="proposal_confirm"
    ),
    path("exams/", views.exam_import, name="exams"),
]
