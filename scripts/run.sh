#!/usr/bin/env bash
# Starts the web app and the scheduler side by side; Ctrl-C stops both.
# `make run` has already set up the venv, migrated and loaded the demo data into an empty database.
set -uo pipefail
cd "$(dirname "$0")/.."
FLASK=".venv/bin/flask --app casework"
PORT="${PORT:-5000}"
URL="http://127.0.0.1:${PORT}/"
pids=()

stop() {
  local code="${1:-0}"
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  echo
  echo "Casework stopped."
  exit "$code"
}
trap 'stop 0' INT TERM
trap 'stop 1' EXIT

scheduler_note="The scheduler (alerts sweep, monthly report) is running beside it."
if $FLASK alerts scheduler --help >/dev/null 2>&1; then
  $FLASK alerts scheduler &
  pids+=($!)
else
  scheduler_note="NOTE: the scheduler is not started: 'flask alerts scheduler' does not exist in this build yet."
fi

$FLASK run --host 127.0.0.1 --port "$PORT" &
pids+=($!)

# Wait until the web app answers (at most about 20 seconds) before printing where it is.
for _ in $(seq 1 80); do
  if .venv/bin/python - "$URL" 2>/dev/null <<'PY'
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "healthz", timeout=1)
PY
  then break; fi
  sleep 0.25
done

cat <<MSG

  Casework is running at ${URL}

  Demo sign-ins (password for all: $($FLASK demo password)):
$($FLASK demo users | sed 's/^/    /')

  ${scheduler_note}
  Press Ctrl-C to stop.

MSG
# Stop everything when either process ends (or on Ctrl-C).
wait -n "${pids[@]}"
echo "A Casework process stopped unexpectedly; stopping the rest." >&2
stop 1
