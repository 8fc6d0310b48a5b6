from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报表"

    def ready(self) -> None:
        from reports import signals  # noqa: F401 - connects the receivers that keep team figures current
