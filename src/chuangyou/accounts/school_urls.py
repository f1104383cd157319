"""A school admin's pages for its people's accounts, beside the people pages under /school/<code>/people/."""

from django.urls import path

from chuangyou.accounts import views

app_name = "school_accounts"
urlpatterns = [
    path("classes/<int:class_id>/slips/", views.class_slips, name="class_slips"),
    path("accounts/<int:user_id>/reset-password/", views.reset_password, name="reset_password"),
]
