from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "chuangyou.activities"
    verbose_name = "活动与报名"
