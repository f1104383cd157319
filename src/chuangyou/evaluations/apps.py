from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "chuangyou.evaluations"
    verbose_name = _("评议评价")
