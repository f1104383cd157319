from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonorsConfig(AppConfig):
    name = "chuangyou.honors"
    verbose_name = _("表彰与荣誉")

    def ready(self) -> None:
        # Registers the honors-based nomination gates (nominations can't import honors: it is below it).
        from chuangyou.honors import gates  # noqa: F401
