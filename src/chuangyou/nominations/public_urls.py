"""Pages of this app that need no login, mounted under /s/<school code>/nominations/."""

from django.urls import path

from chuangyou.nominations import public_views

app_name = "nominations_public"
urlpatterns = [
    path("notices/<int:notice_id>/", public_views.notice_page, name="notice"),
    path("notices/<int:notice_id>/poster.pdf", public_views.poster, name="poster"),
    path("notices/<int:notice_id>/object/", public_views.object_form, name="object"),
    path("reply/", public_views.reply_lookup, name="reply"),
]
