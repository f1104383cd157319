from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "chuangyou.evaluations"
    verbose_name = _("评议评价")

    def ready(self) -> None:
        from chuangyou.evaluations import todos  # noqa: F401  (registers its 工作台 entries)
