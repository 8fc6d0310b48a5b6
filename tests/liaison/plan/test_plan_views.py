"""Pages of the year's plan: what users see, query counts, and every refusal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from liaison.models import Assignment, QuotaRule, Team, Year, YearStatus
from liaison.plan import services as plans
from orgs.models import OrgKind
from tests.conftest import count_queries
from tests.factories import ScientistFactory, StaffFactory
from tests.liaison.plan.factories import (
    fill_leader_minimum,
    make_compliant,
    make_leader,
    make_team,
    make_year,
    org,
)
from tests.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return make_year(2026)


@pytest.fixture
def team(year, dept_staff):
    return make_team(year, make_leader("王主席"), members=[dept_staff])


class TestYearPages:
    def test_liaison_office_creates_a_year(self, liaison_client):
        response = liaison_client.post(reverse("liaison:year_list"), {"year": 2027})
        assert response.status_code == 302
        assert Year.objects.get(year=2027).quota_rules.count() == 11

    def test_duplicate_year_is_refused_with_input_kept(self, liaison_client, year):
        response = liaison_client.post(reverse("liaison:year_list"), {"year": 2026})
        assert response.status_code == 200
        assert "2026 年度已存在" in response.content.decode()

    def test_teams_list_shows_badges_and_filters_by_kind(self, staff_client, year, team, other_department):
        head = StaffFactory(name="李部长", department=other_department, position="department_head")
        make_team(year, head)
        fill_leader_minimum(team)
        response = staff_client.get(reverse("liaison:year_detail", args=[2026]))
        badges = {
            team.name: (figures.compliant, len(figures.shortfalls), check.compliant, len(check.shortfalls))
            for team, figures, check in response.context["rows"]
        }
        # 王主席专班 fills the leader quota exactly (22 targets) but has contacted none and made no visit:
        # 配额齐全, not 达标 ("22 个联系对象全年未联系", "下基层 0 次，少 10 次").
        # 李部长专班 has nothing: five department categories short, and no visit.
        assert badges == {"王主席专班": (False, 2, True, 0), "李部长专班": (False, 6, False, 5)}
        text = response.content.decode()
        assert "未达标 · 2 项" in text
        assert "配额齐全" in text
        assert "未达标 · 6 项" in text
        assert "配额不足 · 5 项" in text
        only_leaders = staff_client.get(reverse("liaison:year_detail", args=[2026]), {"kind": "leader"})
        assert [t.name for t, _, _ in only_leaders.context["rows"]] == ["王主席专班"]

    def test_teams_list_runs_a_fixed_number_of_queries(self, staff_client, year, dept_staff):
        url = reverse("liaison:year_detail", args=[2026])
        make_team(year, make_leader("甲"), members=[dept_staff])
        count_queries(staff_client, url)  # computes and stores the team figures (the review's 达标)
        few = count_queries(staff_client, url)
        for i in range(12):
            t = make_team(year, make_leader(f"领导{i}"), members=[dept_staff])
            plans.assignment_add(team=t, by=None, organization=org())
            plans.assignment_add(team=t, by=None, scientist=ScientistFactory())
        count_queries(staff_client, url)
        assert count_queries(staff_client, url) == few
        assert few <= 19

    def test_unknown_year_is_404(self, staff_client):
        assert staff_client.get(reverse("liaison:year_detail", args=[1999])).status_code == 404


def _leaders(year, names, members=()) -> list[Team]:
    return [make_team(year, make_leader(name), members=members) for name in names]


def _rows(response) -> list[str]:
    return [team.name for team, _, _ in response.context["rows"]]


class TestTeamsListAtScale:
    """The teams list of a year: 50 teams to a page, search by name or pinyin, filters by kind and by
    compliance in any combination, the summary year-wide."""

    URL = reverse("liaison:year_detail", args=[2026])

    def test_a_city_fits_on_one_page(self, staff_client, year):
        _leaders(year, [f"领导{i}" for i in range(30)])
        response = staff_client.get(self.URL)
        assert len(_rows(response)) == 30
        assert 'aria-label="分页"' not in response.content.decode()

    def test_more_than_fifty_teams_are_paginated(self, staff_client, year):
        _leaders(year, [f"领导{i:02d}" for i in range(55)])
        first = staff_client.get(self.URL)
        text = first.content.decode()
        assert len(_rows(first)) == 50
        assert "1 / 2" in text
        assert "共 55 条" in text
        assert 'href="?page=2" rel="next"' in text
        second = staff_client.get(self.URL, {"page": 2})
        assert len(_rows(second)) == 5
        assert set(_rows(first)) | set(_rows(second)) == {f"领导{i:02d}专班" for i in range(55)}
        assert "领导54专班" in second.content.decode()
        assert "达标 0 / 55 个专班" in second.content.decode()  # year-wide, not the page's five
        assert staff_client.get(self.URL, {"page": "99"}).context["page"].number == 2

    def test_search_by_chinese_name_pinyin_and_initials(self, staff_client, year, other_department):
        _leaders(year, ["王建国", "单雄", "李明"])
        head = StaffFactory(name="陈静", department=other_department, position="department_head")
        plans.team_save(team=Team(year=year, lead=head, name="科学普及专班"), members=[])
        expected = {
            "建国": ["王建国专班"],
            "王建国专班": ["王建国专班"],
            "wangjianguo": ["王建国专班"],
            "WJG": ["王建国专班"],
            " wang jian ": ["王建国专班"],
            "shanxiong": ["单雄专班"],  # the surname 单 reads shan
            "陈静": ["科学普及专班"],  # a custom name is found by its lead
            "chenj": ["科学普及专班"],
            "普及": ["科学普及专班"],
            "kexuepuji": ["科学普及专班"],  # and by its own pinyin
            "kxpj": ["科学普及专班"],
            "专班": ["王建国专班", "单雄专班", "李明专班", "科学普及专班"],
        }
        for q, names in expected.items():
            response = staff_client.get(self.URL, {"q": q})
            assert sorted(_rows(response)) == sorted(names), q
        text = staff_client.get(self.URL, {"q": "wjg"}).content.decode()
        assert 'placeholder="搜索专班名称、负责人姓名或拼音"' in text
        assert 'value="wjg"' in text
        assert "符合条件的专班 1 个" in text

    def test_filter_by_compliance(self, staff_client, year):
        good, bad = _leaders(year, ["甲", "乙"])
        make_compliant(good)
        ok = staff_client.get(self.URL, {"status": "ok"})
        short = staff_client.get(self.URL, {"status": "short"})
        assert _rows(ok) == ["甲专班"]
        assert _rows(short) == ["乙专班"]
        for response in (ok, short):
            assert "达标 1 / 2 个专班" in response.content.decode()
        assert '<option value="short" selected>未达标</option>' in short.content.decode()
        assert sorted(_rows(staff_client.get(self.URL, {"status": "bogus"}))) == ["乙专班", "甲专班"]

    def test_filters_combine_and_every_link_keeps_them(self, staff_client, year, other_department):
        leaders = _leaders(year, [f"王{i:02d}" for i in range(53)] + ["李达标", "王达标"])
        for team in leaders[-2:]:
            make_compliant(team)
        for i in range(3):
            head = StaffFactory(name=f"王部长{i}", department=other_department, position="department_head")
            make_team(year, head)
        params = {"kind": "leader", "status": "short", "q": "wang"}
        response = staff_client.get(self.URL, params)
        text = response.content.decode()
        assert response.context["page"].paginator.count == 53
        assert all(name.startswith("王") and name != "王达标专班" for name in _rows(response))
        assert 'href="?kind=leader&amp;status=short&amp;q=wang&amp;page=2" rel="next"' in text
        assert 'href="?status=short&amp;q=wang">全部</a>' in text  # tabs keep the search and the status
        assert 'href="?kind=department&amp;status=short&amp;q=wang">部室专班</a>' in text
        assert '<input type="hidden" name="kind" value="leader">' in text  # the search form keeps the tab
        assert 'href="?kind=leader">清除</a>' in text
        assert "达标 2 / 58 个专班 · 其中领导专班达标 2 / 55 个" in text
        second = staff_client.get(self.URL, {**params, "page": 2})
        assert len(_rows(second)) == 3
        departments = staff_client.get(self.URL, {"kind": "department", "status": "short", "q": "wbz"})
        assert sorted(_rows(departments)) == [f"王部长{i}专班" for i in range(3)]
        assert _rows(staff_client.get(self.URL, {"kind": "leader", "status": "ok", "q": "王"})) == [
            "王达标专班"
        ]

    def test_nothing_matches_says_so(self, staff_client, year, team):
        text = staff_client.get(self.URL, {"q": "不存在", "status": "ok"}).content.decode()
        assert "没有符合条件的专班。" in text
        assert f'<a href="{self.URL}">清除筛选条件</a>' in text
        assert "符合条件的专班 0 个" in text
        assert "达标 0 / 1 个专班" in text

    def test_a_year_without_teams_says_so_without_filters(self, liaison_client, year):
        text = liaison_client.get(self.URL).content.decode()
        assert "本年度还没有专班。" in text
        assert "搜索专班名称" not in text
        assert "开启 2027 年度调整" not in text

    def test_summary_and_shared_count_are_year_wide(self, staff_client, year):
        teams = _leaders(year, [f"领导{i:02d}" for i in range(52)])
        make_compliant(teams[0])
        shared = org()
        for team in (teams[1], teams[51]):  # on different pages
            plans.assignment_add(team=team, by=None, organization=shared)
        for params in ({}, {"page": 2}, {"status": "short", "q": "领导51"}, {"kind": "department"}):
            text = staff_client.get(self.URL, params).content.decode()
            assert "达标 1 / 52 个专班" in text, params
            assert "1 个对象被同类专班重复联系" in text, params
        assert plans.shared_target_count(year) == len(plans.shared_targets(year)) == 1

    @pytest.mark.parametrize("params", [{}, {"page": 2}, {"q": "ld", "status": "short", "kind": "leader"}])
    def test_query_count_is_the_same_for_5_and_60_teams(self, staff_client, year, dept_staff, params):
        def add(names):
            for team in _leaders(year, names, members=[dept_staff]):
                plans.assignment_add(team=team, by=None, organization=org())
                plans.assignment_add(team=team, by=None, scientist=ScientistFactory())

        add([f"领导{i:02d}" for i in range(5)])
        count_queries(staff_client, self.URL, params)  # the first read stores the team figures
        few = count_queries(staff_client, self.URL, params)
        add([f"领导{i:02d}" for i in range(5, 60)])
        count_queries(staff_client, self.URL, params)
        assert count_queries(staff_client, self.URL, params) == few

    def test_members_are_loaded_for_the_page_only(self, staff_client, year, dept_staff):
        _leaders(year, [f"领导{i:02d}" for i in range(55)], members=[dept_staff])
        response = staff_client.get(self.URL, {"page": 2})
        cached = [
            team for team, _, _ in response.context["rows"] if "members" in team._prefetched_objects_cache
        ]
        assert len(cached) == 5
        assert "陈干部" in response.content.decode()

    def test_anonymous_is_sent_to_login_with_the_filters(self, client, year, team):
        response = client.get(self.URL, {"q": "wang", "status": "ok"})
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/liaison/years/2026/%3Fq%3Dwang%26status%3Dok"

    def test_an_account_without_a_staff_record_reads_it_as_before(self, outsider_client, year, team):
        response = outsider_client.get(self.URL, {"q": "wzx"})
        assert response.status_code == 200
        assert _rows(response) == ["王主席专班"]
        assert "新建专班" not in response.content.decode()


class TestTeamPage:
    def test_shows_members_groups_and_counts(self, staff_client, team):
        plans.assignment_add(team=team, by=None, organization=org(OrgKind.DISTRICT, "和平区科协"))
        plans.assignment_add(team=team, by=None, scientist=ScientistFactory(name="单志强"))
        text = staff_client.get(team.get_absolute_url()).content.decode()
        assert "陈干部" in text
        assert "和平区科协" in text
        assert "单志强" in text
        assert 'data-testid="count-district">1 / 2–3<' in text
        assert 'data-testid="count-expert">1 / ≥ 10<' in text
        assert "区县(市)科协 少 1 个" in text

    def test_query_count_is_fixed(self, staff_client, team):
        url = team.get_absolute_url()
        plans.assignment_add(team=team, by=None, organization=org())
        few = count_queries(staff_client, url)
        for _ in range(10):
            a = plans.assignment_add(team=team, by=None, scientist=ScientistFactory())
        plans.assignment_end(assignment=a, by=None, reason="retired")
        assert count_queries(staff_client, url) == few

    def test_liaison_office_adds_and_ends_a_target(self, liaison_client, liaison_officer, team):
        scientist = ScientistFactory(name="曾国华", category="academician")
        response = liaison_client.post(
            reverse("liaison:assignment_add", args=[team.pk]),
            {"target": f"sci:{scientist.pk}", "category": ""},
        )
        assert response.status_code == 302
        assignment = Assignment.objects.get(team=team, scientist=scientist)
        assert assignment.category == "expert"
        assert assignment.created_by == liaison_officer.user
        response = liaison_client.post(
            reverse("liaison:assignment_end", args=[assignment.pk]),
            {"end_reason": "transferred", "end_note": "调往外省"},
        )
        assert response.status_code == 302
        assignment.refresh_from_db()
        assert assignment.end_reason == "transferred"
        text = liaison_client.get(team.get_absolute_url()).content.decode()
        assert "刘联络 添加 <strong>曾国华</strong>" in text
        assert "刘联络 终止 <strong>曾国华</strong>（调离" in text

    def test_adding_without_choosing_a_target_explains(self, liaison_client, team):
        response = liaison_client.post(reverse("liaison:assignment_add", args=[team.pk]), {"note": "重点"})
        assert response.status_code == 200
        text = response.content.decode()
        assert "请先搜索并选择" in text
        assert 'value="重点"' in text

    def test_adding_the_same_target_twice_explains(self, liaison_client, team):
        target = org(name="辽川市医学会")
        plans.assignment_add(team=team, by=None, organization=target)
        response = liaison_client.post(
            reverse("liaison:assignment_add", args=[team.pk]), {"target": f"org:{target.pk}"}
        )
        assert "该组织已是本专班的联系对象" in response.content.decode()
        assert Assignment.objects.filter(team=team).count() == 1

    def test_frozen_year_sends_changes_to_the_recorded_adjustment(self, liaison_client, team):
        Year.objects.filter(pk=team.year_id).update(status=YearStatus.APPROVED)
        target = org()
        existing = plans.assignment_add(team=team, by=None, organization=org(), note="年初")
        response = liaison_client.post(
            reverse("liaison:assignment_add", args=[team.pk]), {"target": f"org:{target.pk}"}
        )
        assert response["Location"] == reverse("reports:adjust_team", args=[team.pk])
        response = liaison_client.post(
            reverse("liaison:assignment_end", args=[existing.pk]), {"end_reason": "retired"}
        )
        assert response["Location"] == reverse("reports:adjust_team", args=[team.pk])
        assert Assignment.objects.filter(team=team, end_date__isnull=True).count() == 1
        page = liaison_client.get(team.get_absolute_url()).content.decode()
        assert 'data-testid="frozen-note"' in page
        assert "确认终止" not in page

    def test_target_search_matches_pinyin_and_marks_assigned(self, liaison_client, team):
        heping = org(OrgKind.DISTRICT, "和平区科协")
        plans.assignment_add(team=team, by=None, organization=heping)
        ScientistFactory(name="何平", employer="辽川医科大学")
        response = liaison_client.get(reverse("liaison:target_search"), {"q": "hp", "team": team.pk})
        text = response.content.decode()
        assert "和平区科协" in text
        assert "何平" in text
        assert "已在本专班" in text
        assert "知名专家/高层次人才" in text


class TestPlanAndGaps:
    def test_plan_tables_list_targets_by_column(self, staff_client, year, team):
        plans.assignment_add(team=team, by=None, organization=org(OrgKind.DISTRICT, "和平区科协"))
        plans.assignment_add(team=team, by=None, organization=org(OrgKind.VICE_CHAIR_UNIT, "辽川重工集团"))
        plans.assignment_add(team=team, by=None, scientist=ScientistFactory(name="单志强"))
        plans.assignment_add(team=team, by=None, scientist=ScientistFactory(name="曾国华"))
        response = staff_client.get(reverse("liaison:plan_tables", args=[2026]))
        leader_sheet = response.context["sheets"][0]
        assert leader_sheet["headers"][0] == "区县(市)科协"
        cells = leader_sheet["rows"][0]["cells"]
        assert cells[0] == "和平区科协"
        assert cells[1] == "辽川重工集团"
        assert set(cells[5].split("、")) == {"单志强", "曾国华"}
        assert "附件2 市科协机关部室主要负责同志联系科技工作者分工" in response.content.decode()

    def test_coverage_gaps_page(self, staff_client, year, team):
        plans.assignment_add(team=team, by=None, organization=org(OrgKind.DISTRICT, "和平区科协"))
        org(OrgKind.DISTRICT, "铁西区科协")
        text = staff_client.get(reverse("liaison:coverage_gaps", args=[2026])).content.decode()
        assert "铁西区科协" in text
        assert "和平区科协" not in text

    def test_my_teams(self, staff_client, team):
        text = staff_client.get(reverse("liaison:my_teams")).content.decode()
        assert "王主席专班" in text
        assert "我是成员" in text


class TestRulesPage:
    def test_liaison_office_edits_rules(self, liaison_client, year):
        url = reverse("liaison:rules_edit", args=[2026])
        formsets = liaison_client.get(url).context
        rules = list(formsets["rules"].queryset)
        data = {
            "rules-TOTAL_FORMS": str(len(rules) + 1),
            "rules-INITIAL_FORMS": str(len(rules)),
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
            "visits-TOTAL_FORMS": "2",
            "visits-INITIAL_FORMS": "2",
            "visits-MIN_NUM_FORMS": "0",
            "visits-MAX_NUM_FORMS": "1000",
            "year-version": Year.objects.get(year=2026).version,
        }
        for i, rule in enumerate(rules):
            data.update(
                {
                    f"rules-{i}-id": rule.pk,
                    f"rules-{i}-team_kind": rule.team_kind,
                    f"rules-{i}-category": rule.category,
                    f"rules-{i}-minimum": 12
                    if (rule.team_kind, rule.category) == ("leader", "expert")
                    else rule.minimum,
                    f"rules-{i}-maximum": rule.maximum or "",
                    f"rules-{i}-contact_interval_days": "",
                }
            )
        for i, visit in enumerate(formsets["visits"].queryset):
            data.update({f"visits-{i}-id": visit.pk, f"visits-{i}-minimum": 8})
        response = liaison_client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert QuotaRule.objects.get(year=year, team_kind="leader", category="expert").minimum == 12
        assert set(year.visit_quotas.values_list("minimum", flat=True)) == {8}

        leader_district = next(
            i for i, r in enumerate(rules) if (r.team_kind, r.category) == ("leader", "district")
        )
        data[f"rules-{leader_district}-maximum"] = "1"
        response = liaison_client.post(url, data)
        assert response.status_code == 200
        assert "最多不能小于最少" in response.content.decode()

    def test_rules_page_shows_the_table(self, staff_client, year):
        text = staff_client.get(reverse("liaison:rules", args=[2026])).content.decode()
        assert "2–3" in text
        assert "≥ 10" in text


class TestRefusals:
    @pytest.mark.parametrize("client_name", ["leader_client", "staff_client", "outsider_client"])
    def test_readers_cannot_change_the_plan(self, request, client_name, year, team):
        client = request.getfixturevalue(client_name)
        target = org()
        assignment = plans.assignment_add(team=team, by=None, organization=org())
        posts = [
            (reverse("liaison:year_list"), {"year": 2031}),
            (reverse("liaison:rules_edit", args=[2026]), {}),
            (reverse("liaison:team_create", args=[2026]), {"lead": team.lead_id}),
            (reverse("liaison:team_edit", args=[team.pk]), {"lead": team.lead_id}),
            (reverse("liaison:assignment_add", args=[team.pk]), {"target": f"org:{target.pk}"}),
            (reverse("liaison:assignment_end", args=[assignment.pk]), {"end_reason": "retired"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
        for url in [
            reverse("liaison:rules_edit", args=[2026]),
            reverse("liaison:team_create", args=[2026]),
            reverse("liaison:team_edit", args=[team.pk]),
        ]:
            assert client.get(url).status_code == 403, url
        assert not Year.objects.filter(year=2031).exists()
        assert Year.objects.get(year=2026).status == YearStatus.DRAFT
        assert Team.objects.count() == 1
        assert Assignment.objects.filter(end_date__isnull=True).count() == 1
        text = client.get(team.get_absolute_url()).content.decode()
        assert "添加联系对象" not in text
        assert "确认终止" not in text

    def test_state_changes_need_post(self, liaison_client, team):
        assert liaison_client.get(reverse("liaison:assignment_add", args=[team.pk])).status_code == 405


class TestTeamForm:
    def test_liaison_office_creates_a_team_with_default_name(self, liaison_client, year, dept_staff):
        lead = make_leader("孙主席")
        response = liaison_client.post(
            reverse("liaison:team_create", args=[2026]),
            {"lead": lead.pk, "name": "", "members": [dept_staff.pk]},
        )
        assert response.status_code == 302
        team = Team.objects.get(lead=lead)
        assert team.name == "孙主席专班"
        assert list(team.members.all()) == [dept_staff]

    def test_second_team_for_the_same_lead_is_refused(self, liaison_client, team):
        response = liaison_client.post(
            reverse("liaison:team_create", args=[2026]), {"lead": team.lead_id, "name": "另一个"}
        )
        assert response.status_code == 200
        assert "此人本年度已牵头一个专班" in response.content.decode()
        assert 'value="另一个"' in response.content.decode()

    def test_a_member_who_has_left_stays_until_unticked(self, liaison_client, team, dept_staff):
        """Editing a team never drops a member silently: one who has left shows ticked, marked 已停用."""
        dept_staff.is_active = False
        dept_staff.save()
        url = reverse("liaison:team_edit", args=[team.pk])
        page = liaison_client.get(url).content.decode()
        assert f"{dept_staff.name}（科普部）（已停用）" in page
        kept = liaison_client.post(
            url,
            {
                **form_data(page, "version"),
                "lead": team.lead_id,
                "name": team.name,
                "members": [dept_staff.pk],
            },
        )
        assert kept.status_code == 302
        assert list(team.members.all()) == [dept_staff]
        again = form_data(liaison_client.get(url).content, "version")
        dropped = liaison_client.post(url, {**again, "members": []})
        assert dropped.status_code == 302
        assert list(team.members.all()) == []

    def test_plain_staff_is_not_offered_as_lead(self, liaison_client, year, dept_staff):
        response = liaison_client.post(reverse("liaison:team_create", args=[2026]), {"lead": dept_staff.pk})
        assert response.status_code == 200
        assert "所选的负责人不在可选范围内" in response.content.decode()


def test_home_lists_my_teams_of_this_year(leader_client, leader, staff_client, dept_staff):
    from django.utils import timezone

    this_year = make_year(timezone.localdate().year)
    make_team(this_year, leader, members=[dept_staff])
    make_team(make_year(timezone.localdate().year - 1), make_leader("去年领导"), members=[dept_staff])
    # leadership lands on the dashboard of this year
    text = leader_client.get(reverse("home")).content.decode()
    assert f"{this_year.year} 年度联系工作概况" in text
    assert "王领导专班" in text
    assert "去年领导专班" not in text
    # staff land on 我的工作, which lists this year's teams only
    text = staff_client.get(reverse("home")).content.decode()
    assert "我的工作" in text
    assert "王领导专班" in text
    assert "去年领导专班" not in text


class TestEveryLeadLeadsATeam:
    """Seed 000 §五: every 领导班子成员 and every 部室负责人 leads a team; the plan page, the review and the
    approval page name those who lead none that year."""

    def test_leads_without_a_team_are_named(self, liaison_client, year, other_department):
        make_team(year, make_leader("王主席"))
        make_leader("李副主席")  # leads nothing
        StaffFactory(name="周部长", department=other_department, position="department_head")
        StaffFactory(
            name="吴干事", department=other_department, position="staff"
        )  # staff lead nothing anyway
        StaffFactory(name="郑部长", department=other_department, position="department_head", is_active=False)
        # leadership first, then department heads: 刘联络 (the liaison office persona, head of 组织联络部) leads
        # no team either
        assert [s.name for s in plans.leads_without_team(year)] == ["李副主席", "刘联络", "周部长"]
        for url in (
            reverse("liaison:year_detail", args=[2026]),
            reverse("reports:review", args=[2026]),
            reverse("reports:approval", args=[2026]),
        ):
            text = liaison_client.get(url).content.decode()
            assert "2026 年度尚未牵头专班：" in text, url
            for name in ("李副主席", "刘联络", "周部长"):
                assert name in text, (url, name)
            for name in ("吴干事", "郑部长"):
                assert name not in text, (url, name)
        approval_page = liaison_client.get(reverse("reports:approval", args=[2026])).content.decode()
        assert (
            "尚未牵头专班：李副主席、刘联络、周部长。" in approval_page
        )  # the submit dialog warns with their names
