"""Pages of this app that need no login, mounted under /s/<school code>/exhibition/."""

from django.urls import path

from chuangyou.exhibition import public_views

app_name = "exhibition_public"
urlpatterns = [
    path("", public_views.gallery, name="gallery"),
    path("photos/<int:evidence_id>/thumb.jpg", public_views.thumb, name="thumb"),
    path("photos/<int:evidence_id>/full.jpg", public_views.full, name="full"),
    path("photos/<int:evidence_id>/takedown/", public_views.takedown, name="takedown"),
    path("takedown/done/", public_views.takedown_done, name="takedown_done"),
]
