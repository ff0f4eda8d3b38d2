#!/usr/bin/env bash
# Creates or refreshes a project-local virtualenv with pinned tools. Cheap when nothing changed
# (a stamp holds the requirements' hash).
#   scripts/venv.sh                          .venv from requirements-dev.txt (tests, make dev, make build)
#   scripts/venv.sh DIR REQUIREMENTS         another tool venv, e.g. .tools/checkov from
#                                            requirements-checkov.txt (its pins clash with moto's)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
dir=${1:-.venv}
req=${2:-requirements-dev.txt}
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
echo "==> preparing $dir (pinned tools from $req)"
mkdir -p "$(dirname "$dir")"
[ -x "$dir/bin/python" ] || "$PY" -m venv "$dir"
"$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
echo "$want" > "$dir/.stamp"
