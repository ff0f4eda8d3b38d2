#!/usr/bin/env bash
# Helpers for the scripts that talk to a deployed stage (sourced by smoke.sh, bootstrap-staff.sh).
# They need AWS credentials and the SAM CLI venv (.tools/sam, made by make deploy).

# stack_name STAGE: the stack of a stage, from infra/samconfig.toml.
stack_name() {
  local name
  name=$(sed -n "/^\[$1\.global\.parameters\]/,/^\[/s/^stack_name *= *\"\(.*\)\"/\1/p" infra/samconfig.toml)
  [ -n "$name" ] || { echo "no stage '$1' in infra/samconfig.toml" >&2; return 2; }
  echo "$name"
}

# load_stack STAGE: sets API_URL, CREDENTIALS_TABLE and AWS_REGION (taken from the API's URL, so
# the admin tool talks to the stack's region whatever the profile says).
load_stack() {
  scripts/venv.sh .tools/sam requirements-deploy.txt
  local stack outputs
  stack=$(stack_name "$1")
  outputs=$(SAM_CLI_TELEMETRY=0 .tools/sam/bin/sam list stack-outputs --stack-name "$stack" --output json)
  eval "$(python3 -c '
import json, shlex, sys
o = {x["OutputKey"]: x["OutputValue"] for x in json.load(sys.stdin)}
region = o["ApiUrl"].split(".execute-api.")[1].split(".")[0]
print("API_URL=" + shlex.quote(o["ApiUrl"].rstrip("/")))
print("CREDENTIALS_TABLE=" + shlex.quote(o["CredentialsTableName"]))
print("AWS_REGION=" + shlex.quote(region))
' <<<"$outputs")"
  export API_URL CREDENTIALS_TABLE AWS_REGION
  unset AWS_ENDPOINT_URL
}

# admin_tool: builds the operator tool (support-admin) and prints its path.
admin_tool() {
  cargo build --quiet --release -p admin >&2
  echo target/release/support-admin
}
