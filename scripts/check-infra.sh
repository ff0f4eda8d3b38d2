#!/usr/bin/env bash
# Offline checks of the infrastructure code: no AWS account, no network beyond installing the
# pinned tools. Run by `make test` (scripts/test.sh) after the Rust tests, which include
# functions/tests/wiring.rs (binaries, watch router, SAM routes, events/ and OpenAPI name the same
# 20 actions).
#   1. cfn-lint on infra/template.yaml (no error, no warning)
#   2. the SAM transform done offline with aws-sam-translator, and on its CloudFormation output:
#      no IAM statement with a "*" action or resource (SAM-generated roles included), every
#      function role inside FunctionPermissionsBoundary, data kept safe, alarms present
#      (scripts/check_template.py)
#   3. checkov on the template: no failed check; skips only with a written reason in the template
#   4. actionlint (with shellcheck) on .github/workflows
#   5. the OpenAPI document is valid OpenAPI 3
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
scripts/venv.sh .tools/checkov requirements-checkov.txt
export PATH="$PWD/.venv/bin:$PATH"
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}
mkdir -p .local

echo "--> cfn-lint infra/template.yaml"
cfn-lint infra/template.yaml

echo "--> SAM transform (aws-sam-translator, offline) and IAM / data-safety rules"
python scripts/check_template.py transform infra/template.yaml .local/template.cfn.json

echo "--> checkov infra/template.yaml"
# checkov exits non-zero on any failed check, including the function checks the template waives
# in FunctionCheckovSkips; check_template.py judges its JSON report instead.
.tools/checkov/bin/checkov -f infra/template.yaml --framework cloudformation --skip-download \
  --output json >.local/checkov.json 2>.local/checkov.log || true
python scripts/check_template.py checkov .local/checkov.json infra/template.yaml \
  || { echo "checkov log: .local/checkov.log" >&2; exit 1; }

echo "--> actionlint .github/workflows"
actionlint

echo "--> openapi-spec-validator docs/openapi.yaml"
python -m openapi_spec_validator docs/openapi.yaml

echo "--> infrastructure checks passed"
