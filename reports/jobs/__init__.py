"""Long work as jobs (docs/jobs.md): a Job row per run, run by run_job(job_id) on a Celery worker when a broker
is configured, else on a thread of the web process; the job page shows its progress and then its result."""
