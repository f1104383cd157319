from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "chuangyou.commitments"
    verbose_name = "公开承诺"
