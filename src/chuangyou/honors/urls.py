from django.urls import path

from chuangyou.honors import views

app_name = "honors"
urlpatterns = [
    path("", views.honor_list, name="list"),
    path("issue/<int:notice_id>/", views.issue, name="issue"),
    path("<int:honor_id>/certificate.pdf", views.certificate, name="certificate"),
    path("<int:honor_id>/revoke/", views.revoke, name="revoke"),
    path("ledger/", views.ledger, name="ledger"),
]
