#!/usr/bin/env bash
# Make sure RabbitMQ answers on 127.0.0.1:5672 (one of the two real brokers the job tests run on,
# tests/reports/jobs/test_broker.py, docs/jobs.md). Start Debian's rabbitmq-server when it is down, then wait
# up to RABBITMQ_WAIT_SECONDS (60). Exit 0 when the port answers, 1 when not.
set -euo pipefail

ready() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

ready && exit 0

if command -v rabbitmq-server >/dev/null 2>&1; then
  echo "[rabbitmq] starting rabbitmq-server"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 ${RABBITMQ_WAIT_SECONDS:-60}); do
    ready && exit 0
    sleep 1
  done
fi
echo "[rabbitmq] RabbitMQ does not answer on 127.0.0.1:5672 (install Debian's rabbitmq-server)" >&2
exit 1
