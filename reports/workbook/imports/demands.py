"""诉求 (our addition to the format, docs/workbook.md): each demand of the export with where it stands, so that
an exported workbook imported back (here or elsewhere) keeps every demand's follow-up.

A row finds its demand on its record: the record its 记录编号 names, or else the team's records of that
day (联系日期 + 专班名称, the team of that name in the year of the date) — among which the one whose demand
says exactly the row's 内容. The demand itself comes from the record's 反映问题 (联系记录 is applied
first), so a row names a demand that exists; it is brought to the row's state (contacts.demand_restore).
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import NON_FIELD_ERRORS

from liaison.contacts import services as contacts
from liaison.models import ContactRecord, Demand, DemandStatus, Department, Staff

from . import cells
from .base import Invalid
from .context import Row
from .format import DEMAND_KINDS, DEMANDS, allowed, canon, record_pk
from .plan import PlanSheet

STATUSES = {canon(label): value for value, label in DemandStatus.choices}


class DemandSheet(PlanSheet):
    name = DEMANDS
    key_column = "内容"
    fields = {
        "kind": "类别",
        "status": "状态",
        "handler": "承办人",
        "handler_department": "承办部室",
        "due_date": "办理时限",
        "reply": "反馈意见",
        "closed_at": "办结日期",
        "revisit_date": "回访日期",
        "revisit_satisfied": "是否满意",
        NON_FIELD_ERRORS: "内容",
    }
    STATUS_ERROR = f"状态应为以下之一：{allowed(DemandStatus.choices)}。"
    KIND_ERROR = "类别应为以下之一：困难诉求 · 意见建议 · 项目合作 · 举荐表彰 · 其他，或留空。"

    def run(self) -> None:
        seen: dict[int, int] = {}
        for row in self.data.rows:
            with contextlib.suppress(Invalid):
                demand = self.find(row)
                if not self.first_seen(seen, demand.pk, row, "内容", "同一条诉求"):
                    continue
                self.apply(row, demand)

    def find(self, row: Row) -> Demand:
        day, team_name, text = self.checked(
            row,
            [
                lambda: self.required_cell(row, "联系日期", cells.date),
                lambda: self.required(row, "专班名称"),
                lambda: self.required(row, "内容"),
            ],
        )
        demands = Demand.objects.select_related("record", "handler", "handler_department")
        number = row.text("记录编号")
        if number:
            pk = record_pk(number)
            if pk is None or not ContactRecord.objects.filter(pk=pk).exists():
                raise self.fail(row, "记录编号", "不是本系统导出的联系记录编号（新记录请清空此格）。")
            demands = demands.filter(record_id=pk)
        else:
            team = self.team(row, day.year, team_name)
            demands = demands.filter(record__team=team, record__date=day)
        candidates = list(demands.filter(record__is_deleted=False).order_by("id"))
        found = [d for d in candidates if canon(d.text) == canon(text)]
        if not found:
            # A record with several demands exports them as lines of one 反映问题 cell, which imports as one
            # demand: the row's line becomes a demand of its own again.
            merged = [
                d for d in candidates if "\n" in d.text and canon(text) in map(canon, d.text.splitlines())
            ]
            if merged:
                return self.call(
                    row, contacts.demand_split, demand=merged[0], text=canon(text), by=self.ctx.by
                )
            raise self.fail(
                row,
                "内容",
                "找不到这条诉求：它所属的联系记录（同一专班、同一日期，“反映问题”写明这条内容）"
                "须已在系统中，或在本文件的“联系记录”工作表中。",
            )
        return found[0]

    def apply(self, row: Row, demand: Demand) -> None:
        kind, status, due, closed, revisit, satisfied = self.checked(
            row,
            [
                lambda: self.optional(row, "类别", cells.choice, DEMAND_KINDS, self.KIND_ERROR),
                lambda: self.optional(row, "状态", cells.choice, STATUSES, self.STATUS_ERROR),
                lambda: self.optional(row, "办理时限", cells.date),
                lambda: self.optional(row, "办结日期", cells.date),
                lambda: self.optional(row, "回访日期", cells.date),
                lambda: self.optional(row, "是否满意", cells.yes_no),
            ],
        )
        values = {}
        if kind is not None:
            values["kind"] = kind
        if status is not None:
            values["status"] = status
        for column, field, value in (("办理时限", "due_date", due), ("办结日期", "closed_at", closed)):
            if row.has(column):
                values[field] = value
        if row.has("回访日期"):
            values["revisit_date"] = revisit
        if row.has("是否满意"):
            values["revisit_satisfied"] = satisfied if row.text("是否满意") else None
        if row.has("反馈意见"):
            values["reply"] = row.text("反馈意见")
        if row.has("提出人") and row.text("提出人"):
            values.update(self.raised_by(demand, row.text("提出人")))
        if row.has("承办部室"):
            values["handler_department"] = self.department(row, row.text("承办部室"))
        if row.has("承办人用户名") and row.text("承办人用户名"):
            values["handler"] = self.staff(row, "承办人用户名", row.text("承办人用户名"))
        elif row.has("承办人"):
            values["handler"] = self.handler_by_name(row, row.text("承办人"))
        changed = self.call(row, contacts.demand_restore, demand=demand, values=values, by=self.ctx.by)
        if changed:
            self.counts.updated += 1
        else:
            self.counts.unchanged += 1

    @staticmethod
    def raised_by(demand: Demand, name: str) -> dict:
        """Who raised it: a scientist or organisation the record names, by name; anyone else as text."""
        for target in demand.record.targets.select_related("scientist", "organization"):
            if target.scientist_id and target.scientist.name == canon(name):
                return {
                    "raised_by_scientist": target.scientist,
                    "raised_by_organization": None,
                    "raised_by_text": "",
                }
            if target.organization_id and target.organization.name == canon(name):
                return {
                    "raised_by_scientist": None,
                    "raised_by_organization": target.organization,
                    "raised_by_text": "",
                }
        return {
            "raised_by_scientist": None,
            "raised_by_organization": None,
            "raised_by_text": canon(name)[:100],
        }

    def department(self, row: Row, name: str) -> Department | None:
        if not name:
            return None
        found = Department.objects.filter(name=canon(name)).first()
        if found is None:
            raise self.fail(row, "承办部室", f"没有名为“{name}”的部室。")
        return found

    def handler_by_name(self, row: Row, name: str) -> Staff | None:
        if not name:
            return None
        found = list(Staff.objects.filter(name=canon(name))[:2])
        if len(found) != 1:
            reason = "没有这个名字的干部" if not found else "有同名的干部，请在“承办人用户名”列填写用户名"
            raise self.fail(row, "承办人", f"“{name}”：{reason}。")
        return found[0]
