from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "chuangyou.org"
    verbose_name = "组织与人员"
