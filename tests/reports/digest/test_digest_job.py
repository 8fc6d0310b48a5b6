"""The weekly digest started by hand from /reports/digest/ as a job: previewed (nothing sent) or sent, with
progress (recipients done of total) and the result (how many went, who has no address, the messages); the
same send_weekly_digest as the scheduled command. The liaison office and admins only."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from reports.jobs.models import Job, JobKind, JobStatus
from tests.reports.digest.test_digest import setup  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

PAGE, START = "/reports/digest/", "/reports/digest/job"


@pytest.fixture
def today(monkeypatch):
    """The digest counts as of today: the setup's year is 2026, its overdue demand due on 1 April."""
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 6, 1))


def test_a_preview_sends_nothing_and_shows_every_message(today, setup, liaison_client):  # noqa: F811
    page = liaison_client.get(PAGE).content.decode()
    assert 'data-testid="digest-send"' in page

    response = liaison_client.post(START)

    job = Job.objects.get()
    assert response["Location"] == f"/reports/jobs/{job.pk}/"
    assert (job.kind, job.status) == (JobKind.DIGEST, JobStatus.DONE), job.message
    assert mail.outbox == []
    # three people with an address: the two team leads and 刘联络 of the liaison office
    assert job.counts == {"done": 3, "total": 3}
    assert job.result["dry_run"] is True
    assert job.result["sent"] == 3
    page = liaison_client.get(response["Location"]).content.decode()
    assert "预览已生成，未发送任何邮件" in page
    assert "将发送 3 封" in page
    assert page.count('data-testid="digest-preview-message"') == 3
    assert "联系工作周报·汇总（2026-06-01）" in page
    assert "逾期的用房诉求" in page


def test_sending_mails_each_person_once_and_says_who_has_no_address(today, setup, liaison_client):  # noqa: F811
    from liaison.models import Staff

    lead = Staff.objects.get(name="李副主席")
    lead.user.email = ""
    lead.user.save()

    liaison_client.post(START, {"send": "1"})

    job = Job.objects.get()
    assert job.status == JobStatus.DONE, job.message
    assert sorted(m.to[0] for m in mail.outbox) == ["lead王主席@example.org", "lianluo@example.org"]
    assert job.counts == {"done": 2, "total": 2}
    assert (job.result["sent"], job.result["skipped"]) == (2, ["李副主席"])
    page = liaison_client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "已发送 2 封；1 人没有邮箱未发送：李副主席" in page


def test_a_mail_server_that_fails_part_way_says_how_many_went(today, setup, liaison_client, settings):  # noqa: F811
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens

    liaison_client.post(START, {"send": "1"})

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("邮件服务器出错：已发送 0 封，其余 3 封未发送。")


def test_no_one_else_may_start_it(today, setup, leader_client, staff_client, outsider_client, admin_client_):  # noqa: F811
    for client in (leader_client, staff_client, outsider_client):
        assert client.get(PAGE).status_code == 403
        assert client.post(START, {"send": "1"}).status_code == 403
    assert client.get(START).status_code in (403, 405)
    assert not Job.objects.exists()
    assert mail.outbox == []
    assert admin_client_.get(PAGE).status_code == 200
    assert f'href="{PAGE}"' not in leader_client.get("/reports/duty/").content.decode()  # not in the menu


def test_the_menu_leads_the_liaison_office_to_the_page(setup, liaison_client):  # noqa: F811
    assert f'href="{PAGE}"' in liaison_client.get("/reports/duty/").content.decode()
