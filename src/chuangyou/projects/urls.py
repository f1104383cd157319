from django.urls import path

from chuangyou.projects import review_views, views

app_name = "projects"
urlpatterns = [
    path("panel-review/new/", review_views.project_review_new, name="review_new"),
    path("panel-review/<int:pk>/outcome/", review_views.project_outcome, name="review_outcome"),
    path("", views.calls, name="calls"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:call_id>/", views.call_detail, name="call"),
    path("calls/<int:call_id>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:call_id>/panel/", views.panel, name="panel"),
    path("calls/<int:call_id>/review/", views.open_review, name="open_review"),
    path("calls/<int:call_id>/propose/", views.propose, name="propose"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/export/", views.export, name="export"),
    path("proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:proposal_id>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:proposal_id>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:proposal_id>/delete/", views.proposal_delete, name="proposal_delete"),
    path("proposals/<int:proposal_id>/print/", views.proposal_print, name="proposal_print"),
    path("proposals/<int:proposal_id>/decision/", views.decide, name="decide"),
    path("proposals/<int:proposal_id>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "proposals/<int:proposal_id>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "proposals/<int:proposal_id>/attachments/<int:attachment_id>/delete/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
