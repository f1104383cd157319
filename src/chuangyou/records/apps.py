from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "chuangyou.records"
    verbose_name = _("参与档案")

    def ready(self) -> None:
        from chuangyou.records import quality_views

        quality_views.register()  # the raters' evidence and the 写实记录 on the engine's pages
