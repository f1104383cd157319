from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "chuangyou.books"
    verbose_name = "好书推荐"
