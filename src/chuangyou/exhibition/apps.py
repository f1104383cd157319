from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitionConfig(AppConfig):
    name = "chuangyou.exhibition"
    verbose_name = _("成果展示")
