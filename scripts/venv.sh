#!/usr/bin/env bash
# Creates or refreshes the project-local virtualenv (.venv) with the pinned tools of
# requirements-dev.txt. Cheap when nothing changed (a stamp holds the requirements' hash).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ -x .venv/bin/python ] && [ "$(cat .venv/.stamp 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "==> preparing .venv (pinned tools from requirements-dev.txt)"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
echo "$want" > .venv/.stamp
