from django.urls import path

from chuangyou.commitments import appraisal_views, views

app_name = "commitments"
urlpatterns = [
    path("appraisal/new/", appraisal_views.commitment_appraisal_new, name="appraisal_new"),
    path("appraisal/<int:pk>/items/", appraisal_views.commitment_items, name="appraisal_items"),
    path("", views.home, name="home"),
    path("declare/", views.declare, name="declare"),
    path("overdue/", views.overdue, name="overdue"),
    path("export.xlsx", views.export, name="export"),
    path("settings/", views.settings_view, name="settings"),
    path("filings/", views.filings, name="filings"),
    path("evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/return/", views.return_view, name="return"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/file/", views.file_view, name="file"),
    path("<int:pk>/items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/items/<int:item_id>/history/", views.item_history, name="item_history"),
    path("<int:pk>/items/<int:item_id>/progress/", views.progress, name="progress"),
    path("<int:pk>/items/<int:item_id>/fulfilment/", views.fulfilment, name="fulfilment"),
]
