#!/usr/bin/env bash
# The whole check, as CI runs it (`make test`, `.ci/run`):
#   set-up (with the test packages) → ruff lint + format check → migrations check → `check --deploy`
#   with production settings → the whole pytest suite on SQLite and on PostgreSQL, the two passes at the same
#   time (one core each), each to a log of its own, printed in full when the pass ends.
# Redis and RabbitMQ are started when they are down (scripts/redis.sh, scripts/rabbitmq.sh). PostgreSQL is started when it is down and we are root. If it is still unavailable the PostgreSQL run
# is skipped with a clear line, except under CI=true, where that is a failure.
# The two passes share no Redis database, job queue, port or folder (tests/services.py, docs/testing.md).
# Extra arguments go to both pytest runs (e.g. `scripts/test.sh -x -k scientist`).
# KEXIE_SQLITE_URL / KEXIE_PG_URL name other databases (pytest-django tests on test_<name>), e.g. a worktree's
# own PostgreSQL database beside someone else's run; KEXIE_TEST_LOGS a folder for the passes' logs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SQLITE_URL="${KEXIE_SQLITE_URL:-sqlite:///$ROOT/db.sqlite3}"
PG_URL="${KEXIE_PG_URL:-postgres://postgres@127.0.0.1:5432/kexie}"

started=$(date +%s)
step="set-up"
summary=()

finish() {
  local rc=$?
  stop_background
  local took=$(($(date +%s) - started))
  echo
  if [ "$rc" -eq 0 ]; then
    local IFS=";"
    echo "== 测试通过 / make test OK:${summary[*]} — ${took}s"
  else
    echo "== 测试失败 / make test FAILED at step: $step (exit $rc) — ${took}s" >&2
  fi
  if [ -n "${RUN_DIR:-}" ]; then
    echo "(the passes' logs, screenshots and Playwright output: $RUN_DIR)"
  fi
}
trap finish EXIT
# A signal ends the script (and so, through finish, the passes: run in the background, they ignore ^C)
trap 'exit 130' INT
trap 'exit 143' TERM

banner() {
  step="$1"
  echo
  echo "== $1"
}

# --- the pytest passes, side by side -------------------------------------------------------------------
RUN_DIR=""  # the passes' logs and folders, made when the first pass starts
declare -A pass_pid=() pass_label=() pass_started=()

# start_pass LABEL URL [pytest args…]: pytest in the background, its output to $RUN_DIR/LABEL.log. Each pass
# has its own screenshots and Playwright output folder (pytest-playwright empties that one at its start).
start_pass() {
  local label=$1 url=$2
  shift 2
  [ -n "$RUN_DIR" ] || RUN_DIR="${KEXIE_TEST_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/kexie-test-XXXXXX")}"
  local dir="$RUN_DIR/$label"
  mkdir -p "$dir"
  # The ORM and Playwright's event loop share the test process (docs/design.md): allow it there only.
  DATABASE_URL="$url" DJANGO_ALLOW_ASYNC_UNSAFE=true KEXIE_TEST_SHOTS="$dir/shots" \
    .venv/bin/python -m pytest --output "$dir/playwright" "$@" >"$RUN_DIR/$label.log" 2>&1 &
  pass_pid[$!]=$!
  pass_label[$!]=$label
  pass_started[$!]=$(date +%s)
  echo "pytest on $label started (pid $!, log $RUN_DIR/$label.log)"
}

# Wait for every pass; print each one's log as it ends. Fails (after all have ended) if any pass failed.
# (Polled: bash's `wait -n` does not report a pass that ended while we were printing the other's log.)
wait_passes() {
  step="pytest (${pass_label[*]})"
  local failed=() next_note=$(($(date +%s) + 300))
  while [ "${#pass_pid[@]}" -gt 0 ]; do
    local pid
    for pid in "${!pass_pid[@]}"; do
      kill -0 "$pid" 2>/dev/null && continue
      local rc=0
      wait "$pid" || rc=$?
      local label=${pass_label[$pid]} took=$(($(date +%s) - pass_started[$pid]))
      unset "pass_pid[$pid]"
      banner "pytest on $label: ended (exit $rc, ${took}s); its log:"
      cat "$RUN_DIR/$label.log"
      if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests on $label: that counts as a failure" >&2
      fi
      if [ "$rc" -eq 0 ]; then
        summary+=(" $label passed (${took}s)")
      else
        failed+=("$label")
      fi
    done
    [ "${#pass_pid[@]}" -gt 0 ] || break
    if [ "$(date +%s)" -ge "$next_note" ]; then  # a long quiet wait is visibly alive
      local running=()
      for pid in "${!pass_pid[@]}"; do running+=("${pass_label[$pid]}"); done
      echo "… still running: ${running[*]} ($(($(date +%s) - started))s)"
      next_note=$((next_note + 300))
    fi
    sleep 2
  done
  if [ "${#failed[@]}" -gt 0 ]; then
    step="pytest on ${failed[*]}"
    return 1
  fi
}

# On any exit (a failure, ^C), no pass is left running behind the script.
stop_background() {
  local pid
  for pid in "${!pass_pid[@]}"; do kill "$pid" 2>/dev/null || true; done
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

banner "PostgreSQL"
pg=1
if ! scripts/pg.sh; then
  if [ "${CI:-}" = true ]; then
    echo "ERROR: PostgreSQL 不可用 (127.0.0.1:5432); under CI=true the PostgreSQL run is required" >&2
    exit 1
  fi
  echo "PostgreSQL 不可用，跳过 PostgreSQL 测试 / PostgreSQL unavailable: skipped"
  summary+=(" PostgreSQL SKIPPED (unavailable)")
  pg=0
fi

banner "pytest on SQLite and PostgreSQL, side by side"
start_pass SQLite "$SQLITE_URL" "$@"
if [ "$pg" = 1 ]; then
  start_pass PostgreSQL "$PG_URL" "$@"
fi
wait_passes
step="done"
