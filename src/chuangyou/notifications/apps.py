from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "chuangyou.notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from chuangyou.notifications import backends, tencent_sms

        backends.SMS_PROVIDERS.setdefault("tencent", tencent_sms.TencentSms)
