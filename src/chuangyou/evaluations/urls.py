from django.urls import path

from chuangyou.evaluations import use_views, views

app_name = "evaluations"
urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("new/", views.evaluation_create, name="create"),
    path("mine/", views.my_ballots, name="mine"),
    path("preset/<slug:kind>/", use_views.preset, name="preset"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/turnout/", views.turnout, name="turnout"),
    path("<int:pk>/subjects/roster/", views.subjects_from_roster, name="subjects_roster"),
    path("<int:pk>/subjects/add/", views.subject_add, name="subject_add"),
    path("<int:pk>/subjects/pick/", views.subjects_pick, name="subjects_pick"),
    path("<int:pk>/subjects/remove/", views.subjects_remove, name="subjects_remove"),
    path("<int:pk>/subjects/<int:subject_id>/remove/", views.subject_remove, name="subject_remove"),
    path("<int:pk>/groups/<int:group_id>/remove/", views.group_remove, name="group_remove"),
    path("<int:pk>/rubric/", views.rubric_edit, name="rubric"),
    path("<int:pk>/groups/add/", views.group_add, name="group_add"),
    path("<int:pk>/groups/<int:group_id>/codes.pdf", views.codes_pdf, name="codes_pdf"),
    path("<int:pk>/groups/<int:group_id>/paper/", views.paper, name="paper"),
    path("<int:pk>/paper/<int:entry_id>/withdraw/", views.paper_withdraw, name="paper_withdraw"),
    path("<int:pk>/open/", views.open_voting, name="open"),
    path("<int:pk>/close/", views.close_voting, name="close"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/vote/<int:group_id>/", views.vote, name="vote"),
    path("<int:pk>/supervise/", views.supervise, name="supervise"),
    path("<int:pk>/recount/", views.recount, name="recount"),
    path("<int:pk>/ballots.xlsx", views.ballots_xlsx, name="ballots_xlsx"),
    path("<int:pk>/result/", views.result, name="result"),
    path("<int:pk>/result/ballots.json", views.count_file, {"kind": "ballots_json"}, name="ballots_json"),
    path("<int:pk>/result/ballots.csv", views.count_file, {"kind": "ballots_csv"}, name="ballots_csv"),
    path("<int:pk>/result/result.json", views.count_file, {"kind": "result_json"}, name="result_json"),
    path("<int:pk>/visibility/", views.set_visibility, name="visibility"),
    path("<int:pk>/benchmark/<int:subject_id>/", views.benchmark, name="benchmark"),
]
