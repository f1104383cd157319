"""Pages of this app that need no login, mounted under /s/<school code>/honors/."""

from django.urls import path

from chuangyou.honors import public_views

app_name = "honors_public"
urlpatterns = [
    path("verify/", public_views.verify, name="verify"),
    path("roll/<int:year>/", public_views.roll, name="roll"),
    path("roll/<int:year>/poster.pdf", public_views.roll_poster, name="roll_poster"),
    path("photo/<int:honor_id>/", public_views.photo, name="photo"),
]
