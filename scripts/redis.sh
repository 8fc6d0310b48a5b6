#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379 (the shared cache that tests/ops/test_shared_cache.py checks and
# that several app servers share, docs/deployment.md). Start Debian's redis-server when it is down, then wait
# up to REDIS_WAIT_SECONDS (10). Exit 0 when Redis is ready, 1 when not.
set -euo pipefail

ready() { command -v redis-cli >/dev/null 2>&1 && [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ready && exit 0

if command -v redis-server >/dev/null 2>&1; then
  echo "[redis] starting redis-server on 127.0.0.1:6379"
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes >/dev/null || true
  for _ in $(seq 1 ${REDIS_WAIT_SECONDS:-10}); do
    ready && exit 0
    sleep 1
  done
fi
echo "[redis] Redis does not answer on 127.0.0.1:6379 (install Debian's redis-server)" >&2
exit 1
