from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LimitsConfig(AppConfig):
    name = "chuangyou.limits"
    verbose_name = _("频率限制")
    default_auto_field = "django.db.models.BigAutoField"
