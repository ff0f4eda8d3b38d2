#!/usr/bin/env bash
# Helpers to run moto (the local DynamoDB/S3 stand-in) on loopback. Sourced by dev.sh and test.sh.

# free_port: prints a free TCP port on 127.0.0.1.
free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# answers URL: true when an HTTP server answers at URL.
answers() {
  .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass
PY
}

# listening PORT: true when something accepts TCP connections on 127.0.0.1:PORT (no request sent).
listening() {
  .venv/bin/python -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1", int(sys.argv[1]))))' "$1"
}

# start_moto PORT LOGFILE: starts moto in the background, sets MOTO_PID, waits until it answers.
start_moto() {
  local port=$1 log=$2
  # One request at a time: see scripts/moto_serial.py (moto transactions are not safe under concurrency).
  .venv/bin/python scripts/moto_serial.py -H 127.0.0.1 -p "$port" >"$log" 2>&1 </dev/null &
  MOTO_PID=$!
  for _ in $(seq 1 150); do
    if answers "http://127.0.0.1:$port/moto-api/"; then return 0; fi
    if ! kill -0 "$MOTO_PID" 2>/dev/null; then echo "moto exited; see $log" >&2; cat "$log" >&2; return 1; fi
    sleep 0.2
  done
  echo "moto did not answer on port $port within 30 s; see $log" >&2
  return 1
}
