from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "chuangyou.commitments"
    verbose_name = _("公开承诺")
