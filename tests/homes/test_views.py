"""The homes' pages: the list and its filters, the roll-up, the export read back, an organisation's home,
filling in a point (with evidence and the version check), designations — and who may do what, the grassroots
fence included. The data is tests/homes/factories.py's hand-built case."""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homes.models import HomeCheck, HomeDesignation, HomeEvidence, Point
from tests.conftest import count_queries, listed
from tests.factories import today
from tests.homes.factories import build_world, designate, mark, place
from tests.liaison.filing.factories import client_for, make_account

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
LIST = reverse("homes:list")


@pytest.fixture
def world():
    return build_world()


def home(o) -> str:
    return reverse("homes:organization", args=[o.pk])


def edit(o, year: int, point: str = "venue") -> str:
    return reverse("homes:check_edit", args=[o.pk, year, point])


# --- the list -------------------------------------------------------------------------------------------


class TestList:
    @pytest.mark.parametrize(
        ("params", "names"),
        [
            (
                {},
                {
                    "甲区科协",
                    "乙县科协",
                    "一街道科协",
                    "二镇科协",
                    "一社区科协",
                    "二社区科协",
                    "甲区电子企业科协",
                    "化工学会",
                },
            ),
            ({"state": "complete"}, {"一街道科协", "一社区科协", "甲区电子企业科协", "化工学会"}),
            ({"state": "partial"}, {"二社区科协"}),
            ({"state": "none"}, {"甲区科协", "乙县科协", "二镇科协"}),
            ({"flag": "contact_point"}, {"一街道科协"}),
            ({"flag": "demo_point"}, {"一社区科协"}),
            ({"flag": "any"}, {"一街道科协", "一社区科协"}),
            ({"q": "化工"}, {"化工学会"}),
            ({"year": "2025", "state": "complete"}, {"甲区科协"}),
            ({"year": "2025", "flag": "contact_point"}, {"一街道科协", "二镇科协"}),
        ],
    )
    def test_filters(self, liaison_client, world, params, names):
        response = liaison_client.get(LIST, {"year": "2026", **params})
        assert response.status_code == 200
        assert listed(response) == names

    def test_county_and_township(self, liaison_client, world):
        by_county = liaison_client.get(LIST, {"county": world["A"].pk})
        assert listed(by_county) == {
            "甲区科协",
            "一街道科协",
            "二镇科协",
            "一社区科协",
            "二社区科协",
            "甲区电子企业科协",
        }
        by_township = liaison_client.get(LIST, {"township": world["T1"].pk})
        assert listed(by_township) == {"一街道科协", "一社区科协", "二社区科协"}
        both = liaison_client.get(LIST, {"township": world["T1"].pk, "state": "complete"})
        assert listed(both) == {"一街道科协", "一社区科协"}

    def test_rows_show_ticks_state_and_flags(self, liaison_client, world):
        text = liaison_client.get(LIST, {"year": "2026"}).content.decode()
        row = re.search(r'<tr data-name="二社区科协".*?</tr>', text, re.S).group(0)
        assert row.count('data-done="1"') == 4
        assert row.count('data-done="0"') == 1
        assert "建设中 4/5" in row
        t1 = re.search(r'<tr data-name="一街道科协".*?</tr>', text, re.S).group(0)
        assert "已建成" in t1
        assert ">联系点</span>" in t1
        assert ">示范点</span>" not in t1
        assert 'data-testid="count-complete">4<' in text

    def test_bad_year_is_404(self, liaison_client, world):
        assert liaison_client.get(LIST, {"year": "1999"}).status_code == 404
        assert liaison_client.get(LIST, {"year": "abc"}).status_code == 404
        assert liaison_client.get(LIST, {"year": "9" * 30}).status_code == 404

    def test_query_count_does_not_grow(self, liaison_client, world):
        first = count_queries(liaison_client, LIST, {"year": "2026"})
        rollup = count_queries(liaison_client, reverse("homes:rollup"), {"year": "2026"})
        for i in range(30):
            county = place(f"新{i}县科协", "district")
            town = place(f"新{i}镇科协", "township", county)
            village = place(f"新{i}村科协", "village", town)
            mark(village, 2026, list(Point)[: i % 6])
            designate(town, "contact_point", 2025)
        assert count_queries(liaison_client, LIST, {"year": "2026"}) == first
        assert count_queries(liaison_client, LIST, {"year": "2026", "page": "3"}) == first
        assert count_queries(liaison_client, reverse("homes:rollup"), {"year": "2026"}) == rollup


class TestRollup:
    def test_numbers_and_links(self, leader_client, world):
        response = leader_client.get(reverse("homes:rollup"), {"year": "2026"})
        text = response.content.decode()
        assert "全市基层科协组织 8 个，已建成 4 个，联系点 1 个，示范点 1 个" in text
        row = re.search(r'<tr class="table-light" data-county="甲区科协">.*?</tr>', text, re.S).group(0)
        cells = re.findall(r'data-col="(\w+)">(?:<a href="([^"]+)">)?(\d+)', row)
        assert [(c, n) for c, _, n in cells] == [
            ("total", "6"),
            ("complete", "3"),
            ("contact", "1"),
            ("demo", "1"),
        ]
        # each figure opens the list it counts
        complete_link = cells[1][1].replace("&amp;", "&")
        assert listed(leader_client.get(complete_link)) == {"一街道科协", "一社区科协", "甲区电子企业科协"}
        town = re.search(r'<tr data-township="一街道科协">.*?</tr>', text, re.S).group(0)
        assert [n for _, _, n in re.findall(r'data-col="(\w+)">(?:<a href="([^"]+)">)?(\d+)', town)] == [
            "3",
            "2",
            "1",
            "1",
        ]


class TestExport:
    def test_read_back(self, staff_client, world):
        response = staff_client.get(reverse("homes:export"), {"year": "2026", "county": world["A"].pk})
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert rows[0][:5] == ("组织名称", "类别", "所在区县", "上级组织", "组织到位（日期）")
        by_name = {r[0]: r for r in rows[1:]}
        assert set(by_name) == {
            "甲区科协",
            "一街道科协",
            "二镇科协",
            "一社区科协",
            "二社区科协",
            "甲区电子企业科协",
        }
        v2 = by_name["二社区科协"]
        assert v2[2:4] == ("甲区科协", "一街道科协")
        assert v2[4].date() == datetime.date(2026, 3, 1)  # a date cell
        assert v2[8] is None  # 制度到位 not done
        assert v2[9:] == (4, "建设中", None, None)
        assert by_name["一街道科协"][9:] == (5, "已建成", "是", None)
        assert by_name["甲区科协"][2] == "甲区科协"

    def test_refused_to_those_who_see_no_list(self, outsider_client, world):
        assert outsider_client.get(reverse("homes:export")).status_code == 403


# --- permissions ----------------------------------------------------------------------------------------


class TestWhoSeesWhat:
    def test_working_accounts_read_outsiders_do_not(
        self, client, liaison_client, leader_client, staff_client, admin_client_, outsider_client, world
    ):
        for c in (liaison_client, leader_client, staff_client, admin_client_):
            assert c.get(LIST).status_code == 200
            assert c.get(reverse("homes:rollup")).status_code == 200
            assert c.get(home(world["V2"])).status_code == 200
        assert outsider_client.get(LIST).status_code == 403
        assert outsider_client.get(home(world["V2"])).status_code == 403
        assert client.get(LIST).status_code == 302
        assert client.get(home(world["V2"]))["Location"].startswith("/login/")

    def test_no_home_for_other_kinds_or_inactive(self, liaison_client, world):
        assert liaison_client.get(home(world["U"])).status_code == 404
        assert liaison_client.get(home(world["V3"])).status_code == 404
        assert liaison_client.get(edit(world["U"], 2026)).status_code == 404

    def test_readers_get_no_edit_links_and_403_on_edits(self, leader_client, staff_client, world):
        page = staff_client.get(home(world["V2"])).content.decode()
        assert "填写" not in page
        assert "命名</button>" not in page
        for c in (leader_client, staff_client):
            assert c.get(edit(world["V2"], 2026)).status_code == 403
            assert c.post(edit(world["V2"], 2026), {"done": "on", "date": "2026-03-01"}).status_code == 403
            response = c.post(
                reverse("homes:designation_add", args=[world["V2"].pk]),
                {"kind": "demo_point", "year_named": 2026},
            )
            assert response.status_code == 403
        assert not HomeCheck.objects.filter(organization=world["V2"], point="rules", done=True).exists()
        assert not HomeDesignation.objects.filter(organization=world["V2"]).exists()

    def test_wrong_methods(self, liaison_client, world):
        assert liaison_client.post(LIST).status_code == 405
        assert liaison_client.get(reverse("homes:designation_add", args=[world["V2"].pk])).status_code == 405
        assert liaison_client.put(edit(world["V2"], 2026)).status_code == 405

    def test_section_on_the_organisation_page(self, staff_client, world):
        text = staff_client.get(reverse("orgs:detail", args=[world["V2"].pk])).content.decode()
        assert 'data-testid="home-section"' in text
        assert f"{today().year} 年度科技工作者之家" in text
        assert home(world["V2"]) in text
        other = staff_client.get(reverse("orgs:detail", args=[world["U"].pk])).content.decode()
        assert 'data-testid="home-section"' not in other


class TestGrassrootsFence:
    """A grassroots account opens and fills in its own organisation's home, nothing of another's, no list, no
    flags."""

    @pytest.fixture
    def ours(self, world):
        account = make_account(world["V2"], "ershequ")
        return client_for(account)

    def test_own_home(self, ours, world):
        page = ours.get(home(world["V2"]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "填写" in text
        assert "命名</button>" not in text
        assert "撤销</button>" not in text
        # its navigation offers the home
        assert f'href="{home(world["V2"])}"' in text
        form = ours.get(edit(world["V2"], 2026, "rules")).context["form"]
        seen = {"version": form["version"].value(), "seen": form["seen"].value()}
        response = ours.post(
            edit(world["V2"], 2026, "rules"),
            {**seen, "done": "on", "date": "2026-04-01", "note": "已建立制度"},
        )
        assert response.status_code == 302
        check = HomeCheck.objects.get(organization=world["V2"], year=2026, point="rules")
        assert check.done
        assert check.note == "已建立制度"
        assert ours.get(home(world["V2"]), {"year": 2026}).context["state"].home_state == "complete"

    def test_another_organisation_is_404(self, ours, world):
        assert ours.get(home(world["V1"])).status_code == 404
        assert ours.get(edit(world["V1"], 2026)).status_code == 404
        assert ours.post(edit(world["V1"], 2026), {"done": "on", "date": "2026-03-01"}).status_code == 404
        assert HomeCheck.objects.filter(organization=world["V1"], point="venue").get().note == ""

    def test_list_rollup_export_flags_and_registry_are_closed(self, ours, world):
        for url in (
            LIST,
            reverse("homes:rollup"),
            reverse("homes:export"),
            reverse("orgs:detail", args=[world["V2"].pk]),
        ):
            assert ours.get(url).status_code == 403, url
        response = ours.post(
            reverse("homes:designation_add", args=[world["V2"].pk]),
            {"kind": "demo_point", "year_named": 2026},
        )
        assert response.status_code == 403
        d = HomeDesignation.objects.get(organization=world["T1"])
        assert (
            ours.post(reverse("homes:designation_withdraw", args=[d.pk]), {"year": 2026}).status_code == 403
        )
        assert not HomeDesignation.objects.filter(organization=world["V2"]).exists()
        d.refresh_from_db()
        assert d.year_withdrawn is None

    def test_evidence_of_another_organisation(self, ours, liaison_client, world):
        liaison_client.post(
            edit(world["V1"], 2026, "venue"),
            {
                "done": "on",
                "date": "2026-03-01",
                "version": HomeCheck.objects.get(organization=world["V1"], year=2026, point="venue").version,
                "evidence": SimpleUploadedFile("照片.png", PNG, content_type="image/png"),
            },
        )
        evidence = HomeEvidence.objects.get()
        assert ours.get(evidence.get_absolute_url()).status_code == 404
        assert ours.post(reverse("homes:evidence_delete", args=[evidence.pk])).status_code == 404
        assert HomeEvidence.objects.filter(pk=evidence.pk).exists()


# --- filling in a point ---------------------------------------------------------------------------------


class TestFillIn:
    def test_first_save_creates_the_point_with_evidence(
        self, liaison_client, staff_client, liaison_officer, world
    ):
        url = edit(world["T2"], 2026, "venue")
        assert liaison_client.get(url).status_code == 200
        response = liaison_client.post(
            url,
            {
                "done": "on",
                "date": "2026-05-04",
                "note": "活动室 80 平方米",
                "evidence": [
                    SimpleUploadedFile("活动室.png", PNG, content_type="image/png"),
                    SimpleUploadedFile("制度.pdf", PDF, content_type="application/pdf"),
                ],
            },
        )
        assert response.status_code == 302
        assert response["Location"] == f"{home(world['T2'])}?year=2026"
        check = HomeCheck.objects.get(organization=world["T2"], year=2026, point="venue")
        assert (check.done, check.date, check.note, check.checked_by) == (
            True,
            datetime.date(2026, 5, 4),
            "活动室 80 平方米",
            liaison_officer.user,
        )
        photo, pdf = check.evidence.order_by("id")
        assert (photo.content_type, pdf.content_type) == ("image/png", "application/pdf")
        assert photo.file.name.endswith(".png")
        assert pdf.file.name.endswith(".pdf")
        # readers download it; a PDF never shows inline
        served = staff_client.get(pdf.get_absolute_url())
        assert served.status_code == 200
        assert served["Content-Disposition"].startswith("attachment")
        assert served["X-Content-Type-Options"] == "nosniff"
        assert b"".join(served.streaming_content) == PDF
        page = staff_client.get(home(world["T2"]), {"year": 2026}).content.decode()
        assert "活动室.png" in page
        assert "制度.pdf" in page
        assert "刘联络" in page

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"done": "on"}, "date", "请填写到位日期。"),
            ({"done": "on", "date": "2026-13-01"}, "date", "有效"),
            ({"note": "x\x00y"}, "note", "控制字符"),
            ({"note": "字" * 1001}, "note", "最多 1000 个字"),
        ],
    )
    def test_refused_input_keeps_what_was_typed(self, liaison_client, world, data, field, message):
        response = liaison_client.post(edit(world["T2"], 2026), data)
        assert response.status_code == 200
        form = response.context["form"]
        assert message in " ".join(form.errors[field])
        assert not HomeCheck.objects.filter(organization=world["T2"]).exists()

    def test_date_after_today_or_after_the_year(self, liaison_client, world):
        tomorrow = today() + datetime.timedelta(days=1)
        response = liaison_client.post(
            edit(world["T2"], today().year), {"done": "on", "date": f"{tomorrow:%Y-%m-%d}"}
        )
        assert "不能晚于" in " ".join(response.context["form"].errors["date"])
        response = liaison_client.post(edit(world["T2"], 2025), {"done": "on", "date": "2026-01-02"})
        assert "不能晚于 2025-12-31" in " ".join(response.context["form"].errors["date"])

    def test_a_file_that_is_no_photo_or_pdf_is_refused(self, liaison_client, world):
        fake = SimpleUploadedFile(
            "照片.png", b"<html><script>alert(1)</script></html>", content_type="image/png"
        )
        response = liaison_client.post(
            edit(world["T2"], 2026), {"done": "on", "date": "2026-03-01", "evidence": fake}
        )
        assert response.status_code == 200
        assert "不是照片或 PDF 文件" in " ".join(response.context["form"].errors["evidence"])
        assert not HomeEvidence.objects.exists()
        assert response.context["form"]["date"].value() == "2026-03-01"

    def test_future_year_and_unknown_point(self, liaison_client, world):
        assert liaison_client.get(edit(world["T2"], today().year + 1)).status_code == 404
        assert liaison_client.get(edit(world["T2"], 2026, "nonsense")).status_code == 404

    def test_evidence_delete(self, liaison_client, staff_client, world):
        liaison_client.post(
            edit(world["T2"], 2026),
            {"done": "on", "date": "2026-03-01", "evidence": SimpleUploadedFile("a.pdf", PDF)},
        )
        evidence = HomeEvidence.objects.get()
        assert staff_client.post(reverse("homes:evidence_delete", args=[evidence.pk])).status_code == 403
        assert liaison_client.get(reverse("homes:evidence_delete", args=[evidence.pk])).status_code == 405
        assert liaison_client.post(reverse("homes:evidence_delete", args=[evidence.pk])).status_code == 302
        assert not HomeEvidence.objects.exists()


class TestNoLostUpdate:
    def test_a_save_on_a_stale_copy_is_refused_with_what_changed(self, liaison_client, admin_client_, world):
        url = edit(world["V2"], 2026, "rules")
        mine = liaison_client.get(url).context["form"]
        theirs = admin_client_.get(url).context["form"]
        common = {"version": mine["version"].value(), "seen": mine["seen"].value()}
        first = admin_client_.post(url, {**common, "done": "on", "date": "2026-06-01", "note": "管理员填写"})
        assert first.status_code == 302
        assert theirs["version"].value() == mine["version"].value()
        second = liaison_client.post(
            url, {**common, "done": "on", "date": "2026-06-02", "note": "联络部填写"}
        )
        assert second.status_code == 200
        errors = " ".join(second.context["form"].non_field_errors())
        assert "保存未成功" in errors
        assert "管理员填写" in errors
        assert second.context["form"]["note"].value() == "联络部填写"  # what was typed is kept
        assert HomeCheck.objects.get(organization=world["V2"], year=2026, point="rules").note == "管理员填写"
        # saving again, knowingly, goes through
        again = second.context["form"]
        third = liaison_client.post(
            url,
            {
                "version": again["version"].value(),
                "seen": again["seen"].value(),
                "done": "on",
                "date": "2026-06-02",
                "note": "联络部填写",
            },
        )
        assert third.status_code == 302
        assert HomeCheck.objects.get(organization=world["V2"], year=2026, point="rules").note == "联络部填写"

    def test_a_first_save_after_someone_else_created_the_point(self, liaison_client, world):
        url = edit(world["T2"], 2026, "funding")
        opened = liaison_client.get(url).context["form"]
        assert opened["version"].value() is None
        mark(world["T2"], 2026, [Point.FUNDING])  # someone else saved it meanwhile
        response = liaison_client.post(url, {"version": "", "seen": "", "done": "", "note": "没有经费"})
        assert response.status_code == 200
        assert "保存未成功" in " ".join(response.context["form"].non_field_errors())
        assert HomeCheck.objects.get(organization=world["T2"], point="funding").done


# --- designations ---------------------------------------------------------------------------------------


class TestDesignations:
    def test_name_and_withdraw(self, liaison_client, world):
        add = reverse("homes:designation_add", args=[world["V2"].pk])
        response = liaison_client.post(
            add, {"kind": "demo_point", "year_named": 2026, "note": "市科协命名"}, follow=True
        )
        assert "已命名为示范点（2026 年）" in response.content.decode()
        d = HomeDesignation.objects.get(organization=world["V2"])
        again = liaison_client.post(add, {"kind": "demo_point", "year_named": 2026}, follow=True)
        assert "不能重复命名" in again.content.decode()
        assert HomeDesignation.objects.filter(organization=world["V2"]).count() == 1
        withdraw = reverse("homes:designation_withdraw", args=[d.pk])
        too_early = liaison_client.post(withdraw, {"year": 2026}, follow=True)
        assert "撤销年度须晚于命名年度 2026" in too_early.content.decode()
        assert liaison_client.post(withdraw, {"year": 2027}).status_code == 302
        d.refresh_from_db()
        assert d.year_withdrawn == 2027
        # one-way: a second withdrawal (a stale page) changes nothing
        second = liaison_client.post(withdraw, {"year": 2027}, follow=True)
        assert "已被撤销" in second.content.decode()
        # named again, but not overlapping the earlier period
        overlap = liaison_client.post(add, {"kind": "demo_point", "year_named": 2026}, follow=True)
        assert "不能早于 2027" in overlap.content.decode()

    def test_withdrawal_is_audited(self, liaison_client, liaison_officer, world):
        from auditlog.models import LogEntry

        d = HomeDesignation.objects.get(organization=world["T1"])
        liaison_client.post(reverse("homes:designation_withdraw", args=[d.pk]), {"year": 2026})
        entry = LogEntry.objects.get_for_object(d).filter(action=LogEntry.Action.UPDATE).get()
        assert entry.actor == liaison_officer.user
        assert entry.changes_dict["year_withdrawn"] == ["None", "2026"]

    def test_bad_input(self, liaison_client, world):
        add = reverse("homes:designation_add", args=[world["V2"].pk])
        response = liaison_client.post(add, {"kind": "nonsense", "year_named": "x"}, follow=True)
        text = response.content.decode()
        assert "命名未保存" in text
        assert not HomeDesignation.objects.filter(organization=world["V2"]).exists()


def test_an_organisations_home_costs_the_same_queries_at_any_size(liaison_client, world):
    from homes import services

    url = home(world["V2"])
    first = count_queries(liaison_client, url, {"year": 2026})
    for check in HomeCheck.objects.filter(organization=world["V2"], year=2026):
        for i in range(4):
            upload = SimpleUploadedFile(f"照片{i}.png", PNG)
            upload.sniffed_type = "image/png"
            services.evidence_add(check=check, upload=upload, by=None)
    for year in (2018, 2020, 2022):
        designate(world["V2"], "contact_point", year, year + 1)
    assert HomeEvidence.objects.count() == 20
    assert count_queries(liaison_client, url, {"year": 2026}) == first
