from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报表"

    def ready(self) -> None:
        # adds the 联系网络 section to the scientist's page (experts sends the signal, knowing nothing of reports)
        # the hub's sections on the scientist's, the organisation's and the staff member's pages (issue 18 §1)
        from reports.hub import sections  # noqa: F401
        from reports.network import panel  # noqa: F401
