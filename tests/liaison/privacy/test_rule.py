"""The one rule for contact details (liaison/privacy/rule.py), for each role and relationship."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from common.personal_data import Kind, is_masked, mask_email, mask_phone
from liaison.privacy.rule import contact_visible_ids, may_see_contact_details
from tests.liaison.privacy.factories import admin_account, make_world

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    """The user as a new request loads it (the rule caches per request on the user object)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world():
    return make_world()


@pytest.mark.parametrize("persona", ["leader", "liaison_officer"])
def test_leadership_and_the_liaison_office_see_everyone(request, persona, world):
    user = fresh(request.getfixturevalue(persona).user)
    for person in [world.ours, world.stranger, world.last_years, world.our_officer, world.other_officer]:
        assert may_see_contact_details(user, person), person
    assert may_see_contact_details(user)
    assert user.has_perm("experts.view_scientist_contact", world.stranger)
    assert user.has_perm("orgs.view_organization_contact", world.other_org)


def test_a_superuser_sees_everyone(admin_user, world):
    assert may_see_contact_details(fresh(admin_user), world.stranger)


@pytest.mark.parametrize("who", ["head", "member"])
def test_the_lead_and_members_of_a_team_see_its_targets_of_this_year(who, world):
    user = fresh(getattr(world, who).user)
    assert may_see_contact_details(user, world.ours)
    assert may_see_contact_details(user, world.our_org)
    assert may_see_contact_details(user, world.our_officer)  # an officer: through the organisation
    assert user.has_perm("experts.view_scientist_contact", world.ours)
    assert user.has_perm("orgs.view_organization_contact", world.our_org)


@pytest.mark.parametrize("who", ["head", "member"])
def test_the_team_does_not_see_others_last_years_or_ended_targets(who, world):
    user = fresh(getattr(world, who).user)
    assert not may_see_contact_details(user, world.stranger)
    assert not may_see_contact_details(user, world.last_years)  # last year's team targeted them
    assert not may_see_contact_details(user, world.ended)  # ended today: no longer a target
    assert not may_see_contact_details(user, world.other_officer)
    assert not may_see_contact_details(user)  # "everyone's": no
    assert not user.has_perm("experts.view_scientist_contact", world.stranger)


def test_a_member_of_last_years_team_only_sees_no_one(world):
    user = fresh(world.last_year_member.user)
    assert not may_see_contact_details(user, world.last_years)
    assert not may_see_contact_details(user, world.ours)


def test_staff_without_a_team_outsiders_and_administrators_see_no_one(dept_staff, outsider, world):
    auditor = admin_account("shenji", "安全审计员")
    system = admin_account("xitong", "系统管理员")
    for user in [dept_staff.user, outsider, auditor, system]:
        assert not may_see_contact_details(fresh(user), world.ours), user
        assert not fresh(user).has_perm("experts.view_scientist_contact", world.ours)


def test_an_inactive_account_sees_no_one(leader, world):
    leader.user.is_active = False
    leader.user.save()
    assert not may_see_contact_details(fresh(leader.user), world.ours)


def test_the_bulk_form_answers_as_the_rule_in_one_query(django_assert_num_queries, world):
    user = fresh(world.member.user)
    ids = [world.ours.pk, world.stranger.pk, world.last_years.pk, world.ended.pk]
    # the staff record, the user's teams (which the pages read anyway), then this year's targets of them
    with django_assert_num_queries(3):
        visible = contact_visible_ids(user, Kind.SCIENTIST, ids)
    assert visible == {world.ours.pk}
    assert contact_visible_ids(user, Kind.ORGANIZATION, [world.our_org.pk, world.other_org.pk]) == {
        world.our_org.pk
    }
    for scientist_id in ids:
        scientist = type(world.ours).objects.get(pk=scientist_id)
        assert may_see_contact_details(user, scientist) == (scientist_id in visible)


def test_leadership_bulk_form_needs_no_target_query(django_assert_num_queries, leader, world):
    user = fresh(leader.user)
    with django_assert_num_queries(1):  # the staff record only
        assert contact_visible_ids(user, Kind.SCIENTIST, [world.stranger.pk]) == {world.stranger.pk}


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),
        ("024-23456789", "024****6789"),
        ("024-23456789-123", "024****-123"),
        ("12345", "****"),
        ("", ""),
    ],
)
def test_phones_are_masked_one_way(value, masked):
    assert mask_phone(value) == masked
    assert is_masked(masked) == bool(value)


@pytest.mark.parametrize(
    ("value", "masked"),
    [("zhang@example.org", "z***@example.org"), ("a@b.cn", "a***@b.cn"), ("nonsense", "***"), ("", "")],
)
def test_emails_are_masked_one_way(value, masked):
    assert mask_email(value) == masked
    assert is_masked(masked) == bool(value)
