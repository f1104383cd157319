from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "chuangyou.campaigns"
    verbose_name = "活动方案"
