from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "chuangyou.activities"
    verbose_name = _("活动与报名")
