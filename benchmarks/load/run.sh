#!/usr/bin/env bash
# The event-day load test: PostgreSQL, gunicorn with two workers, locust on the same machine.
#   benchmarks/load/run.sh [USERS] [SECONDS]      (defaults: 60 users for 60 s)
#   INSTANCES=2 benchmarks/load/run.sh ...        several hub instances (as on several machines:
#     each its own instance folder and port, one database), the users spread over them
#   WORKERS=N           gunicorn workers per instance (default 2)
#   SERVER=granian      serve through granian (a Rust HTTP server, WSGI, the bench extra) instead
#     of gunicorn, two threads a worker, no warm-up: to measure the HTTP server's share of a
#     request (benchmarks/README.md, tenth pass). Deployments use gunicorn (docs/deploy.md).
# gunicorn keeps no access log (GUNICORN_ACCESS_LOG=, as docs/deploy.md advises behind a proxy);
#   LOAD_ACCESS_LOG=/dev/null formats it as before (a checkout older than that setting needs it).
# Rate limits are switched off for the run: every simulated user comes from 127.0.0.1, so
# per-address limits would measure the limiter, not the hub (they have their own tests).
#
# Besides locust's figures it prints the CPU time each side used per request (the gunicorn
# workers, the PostgreSQL backends of the run's database, locust): on a machine shared with
# other work that is steadier than requests/s.
#   LOAD_CODE=DIR       serve the hub from another checkout (say /work/main), to compare
#   LOAD_PROFILE=DIR    record the workers with py-spy (--gil; collapsed stacks in DIR)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
USERS=${1:-60}
SECONDS_TO_RUN=${2:-60}
PORT=${LOAD_PORT:-8765}
INSTANCES=${INSTANCES:-1}
WORKERS=${WORKERS:-2}
CODE=$(cd "${LOAD_CODE:-$ROOT}" && pwd)
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

(cd "$CODE" && PYTHONPATH="$CODE" "$ROOT/.venv/bin/python" "$ROOT/benchmarks/load/seed.py" "$HACKKIT_LOAD_PLAN" --teams 60) 2>&1 | grep -v INFO || true
SERVERS="" HOSTS=""
for i in $(seq 0 $((INSTANCES - 1))); do
  port=$((PORT + i))
  if [ "${SERVER:-gunicorn}" = granian ]; then
    (cd "$CODE" && HACKKIT_INSTANCE_PATH="$WORK/instance-$i" exec "$ROOT/.venv/bin/granian" --interface wsgi \
      --workers "$WORKERS" --blocking-threads 2 --host 127.0.0.1 --port $port --factory 'hackkit:create_app') \
      >"$WORK/server-$i.log" 2>&1 &
  else
    (cd "$CODE" && HACKKIT_INSTANCE_PATH="$WORK/instance-$i" WEB_CONCURRENCY=$WORKERS PORT=$port \
      GUNICORN_ACCESS_LOG=${LOAD_ACCESS_LOG-} exec "$ROOT/.venv/bin/gunicorn" -c gunicorn.conf.py --chdir "$CODE" \
      'hackkit:create_app()') >"$WORK/server-$i.log" 2>&1 &
  fi
  SERVERS="$SERVERS $!"
  HOSTS="$HOSTS${HOSTS:+,}http://127.0.0.1:$port"
done
for host in ${HOSTS//,/ }; do
  for _ in $(seq 1 100); do curl -sf "$host/healthz" >/dev/null && break; sleep 0.2; done
done
export HACKKIT_LOAD_HOSTS="$HOSTS"  # locustfile.py spreads the users over them

# CPU seconds (user + system) of the workers and of this run's PostgreSQL backends. A process
# may end between the listing and the reading (a backend whose connection closed): cat's
# failure must not end the script (pipefail and set -e did, and the run printed no figures).
ticks() { if [ $# -eq 0 ]; then echo 0; else { cat "$@" 2>/dev/null || true; } | awk '{ s += $14 + $15 } END { print s + 0 }'; fi; }
workers() { for server in $SERVERS; do pgrep -P "$server" | sed 's|.*|/proc/&/stat|'; done; }
backends() { pgrep -f "postgres: .* $DB " | sed 's|.*|/proc/&/stat|'; }
WORKERS_BEFORE=$(ticks $(workers)) DB_BEFORE=$(ticks $(backends))
if [ -n "${LOAD_PROFILE:-}" ]; then
  mkdir -p "$LOAD_PROFILE"
  for server in $SERVERS; do
    for pid in $(pgrep -P "$server"); do
      "$ROOT/.venv/bin/py-spy" record --gil --nonblocking -r 50 -p "$pid" -d "$SECONDS_TO_RUN" -f raw \
        -o "$LOAD_PROFILE/worker-$pid.txt" >/dev/null 2>&1 &
      SPIES="${SPIES:-} $!"
    done
  done
fi

/usr/bin/time -f '%U %S' -o "$WORK/locust.cpu" "$ROOT/.venv/bin/locust" -f benchmarks/load/locustfile.py \
  --headless --only-summary -u "$USERS" -r "$USERS" -t "${SECONDS_TO_RUN}s" --host "http://127.0.0.1:$PORT" \
  --csv "$WORK/result" --loglevel WARNING 2>&1 | tail -n 30
WORKERS_AFTER=$(ticks $(workers)) DB_AFTER=$(ticks $(backends))
for pid in ${SPIES:-}; do wait "$pid" || true; done
echo "--- aggregated (requests/s, failures, p50/p95/p99 ms):"
awk -F, 'NR==1 || $2=="Aggregated"' "$WORK/result_stats.csv" | cut -d, -f2-4,10,12,17,19,21
REQUESTS=$(awk -F, '$2=="Aggregated" { print $3 }' "$WORK/result_stats.csv")
HZ=$(getconf CLK_TCK)
awk -v n="$REQUESTS" -v hz="$HZ" -v w="$((WORKERS_AFTER - WORKERS_BEFORE))" -v d="$((DB_AFTER - DB_BEFORE))" \
  -v l="$(awk '{ print $1 + $2 }' "$WORK/locust.cpu")" -v code="$CODE" 'BEGIN {
  printf "--- CPU ms per request (%s, %d requests): workers %.2f, PostgreSQL %.2f, locust %.2f\n",
    code, n, 1000 * w / hz / n, 1000 * d / hz / n, 1000 * l / n }'
