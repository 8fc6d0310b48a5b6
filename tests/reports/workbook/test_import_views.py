"""The import page /reports/io/import/: the liaison office and admin only; results and problems on the page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from orgs.models import Organization
from reports.workbook.imports.files import TOO_LARGE
from tests.factories import PASSWORD
from tests.reports.workbook.workbooks import ORG_HEADER, full_workbook, read, xlsx

pytestmark = pytest.mark.django_db

URL = "/reports/io/import/"


def upload(data: bytes, name: str = "工作簿.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_the_url_and_its_name():
    assert reverse("reports:io_import") == URL
    assert reverse("reports:io_template") == "/reports/io/import/template.xlsx"


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("persona", ["leader_client", "staff_client", "outsider_client"])
def test_others_are_refused(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": upload(xlsx(full_workbook()))})
    assert response.status_code == 403
    assert not Organization.objects.exists()


@pytest.mark.parametrize("persona", ["liaison_client", "admin_client_"])
def test_the_liaison_office_and_admin_see_the_form(request, persona):
    response = request.getfixturevalue(persona).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "仅检查，不写入" in text
    assert 'enctype="multipart/form-data"' in text
    for sheet in ("组织", "科技工作者", "干部", "专班", "联系对象", "联系记录"):
        assert sheet in text


def test_an_upload_imports_and_shows_the_counts(liaison_client):
    response = liaison_client.post(URL, {"file": upload(xlsx(full_workbook()))}, follow=True)

    assert response.redirect_chain[0][0].startswith("/reports/jobs/")  # the import runs as a job
    assert response.status_code == 200
    text = response.content.decode()
    assert "导入完成" in text
    assert "科技工作者" in text
    assert Organization.objects.count() == 4
    result = response.context["result"]
    assert [(name, c.created) for name, c in result.sheets][:2] == [("组织", 4), ("科技工作者", 3)]
    assert "另新建部室 1 个" in text


def test_a_dry_run_writes_nothing_and_says_so(liaison_client):
    response = liaison_client.post(URL, {"file": upload(xlsx(full_workbook())), "dry_run": "on"}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "检查通过" in text
    assert "将新建" in text
    assert "仅检查，不写入" in text  # the job page says which kind of run it was
    assert not Organization.objects.exists()


def test_problems_are_listed_sheet_row_column_value_reason(liaison_client):
    bad = {"组织": [ORG_HEADER, ["和平区科协", "区科协", "", "", "", "", "12345", ""]]}

    response = liaison_client.post(URL, {"file": upload(xlsx(bad))}, follow=True)

    assert response.status_code == 200
    text = response.content.decode()
    assert "发现 2 个问题，未写入任何数据" in text
    for cell in (
        "<th>工作表</th>",
        "<th>行</th>",
        "<th>列</th>",
        "<th>值</th>",
        "<th>问题</th>",
        "区科协",
        "类别应为以下之一",
    ):
        assert cell in text
    assert "请输入有效的电话号码" in text
    assert not Organization.objects.exists()


def test_thousands_of_problems_are_capped_with_the_total(liaison_client):
    rows = [ORG_HEADER] + [[f"组织{i}", "错", "", "", "", "", "", ""] for i in range(600)]

    response = liaison_client.post(URL, {"file": upload(xlsx({"组织": rows}))}, follow=True)

    text = response.content.decode()
    assert "共 600 个问题，这里只列出前 500 个" in text
    assert text.count("类别应为以下之一") == 500


def test_a_refused_file_shows_its_message_on_the_page(liaison_client):
    response = liaison_client.post(URL, {"file": upload(b"not a workbook at all", "名单.xlsx")})
    assert response.status_code == 200
    text = response.content.decode()
    assert "文件不是 Excel 工作簿" in text
    assert "上次选择的文件：名单.xlsx" in text


def test_a_workbook_refused_once_read_fails_its_job_with_the_message(liaison_client):
    # the package checks pass in the request; the sheets are read by the job, which fails with the reason
    response = liaison_client.post(URL, {"file": upload(xlsx({"Sheet1": [["x"]]}), "名单.xlsx")}, follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "任务失败，未写入任何数据" in text
    assert "工作簿中没有可导入的工作表" in text
    assert "名单.xlsx" in text


def test_no_file_chosen(liaison_client):
    response = liaison_client.post(URL, {"dry_run": "on"})
    assert response.status_code == 200
    assert "请选择要导入的 .xlsx 文件。" in response.content.decode()


@pytest.mark.parametrize("fields", [{}, {"dry_run": "on"}])
def test_a_file_over_20_mb_is_stopped_while_uploading(liaison_client, fields):
    big = b"PK" + b"\0" * (21 * 1024 * 1024)
    response = liaison_client.post(URL, {"file": upload(big), **fields})
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert response.context["form"]["dry_run"].value() == bool(fields)


def test_the_upload_needs_the_csrf_token(liaison_officer):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=liaison_officer.user.username, password=PASSWORD)
    assert client.post(URL, {"file": upload(xlsx(full_workbook()))}).status_code == 403
    assert not Organization.objects.exists()


def test_the_template_has_every_sheet_and_imports_as_nothing(liaison_client):
    response = liaison_client.get("/reports/io/import/template.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheets = read(data)
    assert list(sheets) == [
        "组织",
        "科技工作者",
        "干部",
        "联系类别",
        "联系定额",
        "专班",
        "联系对象",
        "联系记录",
        "诉求",
        "备案",
    ]
    assert sheets["组织"][0][:2] == ("名称", "类别")
    response = liaison_client.post(URL, {"file": upload(data)}, follow=True)
    assert "导入完成" in response.content.decode()
    assert not Organization.objects.exists()
