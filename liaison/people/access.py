"""Who may do what, derived from the data (docs/design.md, Roles).

A user's role comes from their Staff record: 领导班子成员 → leadership; staff of the department flagged as
组织联络部 → liaison office; everyone else on staff → staff. Superusers are admins. The predicates here are
registered with `rules` so that views, templates and the admin ask the same questions.
"""

from __future__ import annotations

from enum import StrEnum

import rules
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from liaison.models import ContactRecord, Demand, GrassrootsAccount, Position, Staff, Team, YearStatus


class Role(StrEnum):
    ADMIN = "admin"
    LEADERSHIP = "leadership"
    LIAISON_OFFICE = "liaison_office"
    DEPARTMENT_HEAD = "department_head"
    STAFF = "staff"
    # 三员分立 (issue 17 §4): three administrator accounts, kept apart from the working accounts and from
    # each other; each is a Django group created by migration liaison 0015.
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDITOR = "auditor"
    # An account tied to one grassroots organisation (issue 16): files that organisation's 备案, nothing else.
    GRASSROOTS = "grassroots"
    NONE = "none"


ROLE_LABELS = {
    Role.ADMIN: "超级管理员",
    Role.LEADERSHIP: "领导",
    Role.LIAISON_OFFICE: "组织联络部",
    Role.DEPARTMENT_HEAD: "部室负责人",
    Role.STAFF: "工作人员",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全保密管理员",
    Role.AUDITOR: "安全审计员",
    Role.GRASSROOTS: "基层组织",
    Role.NONE: "未登记干部",
}

# The groups that make an account one of the three administrators (names as the admin shows them).
ADMIN_GROUPS = {
    "系统管理员": Role.SYSTEM_ADMIN,
    "安全保密管理员": Role.SECURITY_ADMIN,
    "安全审计员": Role.AUDITOR,
}


def staff_of(user: User | AnonymousUser) -> Staff | None:
    """The user's active Staff record, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_kexie_staff"):
        user._kexie_staff = (
            Staff.objects.select_related("department").filter(user=user, is_active=True).first()
        )
    return user._kexie_staff


def admin_role_of(user: User | AnonymousUser) -> Role | None:
    """The administrator role an account's groups give it (one query, cached on the user), if any. An
    account in two of the three groups is none of them: the roles are kept apart (三员分立)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_kexie_admin_role"):
        names = set(user.groups.filter(name__in=ADMIN_GROUPS).values_list("name", flat=True))
        user._kexie_admin_role = ADMIN_GROUPS[names.pop()] if len(names) == 1 else None
    return user._kexie_admin_role


def grassroots_account_of(user: User | AnonymousUser) -> GrassrootsAccount | None:
    """The active user's grassroots account (with its organisation), cached on the user for the request."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_kexie_grassroots"):
        user._kexie_grassroots = (
            GrassrootsAccount.objects.select_related("organization").filter(user=user).first()
        )
    return user._kexie_grassroots


def role_of(user: User | AnonymousUser) -> Role:
    """A working account's role comes from its Staff record; an account without one is a superuser, one of
    the three administrators (by group), a grassroots account (tied to one organisation), or nobody. An
    administrator group on a working account gives nothing: the auditor must not be someone who changes the
    data (三员分立); a Staff record or an administrator role outranks a grassroots account."""
    staff = staff_of(user)
    if staff is not None:
        if staff.position == Position.LEADERSHIP:
            return Role.LEADERSHIP
        if staff.in_liaison_office:
            return Role.LIAISON_OFFICE
        if staff.position == Position.DEPARTMENT_HEAD:
            return Role.DEPARTMENT_HEAD
        return Role.STAFF
    if user.is_authenticated and user.is_superuser:
        return Role.ADMIN
    admin_role = admin_role_of(user)
    if admin_role is not None:
        return admin_role
    if grassroots_account_of(user) is not None:
        return Role.GRASSROOTS
    return Role.NONE


@rules.predicate
def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_leadership(user: User) -> bool:
    return role_of(user) == Role.LEADERSHIP


@rules.predicate
def is_liaison_office(user: User) -> bool:
    staff = staff_of(user)
    return bool(staff and staff.in_liaison_office)


@rules.predicate
def is_staff_member(user: User) -> bool:
    return staff_of(user) is not None


@rules.predicate
def is_auditor(user: User) -> bool:
    return role_of(user) == Role.AUDITOR


@rules.predicate
def is_system_admin(user: User) -> bool:
    return role_of(user) == Role.SYSTEM_ADMIN


@rules.predicate
def is_security_admin(user: User) -> bool:
    return role_of(user) == Role.SECURITY_ADMIN


@rules.predicate
def heads_liaison_office(user: User) -> bool:
    """The head (部长) of 组织联络部: oversees who looks at personal data."""
    staff = staff_of(user)
    return bool(staff and staff.in_liaison_office and staff.position == Position.DEPARTMENT_HEAD)


def can_edit_registries(user: User) -> bool:
    return user.has_perm("orgs.change_organization")


# --- contact records ------------------------------------------------------------------------------------


def sees_all_records(user: User) -> bool:
    """Leadership, the liaison office and admins see every team's records (docs/design.md, Roles)."""
    return role_of(user) in (Role.LEADERSHIP, Role.LIAISON_OFFICE, Role.ADMIN)


def team_ids_of(user: User) -> set[int]:
    """Ids of the teams the user leads or belongs to (any year), cached on the user for the request."""
    if not hasattr(user, "_kexie_team_ids"):
        staff = staff_of(user)
        if staff is None:
            user._kexie_team_ids = set()
        else:
            # one query, each half by its own index ("lead or member" in one WHERE joins every team to its
            # members)
            led = Team.objects.filter(lead=staff).order_by().values_list("pk", flat=True)
            joined = Team.objects.filter(members=staff).order_by().values_list("pk", flat=True)
            user._kexie_team_ids = set(led.union(joined))
    return user._kexie_team_ids


def records_visible_to(user: User, queryset=None):
    """The contact records a user may see: all for leadership/liaison/admin, else their own teams'."""
    queryset = queryset if queryset is not None else ContactRecord.objects.all()
    if sees_all_records(user):
        return queryset
    return queryset.filter(team_id__in=team_ids_of(user))


def can_log_for(user: User, team) -> bool:
    """A user logs records only for teams they lead or belong to (admins for any)."""
    if is_admin(user):
        return True
    return team.pk in team_ids_of(user) and team.year.status != YearStatus.ARCHIVED


def can_edit_record(user: User, record) -> bool:
    """The author or the liaison office edits a record; an archived year is read-only except for admin."""
    if is_admin(user):
        return True
    if record.team.year.status == YearStatus.ARCHIVED or record.is_deleted:
        return False
    staff = staff_of(user)
    if staff is None:
        return False
    return record.author_id == staff.pk or staff.in_liaison_office


def demands_visible_to(user: User, queryset=None):
    """Demands of visible records, plus those handed to the user or their department."""
    queryset = queryset if queryset is not None else Demand.objects.all()
    if sees_all_records(user):
        return queryset
    staff = staff_of(user)
    condition = Q(record__team_id__in=team_ids_of(user))
    if staff is not None:
        condition |= Q(handler=staff)
        if staff.department_id:
            condition |= Q(handler_department_id=staff.department_id)
    return queryset.filter(condition)


def can_handle_demand(user: User, demand) -> bool:
    """The handler, their department's head, the liaison office and admins follow a demand up."""
    if is_admin(user) or is_liaison_office(user):
        return True
    staff = staff_of(user)
    if staff is None:
        return False
    if demand.handler_id == staff.pk:
        return True
    if demand.handler_department_id and demand.handler_department_id == staff.department_id:
        return True
    return demand.record.team_id in team_ids_of(user) and demand.record.team.lead_id == staff.pk


def can_highlight_record(user: User, record, participant_ids: set[int]) -> bool:
    """The record's participants (the author is always one) and the liaison office mark a record as a
    highlight of the duty report (述职重点); an archived year is read-only, as for every edit of a record."""
    if record.team.year.status == YearStatus.ARCHIVED:
        return False
    me = staff_of(user)
    return me is not None and (me.pk in participant_ids or me.in_liaison_office)
