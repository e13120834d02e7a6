#!/usr/bin/env bash
# Starts the web app and the scheduler side by side; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
FLASK=".venv/bin/flask --app casework"
PORT="${PORT:-5000}"

$FLASK alerts scheduler &
scheduler=$!
$FLASK run --host 127.0.0.1 --port "$PORT" &
web=$!
trap 'kill $scheduler $web 2>/dev/null; wait 2>/dev/null; echo; echo "Casework stopped."' INT TERM EXIT

sleep 1
cat <<MSG

  Casework is running at http://127.0.0.1:${PORT}/

  Demo sign-ins (password for all: $( $FLASK demo password )):
$( $FLASK demo users | sed 's/^/    /' )

  The scheduler (alerts sweep, monthly report) is running beside it.
  Press Ctrl-C to stop both.

MSG
wait -n $scheduler $web
