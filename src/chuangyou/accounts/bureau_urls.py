"""A bureau admin's page for accounts a school may not reset, under /bureau/<code>/accounts/."""

from django.urls import path

from chuangyou.accounts import views

app_name = "bureau_accounts"
urlpatterns = [
    path("reset-password/", views.bureau_reset_password, name="reset_password"),
]
