"""The weekly digest as a job (reports/jobs/), started from /reports/digest/: the same send_weekly_digest the
scheduled `manage.py weekly_digest` runs, with progress (recipients done of total) and a result that keeps
how many went, who had no address, and a preview of the messages."""

from __future__ import annotations

import datetime

from reports.digest.services import DigestInterrupted, send_weekly_digest
from reports.jobs.models import Job, JobKind
from reports.jobs.progress import Progress
from reports.jobs.run import JobFailed, kind

PREVIEWS = 50  # messages kept for the job page (subject and body); the counts cover them all


@kind(JobKind.DIGEST)
def run_digest(job: Job, progress: Progress) -> None:
    today = datetime.date.fromisoformat(job.params["today"])
    dry_run = bool(job.params.get("dry_run"))

    def report(done: int, total: int) -> None:
        progress.update(done=done, total=total)

    try:
        result = send_weekly_digest(today=today, dry_run=dry_run, progress=report)
    except DigestInterrupted as stopped:
        raise JobFailed(
            f"邮件服务器出错：已发送 {stopped.sent} 封，其余 {stopped.total - stopped.sent} 封未发送。"
            "请检查邮件设置后重新发送（已发送的人会再收到一封）。"
        ) from stopped
    job.result = {
        "dry_run": dry_run,
        "sent": len(result.sent),
        "skipped": result.skipped,
        "previews": [
            {"to": name, "address": message.to[0], "subject": message.subject, "body": message.body}
            for name, message in zip(result.sent[:PREVIEWS], result.messages, strict=False)
        ],
    }
