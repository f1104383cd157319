from django.urls import path

from chuangyou.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("<int:year>/", views.campaign_detail, name="detail"),
    path("<int:year>/edit/", views.campaign_edit, name="edit"),
    path("<int:year>/delete/", views.campaign_delete, name="delete"),
    path("<int:year>/phases/", views.phases, name="phases"),
    path("<int:year>/phases/<int:phase_id>/edit/", views.phase_edit, name="phase_edit"),
    path("<int:year>/phases/<int:phase_id>/move/", views.phase_move, name="phase_move"),
    path("<int:year>/phases/<int:phase_id>/delete/", views.phase_delete, name="phase_delete"),
    path("<int:year>/assignments/", views.assignments, name="assignments"),
    path("<int:year>/assignments/<int:assignment_id>/edit/", views.assignment_edit, name="assignment_edit"),
    path("<int:year>/assignments/<int:assignment_id>/done/", views.assignment_done, name="assignment_done"),
    path(
        "<int:year>/assignments/<int:assignment_id>/reopen/",
        views.assignment_reopen,
        name="assignment_reopen",
    ),
    path(
        "<int:year>/assignments/<int:assignment_id>/delete/",
        views.assignment_delete,
        name="assignment_delete",
    ),
    path("<int:year>/resources/", views.resources, name="resources"),
    path("<int:year>/resources/<int:line_id>/edit/", views.resource_edit, name="resource_edit"),
    path("<int:year>/resources/<int:line_id>/delete/", views.resource_delete, name="resource_delete"),
    path("<int:year>/safety/", views.safety, name="safety"),
    path("<int:year>/safety/download/", views.safety_download, name="safety_download"),
]
