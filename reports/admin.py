"""Admin of the review cycle's records: for looking things up; changes go through the pages."""

from __future__ import annotations

from django.contrib import admin

from reports.duty.models import DutyNarrative
from reports.jobs.models import Job
from reports.models import ChangeProposal, PlanApproval, PlanChange, PlanTransition, TeamOrigin


@admin.register(PlanTransition)
class PlanTransitionAdmin(admin.ModelAdmin):
    list_display = ["year", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", "year"]
    search_fields = ["reason", "by__username"]
    list_select_related = ["year", "by"]
    date_hierarchy = "at"


@admin.register(PlanApproval)
class PlanApprovalAdmin(admin.ModelAdmin):
    list_display = ["year", "approved_on", "document_number", "recorded_by"]
    list_filter = ["approved_on"]
    search_fields = ["document_number", "note"]
    list_select_related = ["year", "recorded_by"]


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "year", "team_name", "kind", "old_target", "new_target", "by"]
    list_filter = ["kind", "year"]
    search_fields = ["team_name", "old_target", "new_target", "reason"]
    list_select_related = ["year", "by"]
    raw_id_fields = ["team", "proposal"]
    date_hierarchy = "at"


@admin.register(ChangeProposal)
class ChangeProposalAdmin(admin.ModelAdmin):
    list_display = ["proposed_at", "team", "kind", "status", "proposed_by", "decided_by"]
    list_filter = ["status", "kind"]
    search_fields = ["team__name", "reason", "decision_note"]
    list_select_related = ["team", "proposed_by", "decided_by"]
    raw_id_fields = ["team", "assignment", "organization", "scientist"]


@admin.register(TeamOrigin)
class TeamOriginAdmin(admin.ModelAdmin):
    list_display = ["team", "source"]
    list_filter = ["team__year"]
    search_fields = ["team__name", "source__name"]
    list_select_related = ["team", "source"]
    raw_id_fields = ["team", "source"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """For looking a job up (who ran what, when, why it failed); jobs are started and read on their pages."""

    list_display = ["created_at", "kind", "title", "status", "created_by", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "message", "created_by__username"]
    list_select_related = ["created_by"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["input_file", "result_file"]
    date_hierarchy = "created_at"


@admin.register(DutyNarrative)
class DutyNarrativeAdmin(admin.ModelAdmin):
    """For looking a kept 述职正文 up; people edit it on their duty report's page (version-guarded there)."""

    list_display = ["year", "staff", "updated_by", "updated_at"]
    list_filter = ["year"]
    search_fields = ["staff__name", "text", "self_assessment"]
    list_select_related = ["year", "staff", "updated_by"]
    raw_id_fields = ["staff", "updated_by"]
    readonly_fields = ["version", "updated_at"]
