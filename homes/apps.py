from django.apps import AppConfig


class HomesConfig(AppConfig):
    name = "homes"
    verbose_name = "科技工作者之家"
