from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "chuangyou.records"
    verbose_name = "参与档案"
