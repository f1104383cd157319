from django.urls import path

from chuangyou.honors import views

app_name = "honors"
urlpatterns = [
    path("", views.honor_list, name="list"),
    path("issue/<int:notice_id>/", views.issue, name="issue"),
    path("<int:honor_id>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:honor_id>/revoke/", views.revoke, name="revoke"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<int:line_id>/budget/", views.set_budget, name="budget"),
    path("seal/", views.seal, name="seal"),
    path("seal/image.png", views.seal_image, name="seal_image"),
    path("batches/new/<int:notice_id>/", views.batch_request, name="batch_request"),
    path("batches/<int:batch_id>/", views.batch, name="batch"),
    path("batches/<int:batch_id>/file/", views.batch_file, name="batch_file"),
    path("students/<int:student_id>/", views.student_record, name="student"),
    path("staff/<int:staff_id>/", views.staff_record, name="staff"),
    path("long-term/", views.long_term, name="long_term"),
    path(
        "long-term/<int:rule_id>/<int:student_id>/confirm/", views.long_term_confirm, name="long_term_confirm"
    ),
]
