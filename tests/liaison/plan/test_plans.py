"""Years, teams and assignments (liaison/plan/services.py): the rules of the plan, tested on the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liaison.compliance import quotas
from liaison.models import Assignment, EndReason, Position, QuotaRule, TeamKind, VisitQuota, YearStatus
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.factories import DepartmentFactory, ScientistFactory, StaffFactory
from tests.liaison.plan.factories import fill_leader_minimum, make_leader, make_team, make_year, org

pytestmark = pytest.mark.django_db


class TestYears:
    def test_first_year_gets_the_seed_table(self):
        year = make_year(2026)
        rules = quotas.rules_for_year(year)
        assert rules[TeamKind.LEADER] == {
            "district": quotas.Range(2, 3),
            "vice_chair_unit": quotas.Range(2),
            "society": quotas.Range(3),
            "enterprise": quotas.Range(3),
            "university": quotas.Range(2),
            "expert": quotas.Range(10),
        }
        assert rules[TeamKind.DEPARTMENT] == {
            "district": quotas.Range(2),
            "society": quotas.Range(2),
            "enterprise": quotas.Range(2),
            "university": quotas.Range(2),
            "frontline": quotas.Range(5),
        }
        assert quotas.visit_minimums(year) == {"leader": 10, "department": 10}
        assert year.status == YearStatus.DRAFT

    def test_next_year_copies_the_previous_years_rules(self):
        first = make_year(2026)
        QuotaRule.objects.filter(year=first, team_kind="leader", category="expert").update(minimum=12)
        QuotaRule.objects.filter(year=first, team_kind="department", category="frontline").delete()
        VisitQuota.objects.filter(year=first, team_kind="department").update(minimum=6)
        second = make_year(2027)
        rules = quotas.rules_for_year(second)
        assert rules["leader"]["expert"] == quotas.Range(12)
        assert "frontline" not in rules["department"]
        assert quotas.visit_minimums(second)["department"] == 6

    def test_a_year_exists_once(self):
        make_year(2026)
        with pytest.raises(ValidationError):
            make_year(2026)


class TestTeams:
    def test_kind_and_name_come_from_the_lead(self, other_department):
        year = make_year()
        leader_team = make_team(year, make_leader("王主席"))
        assert (leader_team.kind, leader_team.name) == (TeamKind.LEADER, "王主席专班")
        head = StaffFactory(name="李部长", department=other_department, position=Position.DEPARTMENT_HEAD)
        assert make_team(year, head).kind == TeamKind.DEPARTMENT

    def test_plain_staff_cannot_lead(self, dept_staff):
        with pytest.raises(ValidationError) as error:
            make_team(make_year(), dept_staff)
        assert "必须是领导班子成员或部室负责人" in str(error.value)

    def test_one_team_per_lead_per_year_but_member_of_many(self, dept_staff):
        year = make_year()
        lead = make_leader()
        make_team(year, lead, members=[dept_staff])
        with pytest.raises(ValidationError) as error:
            make_team(year, lead)
        assert "已牵头一个专班" in str(error.value)
        make_team(make_year(2027), lead)  # another year is fine
        make_team(year, make_leader("赵副主席"), members=[dept_staff])
        assert dept_staff.member_teams.count() == 2

    def test_lead_is_not_listed_among_members(self):
        lead = make_leader()
        team = make_team(make_year(), lead, members=[lead])
        assert list(team.members.all()) == []


class TestAssignments:
    @pytest.fixture
    def team(self):
        return make_team(make_year())

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            (OrgKind.DISTRICT, "district"),
            (OrgKind.VICE_CHAIR_UNIT, "vice_chair_unit"),
            (OrgKind.SOCIETY, "society"),
            (OrgKind.ENTERPRISE, "enterprise"),
            (OrgKind.UNIVERSITY, "university"),
            (OrgKind.AGRI_TECH, ""),
            (OrgKind.OTHER, ""),
        ],
    )
    def test_organisation_counts_under_its_own_kind(self, team, kind, expected):
        assert plans.assignment_add(team=team, by=None, organization=org(kind)).category == expected

    @pytest.mark.parametrize(
        ("talent", "expected"),
        [
            ("academician", "expert"),
            ("renowned", "expert"),
            ("high_level", "expert"),
            ("leading", "expert"),
            ("outstanding", "expert"),
            ("young", "frontline"),
            ("frontline", "frontline"),
            ("other", "frontline"),
        ],
    )
    def test_scientist_category_follows_the_workbook_rule(self, team, talent, expected):
        scientist = ScientistFactory(category=talent)
        assert plans.assignment_add(team=team, by=None, scientist=scientist).category == expected

    def test_category_can_be_overridden(self, team):
        a = plans.assignment_add(
            team=team, by=None, scientist=ScientistFactory(category="young"), category="expert"
        )
        assert (a.category, a.category_overridden) == ("expert", True)

    def test_same_target_cannot_be_in_force_twice_in_one_team(self, team):
        target = org()
        plans.assignment_add(team=team, by=None, organization=target)
        with pytest.raises(ValidationError) as error:
            plans.assignment_add(team=team, by=None, organization=target)
        assert "已是本专班的联系对象" in str(error.value)

    def test_database_refuses_the_same_target_twice_too(self, team):
        target = ScientistFactory()
        plans.assignment_add(team=team, by=None, scientist=target)
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.create(
                team=team, scientist=target, category="expert", start_date=datetime.date(2026, 2, 1)
            )

    def test_ending_keeps_history_and_allows_a_new_assignment(self, team, liaison_officer):
        target = org()
        first = plans.assignment_add(
            team=team, by=None, organization=target, start_date=datetime.date(2026, 1, 5)
        )
        plans.assignment_end(
            assignment=first,
            by=liaison_officer.user,
            reason=EndReason.DISSOLVED,
            end_date=datetime.date(2026, 6, 30),
        )
        first.refresh_from_db()
        assert (first.end_date, first.end_reason, first.ended_by) == (
            datetime.date(2026, 6, 30),
            "dissolved",
            liaison_officer.user,
        )
        plans.assignment_add(team=team, by=None, organization=target, start_date=datetime.date(2026, 7, 1))
        assert Assignment.objects.filter(team=team, organization=target).count() == 2
        assert quotas.assigned_counts([team])[team.pk] == {"society": 1}

    def test_end_needs_a_reason_and_other_needs_a_note(self, team):
        a = plans.assignment_add(team=team, by=None, organization=org())
        with pytest.raises(ValidationError):
            plans.assignment_end(assignment=a, by=None, reason="")
        with pytest.raises(ValidationError) as error:
            plans.assignment_end(assignment=a, by=None, reason=EndReason.OTHER)
        assert "请填写说明" in str(error.value)

    def test_end_date_cannot_precede_start(self, team):
        a = plans.assignment_add(team=team, by=None, organization=org(), start_date=datetime.date(2026, 5, 1))
        with pytest.raises(ValidationError) as error:
            plans.assignment_end(
                assignment=a, by=None, reason=EndReason.RETIRED, end_date=datetime.date(2026, 4, 1)
            )
        assert "不能早于起始日期" in str(error.value)

    def test_start_date_must_fall_in_the_year(self, team):
        with pytest.raises(ValidationError) as error:
            plans.assignment_add(
                team=team, by=None, organization=org(), start_date=datetime.date(2025, 12, 31)
            )
        assert "须在 2026 年内" in str(error.value)

    def test_frozen_year_changes_only_with_a_reason(self, team):
        team.year.status = YearStatus.APPROVED
        team.year.save()
        with pytest.raises(ValidationError) as error:
            plans.assignment_add(team=team, by=None, organization=org())
        assert "须填写调整原因" in str(error.value)
        a = plans.assignment_add(team=team, by=None, organization=org(), note="新增重点联系学会")
        assert a.note == "新增重点联系学会"

    def test_minimum_plan_is_compliant(self, team):
        fill_leader_minimum(team)
        check = quotas.check_teams([team], team.year)[team.pk]
        assert check.compliant, check.shortfalls


class TestAcrossTeams:
    def test_same_target_in_two_teams_of_the_same_kind_is_a_warning(self):
        year = make_year()
        a, b = make_team(year, make_leader("甲")), make_team(year, make_leader("乙"))
        shared_org, lone_org = org(name="辽川市医学会"), org(name="辽川市药学会")
        plans.assignment_add(team=a, by=None, organization=shared_org)
        plans.assignment_add(team=b, by=None, organization=shared_org)
        plans.assignment_add(team=a, by=None, organization=lone_org)
        head = StaffFactory(
            department=DepartmentFactory(name="科普部"), position=Position.DEPARTMENT_HEAD, name="丙"
        )
        c = make_team(year, head)
        plans.assignment_add(team=c, by=None, organization=lone_org)  # another kind of team: no warning
        assert plans.shared_targets(year) == {("organization", shared_org.pk): ["甲专班", "乙专班"]}

    def test_shared_target_count_counts_what_shared_targets_lists(self):
        year = make_year()
        a, b = make_team(year, make_leader("甲")), make_team(year, make_leader("乙"))
        heads = [
            StaffFactory(department=DepartmentFactory(name=f"部室{i}"), position=Position.DEPARTMENT_HEAD)
            for i in range(2)
        ]
        c, d = (make_team(year, head) for head in heads)
        both_kinds, person, ended = org(), ScientistFactory(), org()
        for team in (a, b, c, d):  # shared by two leader teams and by two department teams: one target
            plans.assignment_add(team=team, by=None, organization=both_kinds)
        for team in (c, d):
            plans.assignment_add(team=team, by=None, scientist=person)
        plans.assignment_add(team=a, by=None, organization=ended)
        gone = plans.assignment_add(team=b, by=None, organization=ended)
        plans.assignment_end(assignment=gone, by=None, reason=EndReason.ADJUSTED)
        plans.assignment_add(team=a, by=None, scientist=ScientistFactory())
        assert set(plans.shared_targets(year)) == {("organization", both_kinds.pk), ("scientist", person.pk)}
        assert plans.shared_target_count(year) == 2
        assert plans.shared_target_count(make_year(2027)) == 0
        # kept in the cache until the plan changes: ending, then adding, an assignment counts at once
        in_d = Assignment.objects.get(team=d, scientist=person)
        plans.assignment_end(assignment=in_d, by=None, reason=EndReason.ADJUSTED)
        assert plans.shared_target_count(year) == 1
        plans.assignment_add(team=b, by=None, organization=ended)
        assert plans.shared_target_count(year) == 2

    def test_shared_target_count_follows_a_merge_of_two_scientists_and_a_deleted_team(self):
        """Rows moved by UPDATE (a merge) and a team deleted with its assignments also give a new count."""
        from experts.duplicates import services as duplicates

        year = make_year()
        a, b = make_team(year, make_leader("甲")), make_team(year, make_leader("乙"))
        one = ScientistFactory(name="李明", employer="东北大学")
        twin = ScientistFactory(name="李明", employer="东北大学材料学院")
        plans.assignment_add(team=a, by=None, scientist=one)
        plans.assignment_add(team=b, by=None, scientist=twin)
        assert plans.shared_target_count(year) == 0
        duplicates.merge(kept=one, absorbed=twin, by=None)  # now one person in two leader teams
        assert plans.shared_target_count(year) == 1
        b.delete()
        assert plans.shared_target_count(year) == 0

    def test_check_year_is_check_teams_for_every_team_of_the_year(self):
        year = make_year()
        good, bad = make_team(year, make_leader("甲")), make_team(year, make_leader("乙"))
        fill_leader_minimum(good)
        plans.assignment_add(team=bad, by=None, organization=org())
        make_team(make_year(2027), make_leader("丙"))  # another year's team is not counted
        by_team = quotas.check_year(year)
        checks = quotas.check_teams([good, bad], year)
        assert by_team == {good.pk: (good.kind, checks[good.pk]), bad.pk: (bad.kind, checks[bad.pk])}
        assert by_team[good.pk][1].compliant
        assert not by_team[bad.pk][1].compliant

    def test_coverage_gaps_list_quota_kinds_nobody_contacts(self):
        year = make_year()
        team = make_team(year)
        covered, gap = org(OrgKind.DISTRICT, "和平区科协"), org(OrgKind.DISTRICT, "铁西区科协")
        ended = org(OrgKind.SOCIETY, "辽川市药学会")
        org(OrgKind.AGRI_TECH, "某农技协")  # not a quota kind: never a gap
        org(OrgKind.SOCIETY, "已停用学会").__class__.objects.filter(name="已停用学会").update(is_active=False)
        plans.assignment_add(team=team, by=None, organization=covered)
        a = plans.assignment_add(team=team, by=None, organization=ended)
        plans.assignment_end(assignment=a, by=None, reason=EndReason.ADJUSTED)
        assert {o.name for o in plans.coverage_gaps(year)} == {gap.name, ended.name}

    def test_my_teams_lists_led_and_member_teams(self, dept_staff):
        year = make_year()
        lead = make_leader()
        team = make_team(year, lead, members=[dept_staff])
        assert list(plans.teams_of(dept_staff)) == [team]
        assert list(plans.teams_of(lead)) == [team]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["add", "end"]), st.integers(min_value=0, max_value=4), st.integers(1, 360)
        ),
        max_size=15,
    )
)
def test_counts_follow_any_sequence_of_adds_and_mid_year_ends(steps):
    """Whatever the history, the count per category is the number of targets still in force at year end,
    and a target is never in force twice in one team."""
    with transaction.atomic():
        year = make_year(2030)
        team = make_team(year)
        targets = [org(OrgKind.SOCIETY, f"学会{i}") for i in range(5)]
        in_force: set[int] = set()
        for action, index, day in steps:
            when = datetime.date(2030, 1, 1) + datetime.timedelta(days=day)
            current = Assignment.objects.filter(
                team=team, organization=targets[index], end_date__isnull=True
            ).first()
            if action == "add":
                if current is None:
                    plans.assignment_add(team=team, by=None, organization=targets[index], start_date=when)
                    in_force.add(index)
                else:
                    with pytest.raises(ValidationError):
                        plans.assignment_add(team=team, by=None, organization=targets[index])
            elif current is not None and when >= current.start_date:
                plans.assignment_end(assignment=current, by=None, reason=EndReason.ADJUSTED, end_date=when)
                in_force.discard(index)
        counts = quotas.assigned_counts([team]).get(team.pk, {})
        assert counts.get("society", 0) == len(in_force)
        check = quotas.check_teams([team], year)[team.pk]
        assert check.by_category()["society"].assigned == len(in_force)
        transaction.set_rollback(True)
