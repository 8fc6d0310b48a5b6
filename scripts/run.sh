#!/usr/bin/env bash
# Run the app locally with demo data (`make run`): set-up, migrate, seed the demo data (idempotent; it
# prints the demo logins), then Django's development server on http://127.0.0.1:8000/.
# Settings: kexie.settings.dev (manage.py's default); SQLite in db.sqlite3 unless DATABASE_URL is set.
# An optional argument replaces the address, e.g. `scripts/run.sh 0.0.0.0:8080`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py seed_demo
echo "[run] 打开 / open http://${1:-127.0.0.1:8000}/  (Ctrl+C 停止 / to stop)"
exec .venv/bin/python manage.py runserver "${1:-127.0.0.1:8000}"
