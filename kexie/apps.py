from django.apps import AppConfig


class KexieConfig(AppConfig):
    name = "kexie"
    verbose_name = "站点"

    def ready(self) -> None:
        from kexie import middleware  # noqa: F401 - connects session_started to user_logged_in
