from django.apps import AppConfig


class KexieConfig(AppConfig):
    name = "kexie"
    verbose_name = "站点"
