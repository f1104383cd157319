"""Pages of this app that need no login, mounted under /s/<school code>/evaluations/.

The one-time voting code is never part of an address (access logs keep addresses in plain text): the
slip's QR links to v/#<code>, whose fragment the browser keeps to itself; a static script reads it and
POSTs it to v/, and a typed code is POSTed the same way. The old v/<code>/ route is gone."""

from django.urls import path

from chuangyou.evaluations import public_views

app_name = "evaluations_public"
urlpatterns = [
    path("v/", public_views.enter_code, name="enter_code"),
    path("<int:pk>/receipt/", public_views.receipt_check, name="receipt"),
    path("verify_count.py", public_views.verifier, name="verifier"),
    path("<int:pk>/result/", public_views.public_result, name="result"),
    path(
        "<int:pk>/result/ballots.json", public_views.count_file, {"kind": "ballots_json"}, name="ballots_json"
    ),
    path("<int:pk>/result/ballots.csv", public_views.count_file, {"kind": "ballots_csv"}, name="ballots_csv"),
    path("<int:pk>/result/result.json", public_views.count_file, {"kind": "result_json"}, name="result_json"),
]
