"""Copy the configured database to one file and back (docs/deployment.md, "Backups and restore").

PostgreSQL: `pg_dump --format=custom` and `pg_restore`, run as programs with the connection read from the
Django settings; the password goes in the PGPASSWORD environment variable, never on the command line (where
`ps` would show it). SQLite: sqlite3's online backup API, which copies a consistent snapshot even while the
app writes, and copies back into the open connection (a file or, under the tests, memory).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# What a database file is called inside the archive, per vendor.
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}

# libpq reads these from the environment; Django's OPTIONS may set them for the app's own connections.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

# pg_restore --list lines to leave out: a comment on an extension can be set only by the extension's
# owner, so a restore by the app's own (non-superuser) role would stop there when an administrator created
# the extension (pg_trgm) beforehand.
SKIPPED_TOC = re.compile(r"\bCOMMENT - EXTENSION\b")
# An extension entry of the list; one the database already has is left out too, so that --clean does not
# try to drop it (only its owner may) and the existing one serves.
EXTENSION_TOC = re.compile(r"\bEXTENSION - (\S+)")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in Chinese and English."""


def vendor_supported(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            f"不支持备份 {connection.vendor} 数据库，只支持 PostgreSQL 和 SQLite。"
            f" / Backups support PostgreSQL and SQLite only, not {connection.vendor}."
        )


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore: from DJANGO_PG_BIN_DIR when set (e.g. /usr/lib/postgresql/15/bin),
    else from PATH."""
    bin_dir = getattr(settings, "BACKUP_PG_BIN_DIR", "")
    found = shutil.which(name, path=str(bin_dir)) if bin_dir else shutil.which(name)
    if not found:
        where = f"在 {bin_dir} 中" if bin_dir else "在 PATH 中"
        raise BackupError(
            f"找不到 {name}（{where}）：请安装与服务器同版本的 PostgreSQL 客户端"
            f"（Debian: apt-get install postgresql-client-15），或用 DJANGO_PG_BIN_DIR 指明其目录。"
            f" / {name} not found: install the PostgreSQL client of the server's version"
            f" or set DJANGO_PG_BIN_DIR."
        )
    return found


def _major(tool: str) -> int:
    out = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def _pg_connection(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """(command-line options, environment) for libpq programs to reach the connection's database."""
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["--host", str(params["HOST"])]
    if params.get("PORT"):
        args += ["--port", str(params["PORT"])]
    if params.get("USER"):
        args += ["--username", str(params["USER"])]
    env = {**os.environ, "PGAPPNAME": "kexie-backup"}
    env.pop("PGPASSWORD", None)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        value = (params.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what}失败 / {Path(args[0]).name} failed:\n{done.stderr.strip()}")
    return done


def dump(connection: BaseDatabaseWrapper, target: Path, snapshot: str | None = None) -> None:
    """Write the whole database to `target` (a file that does not exist yet); on PostgreSQL as seen by the
    exported `snapshot` when given."""
    vendor_supported(connection)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return
    tool = pg_tool("pg_dump")
    server = connection.pg_version // 10000
    if _major(tool) < server:
        raise BackupError(
            f"pg_dump 版本（{_major(tool)}）低于数据库服务器（{server}），无法备份：请安装 postgresql-client-{server}。"
            f" / pg_dump {_major(tool)} is older than the server ({server})."
        )
    args, env = _pg_connection(connection)
    _run(
        [
            tool,
            "--format=custom",
            "--no-password",
            f"--file={target}",
            *([f"--snapshot={snapshot}"] if snapshot else []),
            *args,
            f"--dbname={connection.settings_dict['NAME']}",
        ],
        env,
        "数据库导出",
    )


def restore(connection: BaseDatabaseWrapper, source: Path, clean: bool = False) -> None:
    """Load `source` (written by dump) into the connection's database. clean: drop the dump's objects first
    (restoring over a database that has them); without it the database is expected to be empty, and an
    extension an administrator created there beforehand (pg_trgm) is kept, not dropped."""
    vendor_supported(connection)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(source)
        try:
            copy.backup(connection.connection)
        finally:
            copy.close()
        return
    tool = pg_tool("pg_restore")
    args, env = _pg_connection(connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        present = {row[0] for row in cursor.fetchall()}
    connection.close()  # hold no session of our own while pg_restore works
    listing = _run([tool, "--list", str(source)], env, "读取数据库备份目录").stdout

    def wanted(line: str) -> bool:
        extension = EXTENSION_TOC.search(line)
        return not SKIPPED_TOC.search(line) and not (extension and extension.group(1) in present)

    kept = "".join(line + "\n" for line in listing.splitlines() if wanted(line))
    use_list = source.with_suffix(".list")
    use_list.write_text(kept, encoding="utf-8")
    _run(
        [
            tool,
            "--no-owner",  # the objects belong to whoever restores (the app's role), not to the dump's roles
            "--no-privileges",
            *(["--clean", "--if-exists"] if clean else []),
            "--single-transaction",  # all or nothing
            "--no-password",
            f"--use-list={use_list}",
            *args,
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        env,
        "数据库恢复",
    )
