from django.apps import AppConfig


class ExhibitionConfig(AppConfig):
    name = "chuangyou.exhibition"
    verbose_name = "成果展示"
