#!/usr/bin/env bash
# The whole check, as CI runs it (`make test`, `.ci/run`):
#   set-up (with the test packages) → ruff lint + format check → migrations check → `check --deploy`
#   with production settings → the whole pytest suite on SQLite → again on PostgreSQL.
# Redis and RabbitMQ are started when they are down (scripts/redis.sh, scripts/rabbitmq.sh). PostgreSQL is started when it is down and we are root. If it is still unavailable the PostgreSQL run
# is skipped with a clear line, except under CI=true, where that is a failure.
# Extra arguments go to both pytest runs (e.g. `scripts/test.sh -x -k scientist`).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SQLITE_URL="sqlite:///$ROOT/db.sqlite3"
PG_URL="postgres://postgres@127.0.0.1:5432/kexie"

started=$(date +%s)
step="set-up"
summary=()

finish() {
  local rc=$?
  local took=$(($(date +%s) - started))
  echo
  if [ "$rc" -eq 0 ]; then
    local IFS=";"
    echo "== 测试通过 / make test OK:${summary[*]} — ${took}s"
  else
    echo "== 测试失败 / make test FAILED at step: $step (exit $rc) — ${took}s" >&2
  fi
}
trap finish EXIT

banner() {
  step="$1"
  echo
  echo "== $1"
}

run_pytest() {
  local label=$1 url=$2
  shift 2
  banner "pytest on $label"
  local rc=0
  # The ORM and Playwright's event loop share the test process (docs/design.md): allow it there only.
  DATABASE_URL="$url" DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests on $label: that counts as a failure" >&2
  fi
  [ "$rc" -eq 0 ] || exit "$rc"
  summary+=(" $label passed")
}

banner "set-up (scripts/setup.sh --test)"
scripts/setup.sh --test

banner "ruff check"
.venv/bin/ruff check .
banner "ruff format --check"
.venv/bin/ruff format --check .

banner "makemigrations --check"
DATABASE_URL="$SQLITE_URL" .venv/bin/python manage.py makemigrations --check --dry-run

banner "check --deploy (production settings)"
secret_key=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')
DJANGO_SETTINGS_MODULE=kexie.settings.prod DJANGO_SECRET_KEY="$secret_key" DJANGO_ALLOWED_HOSTS=example.org \
  DATABASE_URL="$SQLITE_URL" .venv/bin/python manage.py check --deploy --fail-level WARNING
summary+=(" lint, migrations and deploy checks clean")

banner "Redis and RabbitMQ (the shared cache's and the job queue's tests)"
scripts/redis.sh
scripts/rabbitmq.sh

run_pytest SQLite "$SQLITE_URL" "$@"

banner "PostgreSQL"
if scripts/pg.sh; then
  run_pytest PostgreSQL "$PG_URL" "$@"
elif [ "${CI:-}" = true ]; then
  echo "ERROR: PostgreSQL 不可用 (127.0.0.1:5432); under CI=true the PostgreSQL run is required" >&2
  exit 1
else
  echo "PostgreSQL 不可用，跳过 PostgreSQL 测试 / PostgreSQL unavailable: skipped"
  summary+=(" PostgreSQL SKIPPED (unavailable)")
fi
step="done"
