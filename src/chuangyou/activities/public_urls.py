"""Pages of this app that need no login, mounted under /s/<school code>/activities/."""

from django.urls import path

from chuangyou.activities import public_views

app_name = "activities_public"
urlpatterns = [
    path("calendar.ics", public_views.feed, name="feed"),
]
