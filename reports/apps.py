from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报表"

    def ready(self) -> None:
        # adds the 联系网络 section to the scientist's page (experts sends the signal, knowing nothing of reports)
        from reports.network import panel  # noqa: F401
