#!/usr/bin/env bash
# The event-day load test: PostgreSQL, gunicorn with two workers, locust on the same machine.
#   benchmarks/load/run.sh [USERS] [SECONDS]      (defaults: 60 users for 60 s)
#   INSTANCES=2 benchmarks/load/run.sh ...        several hub instances (as on several machines:
#     each its own instance folder and port, one database), the users spread over them
# Rate limits are switched off for the run: every simulated user comes from 127.0.0.1, so
# per-address limits would measure the limiter, not the hub (they have their own tests).
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${1:-60}
SECONDS_TO_RUN=${2:-60}
PORT=${LOAD_PORT:-8765}
INSTANCES=${INSTANCES:-1}
WORKERS=${WORKERS:-2}  # gunicorn workers per instance
DB=hackkit_load_$$
ADMIN_URL=${HACKKIT_LOAD_POSTGRES:-postgresql+psycopg://postgres@127.0.0.1:5432}
WORK=$(mktemp -d)
export HACKKIT_DATABASE_URL="$ADMIN_URL/$DB" HACKKIT_INSTANCE_PATH="$WORK/instance" HACKKIT_RATELIMIT_ENABLED=false
export HACKKIT_LOAD_PLAN="$WORK/plan.json" HACKKIT_ENV=development
export HACKKIT_SECRET_KEY="load-test-$$"  # the same on every instance, as docs/deploy.md asks

psql "${ADMIN_URL/+psycopg/}/postgres" -qc "CREATE DATABASE $DB"
cleanup() {
  for server in ${SERVERS:-}; do kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; done
  psql "${ADMIN_URL/+psycopg/}/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

.venv/bin/python benchmarks/load/seed.py "$HACKKIT_LOAD_PLAN" --teams 60 2>&1 | grep -v INFO
SERVERS="" HOSTS=""
for i in $(seq 0 $((INSTANCES - 1))); do
  port=$((PORT + i))
  HACKKIT_INSTANCE_PATH="$WORK/instance-$i" WEB_CONCURRENCY=$WORKERS PORT=$port GUNICORN_ACCESS_LOG=/dev/null \
    .venv/bin/gunicorn -c gunicorn.conf.py 'hackkit:create_app()' >"$WORK/gunicorn-$i.log" 2>&1 &
  SERVERS="$SERVERS $!"
  HOSTS="$HOSTS${HOSTS:+,}http://127.0.0.1:$port"
done
for host in ${HOSTS//,/ }; do
  for _ in $(seq 1 100); do curl -sf "$host/healthz" >/dev/null && break; sleep 0.2; done
done
export HACKKIT_LOAD_HOSTS="$HOSTS"  # locustfile.py spreads the users over them

.venv/bin/locust -f benchmarks/load/locustfile.py --headless --only-summary -u "$USERS" -r "$USERS" \
  -t "${SECONDS_TO_RUN}s" --host "http://127.0.0.1:$PORT" --csv "$WORK/result" --loglevel WARNING 2>&1 | tail -n 30
echo "--- aggregated (requests/s, failures, p50/p95/p99 ms):"
awk -F, 'NR==1 || $2=="Aggregated"' "$WORK/result_stats.csv" | cut -d, -f2-4,10,12,17,19,21
