"""The stored figures of each team and year (the quota check's verdict and the counts behind it).

They live beside the one definition that computes them (liaison/compliance/figures.py, quotas.py,
team_figures.py) so that every page, in liaison or in reports, reads the same row. The tables kept the names
they had when the models lived in reports (reports_teamfigures, reports_yearfigures): moving the code
moved no row.
"""

from __future__ import annotations

from django.db import models

from liaison.models.plan import Team, Year


class TeamFigures(models.Model):
    """One team's figures of its year, as liaison/compliance/figures.py and the quota check compute them, kept until
    they change.

    The dashboard and the review read 2,000 teams' figures at a province's scale; computing them over a million
    records takes seconds, reading these rows milliseconds, and the plain columns let the database count,
    sort and page them. Every write the figures depend on (a record, its targets, an assignment, a demand, the
    team, the year's quota rules: liaison/compliance/signals.py) bumps `version`; figures computed at another version are
    recomputed on the next read (liaison/compliance/team_figures.py), so a page never shows a stale number.
    """

    team = models.OneToOneField(
        Team, verbose_name="专班", primary_key=True, on_delete=models.CASCADE, related_name="figures"
    )
    version = models.PositiveBigIntegerField("数据版本", default=0)
    computed_version = models.BigIntegerField("统计所据版本", default=-1)
    computed_at = models.DateTimeField("统计时间", null=True)
    assigned = models.PositiveIntegerField("联系对象数", default=0)
    uncontacted = models.PositiveIntegerField("全年未联系的对象数", default=0)
    overdue = models.PositiveIntegerField("超过联系间隔的对象数", default=0)
    # Overdue counts up to the day of computing: where the year's rules set an interval, figures of a day
    # before today are recomputed (team_figures.refresh) even with no write in between.
    dated = models.BooleanField("随日期变化", default=False)
    visits = models.PositiveIntegerField("下基层次数", default=0)
    visits_short = models.BooleanField("下基层不足", default=False)
    scientists = models.PositiveIntegerField("在册科技工作者数", default=0)
    spring_greeted = models.PositiveIntegerField("春节已慰问人数", default=0)
    workers_day_greeted = models.PositiveIntegerField("科技工作者日已慰问人数", default=0)
    open_demands = models.PositiveIntegerField("待办诉求数", default=0)
    compliant = models.BooleanField("达标", default=False)
    shortfalls = models.JSONField("未达标事项", default=list)
    # JSON parsed per row, so kept small: coverage {category: [assigned, contacted]}, demands
    # {kind: [open, closed]} and never (ids of the assignments never contacted: their names are read when
    # shown); the year's totals (YearFigures) add up records {method: 12 monthly counts} and days_to_close
    # {days as text: n}.
    counts = models.JSONField("统计数据", default=dict)
    records = models.JSONField("每月联系记录", default=dict)
    days_to_close = models.JSONField("诉求办结用时", default=dict)
    # {"kind:<kind>" or "topic:<topic>": n} of the demands raised on the team's records (figures.raised_counts)
    raised = models.JSONField("提出的诉求", default=dict, db_default={})

    class Meta:
        db_table = "reports_teamfigures"
        verbose_name = "专班统计"
        verbose_name_plural = "专班统计"

    def __str__(self) -> str:
        return f"{self.team} 统计（版本 {self.computed_version}）"

    @property
    def is_current(self) -> bool:
        return self.computed_version == self.version

    @property
    def coverage(self) -> dict[str, list[int]]:
        return self.counts.get("coverage", {})

    @property
    def demands(self) -> dict[str, list[int]]:
        return self.counts.get("demands", {})

    @property
    def never_contacted(self) -> list[int]:
        """Ids of the assignments in force at year end never contacted in the year."""
        return self.counts.get("never", [])

    @property
    def overdue_ids(self) -> list[int]:
        """Ids of the assignments in force at year end that went longer than their interval without a contact."""
        return self.counts.get("overdue", [])

    @property
    def assigned_by_category(self) -> dict[str, int]:
        return {category: pair[0] for category, pair in self.coverage.items()}

    @property
    def contacted(self) -> dict[str, int]:
        return {category: pair[1] for category, pair in self.coverage.items()}


class YearFigures(models.Model):
    """The year's totals the dashboard shows (records by month and method, demands by kind, days to close, the
    demands raised by kind and topic):
    the sum over the year's computed team figures, kept up to date with each team recomputed (the change is
    added under a lock on this row, liaison/compliance/team_figures.py). `team_rows` and `version_sum` say which team
    figures the totals hold; when they differ from the table's (a row deleted by hand), the totals are rebuilt.
    """

    year = models.OneToOneField(
        Year, verbose_name="年度", primary_key=True, on_delete=models.CASCADE, related_name="figures"
    )
    team_rows = models.PositiveIntegerField("所含专班数", default=0)
    version_sum = models.BigIntegerField("所含统计版本之和", default=0)
    records = models.JSONField("每月联系记录", default=dict)
    demands = models.JSONField("诉求", default=dict)
    days_to_close = models.JSONField("诉求办结用时", default=dict)
    # 诉求热点: demands raised in the year by kind and by topic (the teams' `raised` added up)
    raised = models.JSONField("提出的诉求", default=dict, db_default={})

    class Meta:
        db_table = "reports_yearfigures"
        verbose_name = "年度统计"
        verbose_name_plural = "年度统计"

    def __str__(self) -> str:
        return f"{self.year} 统计"

    def add(self, team: TeamFigures, sign: int = 1) -> None:
        """Add (or with sign=-1 take away) one team's computed figures."""
        if team.computed_version < 0:
            return  # never computed: holds nothing
        self.team_rows += sign
        self.version_sum += sign * team.computed_version
        for method, months in team.records.items():
            total = self.records.setdefault(method, [0] * 12)
            for i, n in enumerate(months):
                total[i] += sign * n
        for kind, counts in team.demands.items():
            total = self.demands.setdefault(kind, [0, 0, 0])
            total.extend([0] * (3 - len(total)))  # totals stored before overdue was kept (liaison 0018)
            for i, n in enumerate(counts[:3]):
                total[i] += sign * n
        for key, n in team.raised.items():
            self.raised[key] = self.raised.get(key, 0) + sign * n
            if not self.raised[key]:
                del self.raised[key]
        for days, n in team.days_to_close.items():
            self.days_to_close[days] = self.days_to_close.get(days, 0) + sign * n
            if not self.days_to_close[days]:
                del self.days_to_close[days]
