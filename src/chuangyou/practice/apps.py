from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "chuangyou.practice"
    verbose_name = "每周一练"
