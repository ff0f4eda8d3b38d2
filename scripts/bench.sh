#!/usr/bin/env bash
# Cold-start benchmark (see bench/coldstart.py): release binaries for this machine, a fresh moto,
# then a table of time-to-first-answer, peak memory and binary size per action.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/moto.sh
scripts/venv.sh
mkdir -p .local
echo "==> cargo build --release (host target) of the action binaries" >&2
cargo build --release -p functions --bins -p admin
MOTO_PID=""
trap '[ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null || true' EXIT
port=$(free_port)
start_moto "$port" .local/moto-bench.log
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
target/release/support-admin init >/dev/null
.venv/bin/python bench/coldstart.py "$@"
