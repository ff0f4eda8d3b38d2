#!/usr/bin/env bash
# First-time bootstrap of a deployed stage: issues the first staff credential (every permission)
# straight into the stage's credentials table, with your AWS credentials. Prints the public and
# secret key once: keep the secret in a password manager; it is never shown again.
#   scripts/bootstrap-staff.sh STAGE USER_ID "Display Name"
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stack.sh
[ $# -eq 3 ] || { echo "usage: scripts/bootstrap-staff.sh STAGE USER_ID \"Display Name\"" >&2; exit 2; }
stage=$1 user=$2 name=$3
load_stack "$stage"
admin=$(admin_tool)
perms=()
for p in helpControl.allowCreate helpControl.allowModify ticketControl.allowView ticketControl.allowModify contactControl.allowView; do
  perms+=(--perm "$p")
done
echo "==> issuing a staff credential for $user in $CREDENTIALS_TABLE ($AWS_REGION)" >&2
"$admin" issue --user "$user" --role staff --name "$name" "${perms[@]}"
echo "==> API: $API_URL   try: $admin request GET support_faq_categories --key <public_key> --secret <secret_key> --url $API_URL" >&2
