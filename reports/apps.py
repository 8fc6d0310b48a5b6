from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报表"

    def ready(self) -> None:
        # adds the 联系网络 section to the scientist's page (experts sends the signal, knowing nothing of reports)
        # 延续上一年度 on the years page, and the 调整与建议 section of the team's page (liaison/plan/signals.py)
        from reports.cycle import adjustments, team_section  # noqa: F401
        from reports.network import panel  # noqa: F401
