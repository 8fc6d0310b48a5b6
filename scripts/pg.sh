#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432 (the test database URL of scripts/test.sh).
# As root, start Debian's cluster(s) when they are down, then wait up to PG_WAIT_SECONDS (30) for them.
# Exit 0 when PostgreSQL is ready, 1 when not.
set -euo pipefail

PGHOST_=127.0.0.1
PGPORT_=5432

ready() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PGHOST_" -p "$PGPORT_"; }

ready && exit 0

if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    echo "[pg] starting PostgreSQL $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  done
  for _ in $(seq 1 ${PG_WAIT_SECONDS:-30}); do
    ready && exit 0
    sleep 1
  done
fi

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "[pg] PostgreSQL is not installed here (no pg_isready)" >&2
else
  echo "[pg] PostgreSQL does not answer on $PGHOST_:$PGPORT_" >&2
fi
exit 1
