#!/usr/bin/env bash
# `make deploy STAGE=dev`: builds every function for arm64 and deploys the stack of that stage
# with the AWS SAM CLI, using the stage's block of infra/samconfig.toml. Needs AWS credentials
# (a profile, SSO, or CI's OIDC role) and a region (AWS_REGION or the profile's).
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=${1:-${STAGE:-dev}}
CONFIG="$PWD/infra/samconfig.toml"
grep -q "^\[$STAGE\.deploy\.parameters\]" "$CONFIG" \
  || { echo "no stage '$STAGE' in infra/samconfig.toml (add a [$STAGE.*] block)" >&2; exit 2; }

scripts/venv.sh                                        # cargo-lambda and zig
scripts/venv.sh .tools/sam requirements-deploy.txt     # the SAM CLI (first time: a few minutes)
export PATH="$PWD/.venv/bin:$PWD/.tools/sam/bin:$PATH"
export SAM_CLI_TELEMETRY=0

# The same release build as `make build`; sam build below then finds every binary up to date.
scripts/build.sh

echo "==> sam build ($STAGE)"
# CodeUri "." is the repository root (--base-dir), not infra/.
sam build --template-file infra/template.yaml --base-dir . --build-dir .aws-sam/build \
  --config-file "$CONFIG" --config-env "$STAGE"

echo "==> sam deploy ($STAGE)"
sam deploy --template-file .aws-sam/build/template.yaml --config-file "$CONFIG" --config-env "$STAGE"

stack=$(sed -n "/^\[$STAGE\.global\.parameters\]/,/^\[/s/^stack_name *= *\"\(.*\)\"/\1/p" "$CONFIG")
echo "==> outputs of $stack"
sam list stack-outputs --stack-name "$stack" --output table
