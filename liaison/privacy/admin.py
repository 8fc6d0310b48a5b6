"""The Django admin under 三员分立 (issue 17 §4; docs/design.md, "Roles"):

- the audit logs (django-auditlog's change log, the personal-data view log) are read in the admin by the
  auditor only: not by a superuser, not by anyone given the permission by hand; nobody changes or deletes
  them there (the view log is purged by `manage.py purge_access_log` only);
- accounts: the system administrator edits names, email, passwords and whether an account is active; the
  security administrator edits its roles (groups, permissions, the admin flag); neither makes a superuser;
- an account holds at most one of the three administrator groups, and never one together with a Staff
  record (the auditor must not be one who changes the data);
- the security administrator grants only permissions on accounts and lockouts (auth, axes): a permission on
  the data, given to a group or an account, would let an administrator change the data on the site's pages.
"""

from __future__ import annotations

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from liaison.models import PersonalDataSubject, PersonalDataView, Staff
from liaison.people.access import ADMIN_GROUPS, Role, is_auditor, role_of

# --- the audit logs: read by the auditor only ------------------------------------------------------------


class AuditorOnly:
    """Read-only, and only for the auditor role (a superuser included in the refusal: 三员分立)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_auditor(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_auditor(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditorLogEntryAdmin(AuditorOnly, LogEntryAdmin):
    pass


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(AuditorOnly, admin.ModelAdmin):
    list_display = ["at", "user_label", "what", "summary", "people_count", "client_ip"]
    list_filter = ["what", "everyone"]
    search_fields = ["username", "user_label", "summary", "subjects__name", "subjects__name_pinyin"]
    date_hierarchy = "at"


@admin.register(PersonalDataSubject)
class PersonalDataSubjectAdmin(AuditorOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "object_id", "view"]
    list_filter = ["kind"]
    search_fields = ["name", "name_pinyin", "name_initials"]
    list_select_related = ["view"]


# --- accounts: the system administrator and the security administrator share them ------------------------

SEPARATED = "三员分立：一个账号只能担任系统管理员、安全保密管理员、安全审计员中的一个。"
NOT_A_WORKING_ACCOUNT = "三员分立：登记了干部信息的工作账号不能担任系统管理员、安全保密管理员或安全审计员。"

# What each administrator may not change on an account (a superuser changes everything).
READ_ONLY = {
    Role.SYSTEM_ADMIN: [
        "is_superuser",
        "is_staff",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    ],
    Role.SECURITY_ADMIN: [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_superuser",
        "last_login",
        "date_joined",
    ],
}


class SeparatedUserChangeForm(UserChangeForm):
    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups")
        if groups is not None:
            chosen = [g for g in groups if g.name in ADMIN_GROUPS]
            if len(chosen) > 1:
                raise ValidationError({"groups": SEPARATED})
            if chosen and self.instance.pk and Staff.objects.filter(user=self.instance).exists():
                raise ValidationError({"groups": NOT_A_WORKING_ACCOUNT})
        return cleaned


# The permissions someone other than a superuser may grant: accounts, groups and lockouts, nothing on the data.
GRANTABLE_APPS = ("auth", "axes")


def grantable_permissions():
    return Permission.objects.filter(content_type__app_label__in=GRANTABLE_APPS).select_related(
        "content_type"
    )


class GrantsOnlyAccountPermissions:
    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name in ("permissions", "user_permissions") and not request.user.is_superuser:
            kwargs["queryset"] = grantable_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class SeparatedGroupAdmin(GrantsOnlyAccountPermissions, GroupAdmin):
    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # the three administrator groups are set by migration liaison 0015; only a superuser changes them
        if obj is not None and obj.name in ADMIN_GROUPS and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)


admin.site.unregister(User)


@admin.register(User)
class SeparatedUserAdmin(GrantsOnlyAccountPermissions, UserAdmin):
    form = SeparatedUserChangeForm

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return READ_ONLY.get(
            role_of(request.user), ["is_superuser", "is_staff", "groups", "user_permissions"]
        )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # nobody but a superuser edits a superuser's account
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        """Passwords are the system administrator's (and a superuser's), not the security administrator's."""
        if not (request.user.is_superuser or role_of(request.user) == Role.SYSTEM_ADMIN):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)
