from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "chuangyou.limits"
    verbose_name = "频率限制"
    default_auto_field = "django.db.models.BigAutoField"
