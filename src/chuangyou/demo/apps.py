from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "chuangyou.demo"
    verbose_name = "演示数据"
