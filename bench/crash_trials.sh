#!/bin/bash
# Repeated crash trials for the gthread SIGSEGV hunt (see bench/crash_probe.py):
#   bench/crash_trials.sh NAME RUNS SECONDS [gunicorn args...]
# Each run copies the scale dataset (the save writes), starts gunicorn with gunicorn.conf.py and two
# workers, drives 16 signed-in editors saving one unit (bench/writes.py unit_writer), stops the server
# by its PID and counts fatal signals in its log. One run at a time: the host has two cores.
# Environment: SRC (dataset, default bench/work/dev2.db), PORT (8511), APPMOD (wsgi:app, or
# crash_probe:app), PYMALLOC (e.g. debug), TRACEMALLOC (frames), VENV (default .venv), GUNICORN_THREADS.
set -u
NAME=$1; RUNS=$2; SECS=$3; shift 3
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}; PORT=${PORT:-8511}; SRC=${SRC:-$ROOT/bench/work/dev2.db}
OUT=${OUT:-/tmp/crash-trials}/$NAME; mkdir -p "$OUT/db"
cd "$ROOT"
for i in $(seq "$RUNS"); do
  rm -f "$OUT"/db/*; cp "$SRC" "$OUT/db/dev.db"
  env -u REDIS_URL DATABASE_URL="sqlite:///$OUT/db/dev.db" SECRET_KEY=bench-secret RATELIMIT_ENABLED=0 \
    GUNICORN_ACCESS_LOG= FLASK_DEBUG=0 PYTHONFAULTHANDLER=1 PYTHONPATH="$ROOT:$ROOT/bench" \
    ${PYMALLOC:+PYTHONMALLOC=$PYMALLOC} ${TRACEMALLOC:+PYTHONTRACEMALLOC=$TRACEMALLOC} \
    setsid "$VENV/bin/gunicorn" -c gunicorn.conf.py -w 2 -b "127.0.0.1:$PORT" --log-level warning "$@" \
    "${APPMOD:-wsgi:app}" > "$OUT/g$i.log" 2>&1 &
  PID=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.3; done
  "$VENV/bin/python" - "$PORT" "$SECS" > "$OUT/d$i.json" 2>&1 <<'PY'
import json, sys
from bench.dataset import BENCH_PASSWORD, WRITERS
from bench.writes import Session, drive, unit_writer
port, seconds = int(sys.argv[1]), float(sys.argv[2])
people = [Session.login(port, WRITERS[i % len(WRITERS)], BENCH_PASSWORD, "/p/bench/actions/") for i in range(16)]
print(json.dumps(drive(people, seconds, unit_writer("/p/bench-scale/drafts/1/units/242"))))
PY
  kill -TERM "$PID"
  for _ in $(seq 40); do kill -0 "$PID" 2>/dev/null || break; sleep 1; done
  echo "run $i: fatal=$(grep -ac 'Fatal Python\|Debug memory block' "$OUT/g$i.log") db_errors=$(grep -ac 'database error' "$OUT/g$i.log") $(cut -c1-200 "$OUT/d$i.json")"
done
rm -f "$OUT"/db/*
