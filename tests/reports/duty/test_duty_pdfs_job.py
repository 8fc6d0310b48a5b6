"""Every person's duty-report PDF of a year in one zip, as a job (reports/duty/jobs.py): read back by
unzipping, counting the files and rendering one PDF's text with pdftotext. Figures are those worked out by
hand in tests/reports/duty/test_duty.py (张主席: 5 records, 1 grassroots visit, 3 demands, 1 done).

The year's people (staff_of_year) here: 张主席 (leadership, no department), 陈部长 and 李干事 (学会学术部) and
刘联络 (组织联络部, the liaison officer who starts the job): four PDFs.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from liaison.models import Department
from reports.jobs.models import Job, JobKind, JobStatus
from tests.reports.duty.test_duty import ZHANG_SENTENCE, build_duty_data
from tests.reports.duty.test_duty_files import pdf_text, squeeze

pytestmark = pytest.mark.django_db

URL = "/reports/duty/2025/pdfs/job"


@pytest.fixture
def data():
    return build_duty_data()


def the_zip(client, job: Job) -> zipfile.ZipFile:
    response = client.get(f"/reports/jobs/{job.pk}/file")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return archive


def test_every_persons_pdf_in_one_zip(liaison_client, data):
    page = liaison_client.get("/reports/duty/?year=2025").content.decode()
    assert f'action="{URL}"' in page

    response = liaison_client.post(URL)

    job = Job.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.kind, job.status) == (JobKind.DUTY_PDFS, JobStatus.DONE), job.message
    assert job.counts == {"done": 4, "total": 4, "failed": 0}
    archive = the_zip(liaison_client, job)
    assert sorted(archive.namelist()) == sorted(
        f"{name}_2025年度述职报告.pdf" for name in ("张主席", "陈部长", "李干事", "刘联络")
    )
    text = pdf_text(archive.read("张主席_2025年度述职报告.pdf"))
    assert "张主席" in text
    assert squeeze(ZHANG_SENTENCE) in text  # 5 records, 1 grassroots visit, 3 demands of which 1 done
    assert "下基层2次，少1次" in text  # his team's visits against the minimum of 3
    page = liaison_client.get(response["Location"]).content.decode()
    assert "共 4 人，已生成 4 份述职报告 PDF" in page


def test_a_team_or_a_department_only(liaison_client, data):
    liaison_client.post(URL, {"team": data.team_b.pk})  # 陈部长 leads, 李干事 is a member
    liaison_client.post(URL, {"department": Department.objects.get(name="组织联络部").pk})

    by_team, by_department = Job.objects.order_by("pk")
    assert sorted(the_zip(liaison_client, by_team).namelist()) == [
        "李干事_2025年度述职报告.pdf",
        "陈部长_2025年度述职报告.pdf",
    ]
    assert the_zip(liaison_client, by_department).namelist() == ["刘联络_2025年度述职报告.pdf"]
    assert by_team.result_file.name.endswith(".zip")
    assert "陈部长专班" in by_team.result["filename"]


def test_a_pdf_that_fails_names_the_person_and_the_others_are_made(liaison_client, data, monkeypatch):
    """WeasyPrint failing on one person's report (a fault injected into the third-party renderer, the only
    stand-in in this test): the job still ends, the zip holds the others, the page names him."""
    import weasyprint

    real = weasyprint.HTML

    def failing_for_li(*args, string: str = "", **kwargs):
        if "李干事（" in string or "李干事 " in string or ">李干事<" in string:
            raise RuntimeError("cannot lay out this page")
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", failing_for_li)

    liaison_client.post(URL, {"team": data.team_b.pk})

    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    assert job.counts == {"done": 2, "total": 2, "failed": 1}
    assert job.result["failed"] == [["李干事", "生成 PDF 时出错"]]
    assert the_zip(liaison_client, job).namelist() == ["陈部长_2025年度述职报告.pdf"]
    page = liaison_client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "以下 1 人的述职报告未能生成" in page
    assert "李干事：生成 PDF 时出错" in page


def test_refused_to_all_but_the_liaison_office_and_bad_choices_explained(
    leader_client, staff_client, outsider_client, liaison_client, data
):
    for client in (leader_client, staff_client, outsider_client):
        assert client.post(URL).status_code == 403
    assert (
        'data-testid="duty-pdfs-form"' not in leader_client.get("/reports/duty/?year=2025").content.decode()
    )
    response = liaison_client.post(URL, {"team": "999999"}, follow=True)
    assert "所选专班不存在或不属于 2025 年度，请重新选择。" in response.content.decode()
    response = liaison_client.post(URL, {"department": "abc"}, follow=True)
    assert "所选部室不存在或不属于 2025 年度，请重新选择。" in response.content.decode()
    assert not Job.objects.exists()
