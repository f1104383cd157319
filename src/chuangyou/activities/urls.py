from django.urls import path

from chuangyou.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("calendar/", views.calendar, name="calendar"),
    path("awards/", views.awards, name="awards"),
    path("awards/<int:award_id>/certificate/", views.award_certificate, name="award_certificate"),
    path("awards/<int:award_id>/delete/", views.award_delete, name="award_delete"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:evidence_id>/exhibition/", views.evidence_exhibition, name="evidence_exhibition"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    path("<int:pk>/<str:action>/status/", views.activity_status, name="status"),
    path("<int:pk>/safety/", views.safety_download, name="safety"),
    path("<int:pk>/sign-up/", views.sign_up, name="sign_up"),
    path("<int:pk>/withdraw/<int:registration_id>/", views.withdraw, name="withdraw"),
    path("<int:pk>/bulk/", views.bulk_sign_up, name="bulk"),
    path("<int:pk>/team/", views.team, name="team"),
    path("<int:pk>/registrations.xlsx", views.registrations_xlsx, name="registrations_xlsx"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results/<int:registration_id>/", views.result_save, name="result_save"),
    path("<int:pk>/results/template.xlsx", views.results_template, name="results_template"),
    path("<int:pk>/results/imports/<int:import_id>/report/", views.import_report, name="import_report"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
]
