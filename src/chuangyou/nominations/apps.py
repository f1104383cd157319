from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "chuangyou.nominations"
    verbose_name = "推荐与公示"
