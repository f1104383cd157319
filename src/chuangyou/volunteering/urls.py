from django.urls import path

from chuangyou.volunteering import views

app_name = "volunteering"
urlpatterns = [
    path("", views.home, name="home"),
    path("claim/", views.claim_new, name="claim_new"),
    path("review/", views.review, name="review"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("volunteers/export/", views.volunteers_export, name="volunteers_export"),
    path("rules/", views.rules, name="rules"),
    path("<int:claim_id>/", views.claim_detail, name="claim"),
    path("<int:claim_id>/consent/", views.consent, name="consent"),
    path("<int:claim_id>/paper-consent/", views.paper_consent, name="paper_consent"),
    path("<int:claim_id>/approve/", views.approve, name="approve"),
    path("<int:claim_id>/reject/", views.reject, name="reject"),
    path("<int:claim_id>/evidence/", views.evidence, name="evidence"),
]
