from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "chuangyou.projects"
    verbose_name = "创新项目"
