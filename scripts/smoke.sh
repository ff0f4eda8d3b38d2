#!/usr/bin/env bash
# Smoke test of a deployed stage (run by .github/workflows/deploy.yml after make deploy):
# issues a user credential that expires in 15 minutes, sends a signed GET /support_faq_categories
# to the deployed URL (expects 200 and STATUS OK), the same request unsigned (expects 401), and
# revokes the credential again.
#   scripts/smoke.sh STAGE
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/stack.sh
stage=${1:-${STAGE:-dev}}
load_stack "$stage"
admin=$(admin_tool)
action=support_faq_categories

cred=$("$admin" issue --user "smoke-$stage-$(date +%s)" --role user --expires-in 900)
key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["public_key"])' <<<"$cred")
secret=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["secret_key"])' <<<"$cred")
trap '"$admin" revoke --key "$key" >/dev/null || echo "could not revoke smoke credential $key" >&2' EXIT

# call NAME [HEADER...]: GET $API_URL/$action; prints the HTTP status, the body goes to .local/NAME.json
call() {
  local name=$1; shift
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  curl -sS -o ".local/smoke-$name.json" -w '%{http_code}' --max-time 30 "${args[@]}" "$API_URL/$action"
}
mkdir -p .local
signed=$("$admin" sign GET "$action" --key "$key" --secret "$secret")
mapfile -t headers < <(python3 -c '
import json, sys
for k, v in json.load(sys.stdin)["headers"].items():
    print(f"{k}: {v}")' <<<"$signed")

status=$(call signed "${headers[@]}")
echo "==> signed GET $API_URL/$action -> $status"
python3 - "$status" .local/smoke-signed.json <<'PY'
import json, sys
status, path = sys.argv[1], sys.argv[2]
body = json.load(open(path))
assert status == "200", f"HTTP {status}: {body}"
assert body["REQUEST"]["STATUS"] == "OK" and body["REQUEST"]["ACTION"] == "support_faq_categories", body
print("    STATUS OK, DATA:", json.dumps(body.get("DATA"))[:200])
PY

status=$(call unsigned)
echo "==> unsigned GET $API_URL/$action -> $status"
[ "$status" = "401" ] || { echo "expected 401 without a signature" >&2; cat .local/smoke-unsigned.json >&2; exit 1; }
echo "==> smoke test of $stage passed"
