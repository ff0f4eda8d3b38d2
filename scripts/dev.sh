#!/usr/bin/env bash
# Starts the whole API locally: moto on 127.0.0.1:4566 with tables, bucket and demo credentials
# (.local/credentials.json), then `cargo lambda watch` serving every function at its real path on
# http://127.0.0.1:9000. Works in a terminal and in the background; stopping it stops moto too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/moto.sh

API_PORT=9000
MOTO_PORT=${MOTO_PORT:-4566}
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
mkdir -p .local

scripts/venv.sh
export PATH="$PWD/.venv/bin:$PATH"

if listening "$API_PORT"; then
  echo "==> the API already answers on http://127.0.0.1:$API_PORT (stop it with: make stop)"
  exit 0
fi

MOTO_PID="" WATCH_PID=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$WATCH_PID" ] && kill -- -"$WATCH_PID" 2>/dev/null || true
  [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null || true
  [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null || true
  rm -f .local/dev.pid
  echo "==> stopped"
}
trap cleanup EXIT
# Ctrl-C and `make stop` are the normal way to end it: clean up and exit 0.
trap 'exit 0' INT TERM
echo $$ > .local/dev.pid

if answers "http://127.0.0.1:$MOTO_PORT/moto-api/"; then
  echo "==> reusing the moto already answering on port $MOTO_PORT"
else
  echo "==> starting moto on 127.0.0.1:$MOTO_PORT"
  start_moto "$MOTO_PORT" .local/moto.log
fi

echo "==> building the admin tool and the 20 functions (the first build takes several minutes)"
cargo build -p admin -p functions --bins
echo "==> creating tables and bucket from infra/template.yaml"
target/debug/support-admin init
echo "==> issuing demo credentials"
target/debug/support-admin demo-credentials --out .local/credentials.json

echo "==> starting cargo lambda watch on 127.0.0.1:$API_PORT"
set -m
cargo lambda watch --invoke-address 127.0.0.1 --invoke-port "$API_PORT" </dev/null >.local/watch.log 2>&1 &
WATCH_PID=$!
set +m
for _ in $(seq 1 300); do
  listening "$API_PORT" && break
  kill -0 "$WATCH_PID" 2>/dev/null || { cat .local/watch.log >&2; exit 1; }
  sleep 0.2
done

# Warm every function once (requests without side effects: no valid body, no signature).
actions=$(sed -n '/watch.router\]/,/^\[/p' Cargo.toml | sed -n 's/^"\(\/[a-z_]*\)".*/\1/p')
for path in $actions; do
  curl -s -o /dev/null -m 120 "http://127.0.0.1:$API_PORT$path" || true
done

cat <<MSG
==> READY: the API answers on http://127.0.0.1:$API_PORT (moto on 127.0.0.1:$MOTO_PORT)
    demo credentials: .local/credentials.json (staff, user, other_user)
    try:  curl -s -X POST http://127.0.0.1:$API_PORT/core_contact_create -H 'Content-Type: application/json' \\
            -d '{"flnm":"John Smith","emad":"john.smith@example.com","sbjt":"Business Partnership Inquiry","msge":"Hello","dvnm":"iPhone 13","dvty":"mobile","dsnm":"A1B2C3D4E5F6"}'
    signed: target/debug/support-admin request GET support_faq_categories --as user
    logs: .local/watch.log, .local/moto.log   stop: Ctrl-C or make stop
MSG

# Stop when the parent (make, a terminal) goes away, or when watch ends.
parent=$PPID
while kill -0 "$WATCH_PID" 2>/dev/null; do
  if ! kill -0 "$parent" 2>/dev/null; then break; fi
  sleep 1
done
