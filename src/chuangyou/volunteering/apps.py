from django.apps import AppConfig


class VolunteeringConfig(AppConfig):
    name = "chuangyou.volunteering"
    verbose_name = "志愿服务"
