#!/usr/bin/env bash
# Offline checks of the infrastructure code (no AWS account needed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
echo "--> cfn-lint infra/template.yaml"
cfn-lint infra/template.yaml
