"""The scientist registry: fields, duplicates, phones, list filters and search, contact details."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from experts.models import Scientist, TalentCategory
from orgs.models import OrgKind
from tests.conftest import count_queries, listed
from tests.factories import OrganizationFactory, ScientistFactory

pytestmark = pytest.mark.django_db


def _post(**overrides) -> dict:
    data = {
        "name": "单志强",
        "gender": "M",
        "birth_date": "1968-03-12",
        "employer": "辽川理工大学",
        "organization": "",
        "post": "副校长",
        "title": "教授",
        "discipline": "材料科学",
        "category": TalentCategory.RENOWNED,
        "four_heads": "",
        "mobile": "138 1234 5678",
        "email": "shan@example.cn",
        "notes": "",
    }
    data.update(overrides)
    return data


class TestCreate:
    def test_liaison_office_creates_a_scientist(self, liaison_client):
        response = liaison_client.post(reverse("experts:create"), _post())
        scientist = Scientist.objects.get()
        assert response["Location"] == scientist.get_absolute_url()
        assert scientist.mobile == "13812345678"
        assert (scientist.name_pinyin, scientist.name_initials) == ("shanzhiqiang", "szq")
        assert scientist.birth_date == datetime.date(1968, 3, 12)

    def test_same_name_at_same_employer_is_refused_with_a_link(self, liaison_client):
        existing = ScientistFactory(name="单志强", employer="辽川理工大学")
        response = liaison_client.post(reverse("experts:create"), _post())
        assert response.status_code == 200
        text = response.content.decode()
        assert "已有名为“单志强”的科技工作者" in text
        assert f'href="{existing.get_absolute_url()}"' in text
        assert 'value="副校长"' in text  # nothing typed is lost
        assert Scientist.objects.count() == 1

    def test_same_name_at_another_employer_is_allowed(self, liaison_client):
        ScientistFactory(name="单志强", employer="辽川医科大学")
        liaison_client.post(reverse("experts:create"), _post())
        assert Scientist.objects.filter(name="单志强").count() == 2

    def test_editing_keeps_own_name_without_duplicate_error(self, liaison_client):
        scientist = ScientistFactory(name="单志强", employer="辽川理工大学")
        response = liaison_client.post(
            reverse("experts:edit", args=[scientist.pk]), _post(title="研究员", version=scientist.version)
        )
        assert response.status_code == 302
        scientist.refresh_from_db()
        assert scientist.title == "研究员"

    @pytest.mark.parametrize("mobile", ["12345", "1381234567", "024-1234"])
    def test_invalid_phone_is_refused_and_input_kept(self, liaison_client, mobile):
        response = liaison_client.post(reverse("experts:create"), _post(mobile=mobile))
        assert response.status_code == 200
        text = response.content.decode()
        assert "有效的电话号码" in text
        assert f'value="{mobile}"' in text
        assert not Scientist.objects.exists()

    def test_landline_is_accepted_and_normalised(self, liaison_client):
        liaison_client.post(reverse("experts:create"), _post(mobile="(024)2345 6789"))
        assert Scientist.objects.get().mobile == "024-23456789"

    def test_required_fields_have_chinese_errors(self, liaison_client):
        response = liaison_client.post(reverse("experts:create"), _post(name="", employer="", category=""))
        assert response.status_code == 200
        assert "这个字段是必填项" in response.content.decode()

    def test_a_birth_date_in_the_future_is_refused_and_input_kept(self, liaison_client):
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = liaison_client.post(reverse("experts:create"), _post(birth_date=tomorrow))
        assert response.status_code == 200
        text = response.content.decode()
        assert "出生日期不能晚于今天。" in text
        assert f'value="{tomorrow}"' in text
        assert not Scientist.objects.exists()

    def test_an_imported_birth_date_in_the_future_is_a_row_error(self):
        from reports.workbook.imports import import_workbook
        from tests.reports.workbook.workbooks import xlsx

        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        sheet = [
            ["姓名", "工作单位", "人才类别", "出生日期"],
            ["张三", "辽川大学", "院士", tomorrow.isoformat()],
        ]
        result = import_workbook(xlsx({"科技工作者": sheet}))
        assert [(p.row, p.column, p.reason) for p in result.problems] == [
            (2, "出生日期", "出生日期不能晚于今天。")
        ]


class TestList:
    @pytest.fixture
    def people(self):
        university = OrganizationFactory(name="辽川理工大学科协", kind=OrgKind.UNIVERSITY)
        month = timezone.localdate().month
        other_month = month % 12 + 1
        return {
            "academician": ScientistFactory(
                name="曾国华",
                category=TalentCategory.ACADEMICIAN,
                organization=university,
                discipline="冶金工程",
            ),
            "young": ScientistFactory(
                name="李青", category=TalentCategory.YOUNG, birth_date=datetime.date(1990, month, 1)
            ),
            "frontline": ScientistFactory(
                name="王田",
                category=TalentCategory.FRONTLINE,
                birth_date=datetime.date(1975, other_month, 2),
                discipline="农学",
            ),
            "retired": ScientistFactory(name="赵退", is_active=False),
        }

    def test_filters(self, staff_client, people):
        url = reverse("experts:list")
        assert listed(staff_client.get(url, {"category": TalentCategory.YOUNG})) == {"李青"}
        assert listed(staff_client.get(url, {"academician": "1"})) == {"曾国华"}
        org = people["academician"].organization
        assert listed(staff_client.get(url, {"organization": org.pk})) == {"曾国华"}
        assert listed(staff_client.get(url, {"discipline": "冶金"})) == {"曾国华"}
        assert listed(staff_client.get(url, {"birthday": "month"})) == {"李青"}
        assert listed(staff_client.get(url)) == {"曾国华", "李青", "王田"}
        assert listed(staff_client.get(url, {"active": "0"})) == {"赵退"}

    @pytest.mark.parametrize("query", ["曾国", "zengguohua", "zgh", "ZGH", "guohua"])
    def test_search_by_name_pinyin_and_initials(self, staff_client, people, query):
        assert listed(staff_client.get(reverse("experts:list"), {"q": query})) == {"曾国华"}

    def test_a_search_lists_its_first_matches_only_and_says_so(
        self, staff_client, people, monkeypatch, settings
    ):
        import experts.views

        for name in ("王一", "王二", "王三"):
            ScientistFactory(name=name)
        monkeypatch.setattr(experts.views, "SEARCH_CAP", 2)  # 1,000 in the app; 2 here
        settings.PAGE_SIZE = 1
        url = reverse("experts:list")
        first = staff_client.get(url, {"q": "wang"})
        assert first.context["page"].paginator.count == 2
        assert "超过 2 条，列出前 2 条；请输入更多字缩小范围" in first.content.decode()
        # the first two in the list's order (wanger, wangsan | wangtian, wangyi): two pages, no third
        assert listed(first) == {"王二"}
        assert listed(staff_client.get(url, {"q": "wang", "page": "2"})) == {"王三"}
        assert listed(staff_client.get(url, {"q": "wang", "page": "3"})) == {"王三"}
        # fewer matches than the cap: counted exactly, as before
        few = staff_client.get(url, {"q": "wangyi"})
        assert few.context["page"].paginator.count == 1
        assert "超过" not in few.content.decode()
        # the whole registry (no search) is counted in full
        assert staff_client.get(url).context["page"].paginator.count == 6

    def test_query_count_does_not_grow_with_rows(self, leader_client, people):
        url = reverse("experts:list")
        people["young"].mobile = "13812345678"  # one phone shown in full: the page writes its log entry
        people["young"].save()
        few = count_queries(leader_client, url)
        org = OrganizationFactory(name="辽川医学会")
        for i in range(25):
            ScientistFactory(name=f"医生{i}", organization=org, mobile="13912345678")
        assert count_queries(leader_client, url) == few
        # 2 of them write the personal-data view log (liaison/privacy/log.py); the page is read in two steps
        # (common/views.py TwoStepPaginator: its ids, then its rows)
        assert few <= 13


def _picked(html: str, name: str) -> str:
    found = re.search(rf'data-testid="picked-{name}">(.*?)</output>', html, re.S)
    return found.group(1) if found else ""


class TestOrganizationFilter:
    """所属组织 is picked by typing (name, pinyin, initials), not from a select of 3,100 organisations."""

    @pytest.fixture
    def people(self):
        university = OrganizationFactory(name="辽川理工大学科协", kind=OrgKind.UNIVERSITY)
        hospital = OrganizationFactory(name="辽川医学会")
        return {
            "曾国华": ScientistFactory(name="曾国华", organization=university),
            "李青": ScientistFactory(name="李青", organization=hospital),
            "王田": ScientistFactory(name="王田"),
        }

    @pytest.mark.parametrize("text", ["理工大学", "liaochuanligong", "lcLGdx"])
    def test_found_by_name_pinyin_and_initials(self, staff_client, people, text):
        response = staff_client.get(reverse("experts:list"), {"organization_q": text})
        assert listed(response) == {"曾国华"}
        assert 'name="organization" value="' in response.content.decode()  # offered, to narrow to one

    def test_many_organisations_get_a_search_box_and_id_links_keep_working(self, staff_client, people):
        OrganizationFactory.create_batch(51)
        url = reverse("experts:list")
        html = staff_client.get(url).content.decode()
        assert '<select name="organization"' not in html
        assert 'name="organization_q"' in html
        assert "第1学会" not in html
        university = people["曾国华"].organization
        response = staff_client.get(url, {"organization": university.pk, "category": "renowned"})
        html = response.content.decode()
        assert listed(response) == {"曾国华"}
        assert "辽川理工大学科协" in _picked(html, "organization")
        assert 'href="?category=renowned" title="清除"' in html

    def test_few_organisations_stay_a_select(self, staff_client, people):
        university = people["曾国华"].organization
        html = staff_client.get(reverse("experts:list"), {"organization": university.pk}).content.decode()
        assert f'<option value="{university.pk}" selected>辽川理工大学科协</option>' in html

    def test_unknown_or_inactive_organisation_is_refused(self, staff_client, people):
        closed = OrganizationFactory(name="已撤销学会", is_active=False)
        ScientistFactory(name="赵停", organization=closed)
        for value in (closed.pk, 999999, "abc"):
            response = staff_client.get(reverse("experts:list"), {"organization": value})
            assert "所选的组织不存在，或您无权查看" in response.content.decode()

    def test_suggestions(self, client, staff_client, people):
        url = reverse("experts:filter_suggest", args=["organization"])
        university = people["曾国华"].organization
        found = staff_client.get(url, {"organization_q": "lgdx"}).content.decode()
        assert f'<button type="submit" name="organization" value="{university.pk}"' in found
        assert "辽川医学会" not in found
        assert "没有找到“不存在”" in staff_client.get(url, {"organization_q": "不存在"}).content.decode()
        assert staff_client.get(url, {"organization_q": ""}).content.decode().strip() == ""
        assert client.get(url, {"organization_q": "lgdx"}).status_code == 302
        assert staff_client.get(reverse("experts:filter_suggest", args=["category"])).status_code == 404

    @pytest.mark.parametrize("params", [{}, {"q": "zgh"}, {"organization": "ORG"}, {"organization_q": "lg"}])
    def test_query_count_is_the_same_for_a_select_and_a_search_box(self, leader_client, people, params):
        university = people["曾国华"].organization
        params = {k: university.pk if v == "ORG" else v for k, v in params.items()}
        url = reverse("experts:list")
        few = count_queries(leader_client, url, params)
        OrganizationFactory.create_batch(60)
        assert '<select name="organization"' not in leader_client.get(url).content.decode()
        assert count_queries(leader_client, url, params) == few


class TestSearchSemantics:
    """Scientist.objects.search: the same answers on SQLite and on PostgreSQL (where it doubles characters to
    use the trigram indexes)."""

    @pytest.fixture
    def names(self):
        for name in ("郭建华", "郭华建", "王建建", "李%华", "Anna Li"):
            ScientistFactory(name=name)

    @pytest.mark.parametrize(
        ("text", "found"),
        [
            ("郭建", {"郭建华"}),
            ("建华", {"郭建华"}),
            ("华建", {"郭华建"}),
            ("建建", {"王建建"}),
            ("建", {"郭建华", "郭华建", "王建建"}),
            ("guojian", {"郭建华"}),
            ("GJH", {"郭建华"}),
            ("%", {"李%华"}),
            ("%华", {"李%华"}),
            ("_", set()),
            ("anna l", {"Anna Li"}),
            ("nna", {"Anna Li"}),
            # latin queries: two characters (doubled on PostgreSQL), three or more (the columns themselves)
            ("li", {"李%华", "Anna Li"}),
            ("LI", {"李%华", "Anna Li"}),
            ("hua", {"郭建华", "郭华建", "李%华"}),
            ("JianHua", {"郭建华"}),
            ("ANNA", {"Anna Li"}),
            ("郭建华", {"郭建华"}),
            ("jh", {"郭建华"}),
        ],
    )
    def test_contains(self, names, text, found):
        assert {s.name for s in Scientist.objects.search(text)} == found

    @pytest.mark.parametrize("text", ["hua", "h", "hu"])
    def test_found_in_pinyin_order(self, names, text):
        # guohuajian, guojianhua, lihua: the list's order, whichever way the database finds them
        assert [s.name for s in Scientist.objects.search(text)] == ["郭华建", "郭建华", "李%华"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram indexes exist on PostgreSQL only")
@pytest.mark.parametrize(
    ("text", "indexes"),
    [
        ("郭建", ["scientist_name_grams"]),
        ("gj", ["scientist_name_grams", "scientist_name_pinyin_grams", "scientist_name_initials_grams"]),
        # three characters or more: the columns' own trigrams (experts 0005), no regexp_replace on each row
        ("郭建华", ["scientist_name_trgm"]),
        ("guojia", ["scientist_name_trgm", "scientist_name_pinyin_trgm", "scientist_name_initials_trgm"]),
    ],
)
def test_search_is_answered_by_the_trigram_indexes_on_postgresql(db, text, indexes):
    ScientistFactory.create_batch(5)
    with connection.cursor() as cursor:  # a 5-row table would be scanned, or read through another index
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Scientist.objects.search(text).explain()
    for index in indexes:
        assert index in plan, plan


class TestContactDetails:
    @pytest.fixture
    def scientist(self):
        return ScientistFactory(name="单志强", mobile="13812345678", email="shan@example.cn")

    @pytest.mark.parametrize("client_name", ["leader_client", "liaison_client", "admin_client_"])
    def test_leadership_liaison_and_admin_see_phone_and_email(self, request, client_name, scientist):
        client = request.getfixturevalue(client_name)
        detail = client.get(scientist.get_absolute_url()).content.decode()
        assert "13812345678" in detail
        assert "shan@example.cn" in detail
        assert "13812345678" in client.get(reverse("experts:list")).content.decode()

    @pytest.mark.parametrize("client_name", ["staff_client", "outsider_client"])
    def test_others_never_see_phone_or_email(self, request, client_name, scientist):
        client = request.getfixturevalue(client_name)
        detail = client.get(scientist.get_absolute_url()).content.decode()
        assert "单志强" in detail
        assert "13812345678" not in detail
        assert "shan@example.cn" not in detail
        assert "仅领导、组织联络部和本年度联系该对象的专班可见" in detail
        assert "138****5678" in detail
        assert "s***@example.cn" in detail
        listing = client.get(reverse("experts:list")).content.decode()
        assert "13812345678" not in listing
        assert "138****5678" in listing


def test_deactivate_keeps_the_record(liaison_client):
    scientist = ScientistFactory()
    liaison_client.post(reverse("experts:set_active", args=[scientist.pk]), {"active": "0"})
    scientist.refresh_from_db()
    assert scientist.is_active is False
