from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "chuangyou.records"
    verbose_name = _("参与档案")
