#!/usr/bin/env bash
# Runs every test: starts its own moto on a free loopback port, creates tables and bucket, runs the
# Rust tests against it, then the offline infrastructure checks. Stops moto on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/moto.sh
scripts/venv.sh
export PATH="$PWD/.venv/bin:$PATH"
mkdir -p .local

MOTO_PID=""
trap '[ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null || true' EXIT
port=$(free_port)
echo "==> starting moto for the tests on 127.0.0.1:$port"
start_moto "$port" .local/moto-test.log
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test

echo "==> cargo test"
cargo test --workspace --all-features -- ${TEST_ARGS:-}

echo "==> infrastructure checks"
scripts/check-infra.sh
echo "==> all tests passed"
