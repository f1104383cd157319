from django.apps import AppConfig


class HonorsConfig(AppConfig):
    name = "chuangyou.honors"
    verbose_name = "表彰与荣誉"
