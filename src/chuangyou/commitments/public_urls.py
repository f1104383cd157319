"""Pages of this app that need no login, mounted under /s/<school code>/commitments/."""

from django.urls import path

from chuangyou.commitments import public_views

app_name = "commitments_public"
urlpatterns = [
    path("", public_views.board, name="board"),
    path("items/<int:item_id>/", public_views.item_history, name="item_history"),
]
