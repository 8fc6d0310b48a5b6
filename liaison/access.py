"""Who may do what, derived from the data (DESIGN.md, Roles).

A user's role comes from their Staff record: 领导班子成员 → leadership; staff of the department flagged as
组织联络部 → liaison office; everyone else on staff → staff. Superusers are admins. The predicates here are
registered with `rules` so that views, templates and the admin ask the same questions.
"""

from __future__ import annotations

from enum import StrEnum

import rules
from django.contrib.auth.models import AnonymousUser, User

from liaison.models import Position, Staff


class Role(StrEnum):
    ADMIN = "admin"
    LEADERSHIP = "leadership"
    LIAISON_OFFICE = "liaison_office"
    DEPARTMENT_HEAD = "department_head"
    STAFF = "staff"
    NONE = "none"


ROLE_LABELS = {
    Role.ADMIN: "系统管理员",
    Role.LEADERSHIP: "领导",
    Role.LIAISON_OFFICE: "组织联络部",
    Role.DEPARTMENT_HEAD: "部室负责人",
    Role.STAFF: "工作人员",
    Role.NONE: "未登记干部",
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


def role_of(user: User | AnonymousUser) -> Role:
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


def can_edit_registries(user: User) -> bool:
    return user.has_perm("orgs.change_organization")


def can_see_contact_details(user: User) -> bool:
    return user.has_perm("experts.view_scientist_contact")
