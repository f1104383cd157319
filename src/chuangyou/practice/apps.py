from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "chuangyou.practice"
    verbose_name = _("每周一练")

    def ready(self) -> None:
        from chuangyou.practice import todos  # noqa: F401  (registers its 工作台 entries)
