from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "chuangyou.accounts"
    verbose_name = "账号"
