from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "chuangyou.campaigns"
    verbose_name = _("活动方案")

    def ready(self) -> None:
        from chuangyou.campaigns import todos  # noqa: F401  (registers its 工作台 entries)
