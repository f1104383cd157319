from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "chuangyou.nominations"
    verbose_name = _("推荐与公示")

    def ready(self) -> None:
        from chuangyou.nominations import todos  # noqa: F401  (registers its 工作台 entries)
