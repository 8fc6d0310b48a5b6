from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "统计与报表"

    def ready(self) -> None:
        # The sections of the scientist's page, in the page's order (experts sends the signal, knowing nothing
        # of reports): the hub's summary (issue 18 §1), the 联系网络, the hub's timeline. The hub also adds its
        # sections to the organisation's and the staff member's pages.
        from reports.hub import sections

        sections.connect_scientist_sections(before_others=True)
        # 延续上一年度 on the years page, and the 调整与建议 section of the team's page (liaison/plan/signals.py)
        from reports.cycle import adjustments, team_section  # noqa: F401
        from reports.network import panel  # noqa: F401

        sections.connect_scientist_sections(before_others=False)

        # the workbook's import and exports register as kinds of jobs (reports/jobs/run.py), here so that a
        # Celery worker, which loads no views, knows them too
        from reports.cycle import jobs as cycle_jobs  # noqa: F401
        from reports.digest import jobs as digest_jobs  # noqa: F401
        from reports.duty import jobs as duty_jobs  # noqa: F401
        from reports.workbook import jobs  # noqa: F401
