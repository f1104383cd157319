"""Pages of this app that need no login, mounted under /s/<school code>/evaluations/."""

from django.urls import path

from chuangyou.evaluations import public_views

app_name = "evaluations_public"
urlpatterns = [
    path("v/", public_views.enter_code, name="enter_code"),
    path("v/<str:ballot_code>/", public_views.code_ballot, name="code_ballot"),
    path("<int:pk>/receipt/", public_views.receipt_check, name="receipt"),
    path("<int:pk>/result/", public_views.public_result, name="result"),
]
