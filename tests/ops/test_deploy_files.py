"""The sample deployment files (deploy/) agree with the app and with docs/deployment.md: the commands they run
exist, the timeouts nest, nginx takes the largest upload the app accepts and never serves uploaded files, and
the environment file sets only variables the settings read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from liaison.contacts.forms import MAX_ATTACHMENT_BYTES
from reports.cycle.approval import SCAN_MAX_BYTES
from reports.workbook.imports.files import MAX_BYTES as WORKBOOK_MAX_BYTES

ROOT = Path(settings.BASE_DIR)
DEPLOY = ROOT / "deploy"
NGINX = (DEPLOY / "nginx" / "kexie.conf").read_text()


def _gunicorn(monkeypatch) -> dict:
    for name in (
        "GUNICORN_TIMEOUT",
        "GUNICORN_GRACEFUL_TIMEOUT",
        "GUNICORN_WORKERS",
        "GUNICORN_MAX_REQUESTS",
    ):
        monkeypatch.delenv(name, raising=False)
    namespace: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 (our own config file)
    return namespace


def _seconds(pattern: str, text: str) -> int:
    return int(re.search(pattern, text).group(1))


def test_every_scheduled_command_exists():
    commands = get_commands()
    used = set()
    for unit in [*(DEPLOY / "systemd").glob("*.service"), DEPLOY / "kexie-manage"]:
        used |= set(re.findall(r"python manage\.py (\w+)", unit.read_text()))
    assert {"backup", "weekly_digest"} <= used
    assert sorted(name for name in used if name not in commands) == []


def test_timeouts_nest(monkeypatch):
    gunicorn = _gunicorn(monkeypatch)
    assert (gunicorn["worker_class"], gunicorn["threads"]) == ("sync", 1)
    assert (gunicorn["timeout"], gunicorn["graceful_timeout"], gunicorn["max_requests"]) == (60, 30, 1000)
    # nginx waits longer than gunicorn, so the app's timeout acts; systemd waits longer than the graceful stop
    assert _seconds(r"proxy_read_timeout (\d+)s;", NGINX) > gunicorn["timeout"]
    stop = _seconds(r"TimeoutStopSec=(\d+)", (DEPLOY / "systemd" / "kexie.service").read_text())
    assert stop > gunicorn["graceful_timeout"]


def test_nginx_takes_the_largest_upload_and_never_serves_uploaded_files():
    limit = _seconds(r"client_max_body_size (\d+)m;", NGINX) * 1024 * 1024
    assert limit >= max(MAX_ATTACHMENT_BYTES, SCAN_MAX_BYTES, WORKBOOK_MAX_BYTES)
    assert re.search(r"location /media/ \{\s*return 404;\s*\}", NGINX)
    assert "media" not in " ".join(re.findall(r"(?:alias|root) ([^;]+);", NGINX))
    # the client's address is overwritten, as DJANGO_PROXY_COUNT=1 expects
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in NGINX
    assert "$proxy_add_x_forwarded_for;" not in NGINX


def test_the_environment_file_sets_only_what_the_settings_read():
    source = "".join(path.read_text() for path in (ROOT / "kexie" / "settings").glob("*.py"))
    example = (DEPLOY / "kexie.env.example").read_text()
    names = re.findall(r"^#?\s*(DJANGO_\w+)=", example, flags=re.MULTILINE)
    assert "DJANGO_SETTINGS_MODULE=kexie.settings.prod" in example
    assert len(names) > 15
    unread = [name for name in names if name != "DJANGO_SETTINGS_MODULE" and f'"{name}"' not in source]
    assert unread == []


def test_backups_go_where_the_unit_may_write():
    unit = (DEPLOY / "systemd" / "kexie-backup.service").read_text()
    folder = re.search(r"manage\.py backup --output (\S+)", unit).group(1)
    assert f"ReadWritePaths={folder}" in unit
    assert f"DJANGO_BACKUP_DIR={folder}" in (DEPLOY / "kexie.env.example").read_text()


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(ROOT).as_posix() for p in DEPLOY.rglob("*") if p.is_file()), ids=str
)
def test_the_guide_names_every_deployment_file(path):
    guide = (ROOT / "docs" / "deployment.md").read_text()
    assert path.removeprefix("deploy/systemd/") in guide or path in guide
