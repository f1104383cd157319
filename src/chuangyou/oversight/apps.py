from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """监督: the pages where the supervision group, the school admin and the bureau read, export and
    verify the audit log. The log itself is `audit`, at the bottom of the layers so that every service
    (org's and accounts' too) can write it; reading it needs org's roles, so its pages sit here, above."""

    name = "chuangyou.oversight"
    verbose_name = _("审计日志查阅")
