from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "chuangyou.volunteering"
    verbose_name = _("志愿服务")

    def ready(self) -> None:
        from chuangyou.volunteering import todos  # noqa: F401  (registers its 工作台 entries)
