from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "chuangyou.reports"
    verbose_name = "统计与文稿"
