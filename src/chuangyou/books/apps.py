from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BooksConfig(AppConfig):
    name = "chuangyou.books"
    verbose_name = _("好书推荐")
