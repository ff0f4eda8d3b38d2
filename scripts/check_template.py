#!/usr/bin/env python3
"""Offline checks of infra/template.yaml (no AWS account, no network).

    check_template.py transform [TEMPLATE] [OUT]   SAM transform with aws-sam-translator, then the
                                                   IAM and data-safety checks on its output
    check_template.py checkov REPORT.json [TEMPLATE]
                                                   judge a checkov JSON report: every failed check
                                                   fails, except the template's FunctionCheckovSkips
                                                   on AWS::Serverless::Function resources

IAM rules checked on the transformed CloudFormation (the roles SAM generates included):
  * no Action or NotAction containing "*", no NotResource, no Resource "*" and no "*" in a
    resource except a trailing "/*" after a concrete prefix under a bucket of this stack
    (`${Bucket.Arn}/tickets/*`);
  * every function role is capped by FunctionPermissionsBoundary, carries no managed policy but
    AWSLambdaBasicExecutionRole, allows only what the boundary allows (action by action,
    resource by resource) and denies nothing;
  * resource policies (bucket policies) allow nothing to "*" principals.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BOUNDARY = "FunctionPermissionsBoundary"
LOG_GROUP = "FunctionLogGroup"
BASIC_EXECUTION = "service-role/AWSLambdaBasicExecutionRole"


class Problems(list):
    def add(self, where, what):
        self.append(f"{where}: {what}")


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def canonical(value):
    """An ARN written any of the usual ways, as one comparable string: `!GetAtt X.Arn`,
    `!Sub "${X.Arn}"` and `{"Fn::GetAtt": ["X", "Arn"]}` all become `${X.Arn}`."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and len(value) == 1:
        (fn, arg), = value.items()
        if fn == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            return "${%s}" % ".".join(parts)
        if fn == "Ref":
            return "${%s}" % arg
        if fn == "Fn::Sub" and isinstance(arg, str):
            return arg
        if fn == "Fn::Sub" and isinstance(arg, list) and len(arg) == 2 and not arg[1]:
            return arg[0]
        if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            return arg[0].join(canonical(p) for p in arg[1])
    return json.dumps(value, sort_keys=True)


# A trailing /* is tolerated only after a concrete key prefix under a resource of this stack.
SCOPED_PREFIX = re.compile(r"^\$\{[A-Za-z0-9]+\.Arn\}/[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*/\*$")


def wildcard_problem(resource):
    r = canonical(resource)
    if "*" not in r:
        return None
    if SCOPED_PREFIX.match(r):
        return None
    return f"resource {r!r} has a wildcard"


def statements(doc):
    if not isinstance(doc, dict):
        return []
    return as_list(doc.get("Statement"))


def iam_documents(resources):
    """(resource id, label, policy document) of every identity policy in the template."""
    for rid, res in resources.items():
        t, p = res.get("Type"), res.get("Properties", {})
        if t == "AWS::IAM::Role":
            for pol in as_list(p.get("Policies")):
                yield rid, f"inline policy {pol.get('PolicyName')}", pol.get("PolicyDocument")
        elif t in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield rid, "policy", p.get("PolicyDocument")


def check_identity_wildcards(resources, problems):
    count = 0
    for rid, label, doc in iam_documents(resources):
        for i, st in enumerate(statements(doc)):
            count += 1
            where = f"{rid} {label} statement {i + 1}"
            for key in ("NotAction", "NotResource", "NotPrincipal"):
                if key in st:
                    problems.add(where, f"uses {key}")
            for action in as_list(st.get("Action")):
                if not isinstance(action, str) or "*" in action:
                    problems.add(where, f"action {action!r} is a wildcard or not a plain name")
            resources_of = as_list(st.get("Resource"))
            if not resources_of:
                problems.add(where, "has no Resource")
            for r in resources_of:
                msg = wildcard_problem(r)
                if msg:
                    problems.add(where, msg)
    return count


def check_resource_policies(resources, problems):
    for rid, res in resources.items():
        if res.get("Type") != "AWS::S3::BucketPolicy":
            continue
        for i, st in enumerate(statements(res["Properties"].get("PolicyDocument"))):
            where = f"{rid} statement {i + 1}"
            principal = st.get("Principal")
            wide = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))
            actions = as_list(st.get("Action"))
            if st.get("Effect") == "Allow":
                if wide:
                    problems.add(where, "allows a '*' principal")
                if any("*" in a for a in actions):
                    problems.add(where, "allows a wildcard action")
                if not isinstance(principal, dict) or "Service" not in principal or "Condition" not in st:
                    problems.add(where, "an Allow must name a service principal and a condition")
                for r in as_list(st.get("Resource")):
                    msg = wildcard_problem(r)
                    if msg:
                        problems.add(where, msg)


def function_roles(resources):
    """{role id: [function ids]} for every Lambda function whose role the template creates."""
    roles = {}
    for fid, res in resources.items():
        if res.get("Type") != "AWS::Lambda::Function":
            continue
        role = res.get("Properties", {}).get("Role")
        if isinstance(role, dict) and "Fn::GetAtt" in role:
            target = role["Fn::GetAtt"]
            rid = target[0] if isinstance(target, list) else target.split(".")[0]
            roles.setdefault(rid, []).append(fid)
    return roles


def allowed_pairs(doc):
    pairs = set()
    for st in statements(doc):
        if st.get("Effect") != "Allow":
            continue
        for a in as_list(st.get("Action")):
            for r in as_list(st.get("Resource")):
                pairs.add((a.lower(), canonical(r)))
    return pairs


def check_function_roles(resources, problems):
    boundary = resources.get(BOUNDARY)
    if not boundary or boundary.get("Type") != "AWS::IAM::ManagedPolicy":
        problems.add(BOUNDARY, "missing (an AWS::IAM::ManagedPolicy capping every function role)")
        return 0
    ceiling = allowed_pairs(boundary["Properties"]["PolicyDocument"])
    roles = function_roles(resources)
    for fid, res in resources.items():
        if res.get("Type") == "AWS::Lambda::Function" and not any(fid in fs for fs in roles.values()):
            problems.add(fid, "its role is not created by this template, so it cannot be checked")
    for rid, fids in sorted(roles.items()):
        role = resources.get(rid, {})
        props = role.get("Properties", {})
        if props.get("PermissionsBoundary") != {"Ref": BOUNDARY}:
            problems.add(rid, f"has no PermissionsBoundary {BOUNDARY}")
        for arn in as_list(props.get("ManagedPolicyArns")):
            if not canonical(arn).endswith(BASIC_EXECUTION):
                problems.add(rid, f"managed policy {canonical(arn)} is not allowed")
        for pol in as_list(props.get("Policies")):
            for st in statements(pol.get("PolicyDocument")):
                if st.get("Effect") != "Allow":
                    continue
                for a in as_list(st.get("Action")):
                    for r in as_list(st.get("Resource")):
                        if (a.lower(), canonical(r)) not in ceiling:
                            problems.add(rid, f"allows {a} on {canonical(r)}, outside {BOUNDARY} "
                                         f"(widen the boundary in infra/template.yaml if it is needed)")
        assume = statements(props.get("AssumeRolePolicyDocument"))
        services = [s.get("Principal", {}).get("Service") for s in assume]
        if any(as_list(svc) != ["lambda.amazonaws.com"] for svc in services):
            problems.add(rid, f"may be assumed by {services}, not only by Lambda")
    return len(roles)


def check_functions(resources, problems):
    count = 0
    for fid, res in resources.items():
        if res.get("Type") != "AWS::Lambda::Function":
            continue
        count += 1
        p = res.get("Properties", {})
        if p.get("Architectures") != ["arm64"]:
            problems.add(fid, "is not arm64")
        if p.get("Runtime") != "provided.al2023" or p.get("Handler") != "bootstrap":
            problems.add(fid, "is not a provided.al2023 bootstrap function")
        logging = p.get("LoggingConfig") or {}
        if logging.get("LogGroup") != {"Ref": LOG_GROUP} or logging.get("LogFormat") != "JSON":
            problems.add(fid, f"does not log JSON to {LOG_GROUP}")
        if not isinstance(p.get("MemorySize"), int) or not isinstance(p.get("Timeout"), int):
            problems.add(fid, "has no explicit MemorySize and Timeout")
    if count == 0:
        problems.add("template", "has no function")
    return count


def check_data_safety(resources, problems):
    for rid, res in resources.items():
        t, p = res.get("Type"), res.get("Properties", {})
        if t == "AWS::DynamoDB::Table":
            if res.get("DeletionPolicy") != "Retain" or res.get("UpdateReplacePolicy") != "Retain":
                problems.add(rid, "is not retained on delete and replace")
            if p.get("DeletionProtectionEnabled") is not True:
                problems.add(rid, "has no deletion protection")
            if (p.get("PointInTimeRecoverySpecification") or {}).get("PointInTimeRecoveryEnabled") is not True:
                problems.add(rid, "has no point-in-time recovery")
            if (p.get("SSESpecification") or {}).get("SSEEnabled") is not True:
                problems.add(rid, "is not KMS encrypted")
        elif t == "AWS::S3::Bucket":
            if res.get("DeletionPolicy") != "Retain" or res.get("UpdateReplacePolicy") != "Retain":
                problems.add(rid, "is not retained on delete and replace")
            block = p.get("PublicAccessBlockConfiguration") or {}
            for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"):
                if block.get(k) is not True:
                    problems.add(rid, f"does not set {k}")
            if not (p.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration"):
                problems.add(rid, "is not encrypted")
            rules = (p.get("LifecycleConfiguration") or {}).get("Rules", [])
            if not any(r.get("AbortIncompleteMultipartUpload") and r.get("Status") == "Enabled" for r in rules):
                problems.add(rid, "does not clean up incomplete uploads")
            policies = [r for r in resources.values() if r.get("Type") == "AWS::S3::BucketPolicy"
                        and r["Properties"].get("Bucket") == {"Ref": rid}]
            tls = any(st.get("Effect") == "Deny" and
                      (st.get("Condition") or {}).get("Bool", {}).get("aws:SecureTransport") == "false"
                      for pol in policies for st in statements(pol["Properties"].get("PolicyDocument")))
            if not tls:
                problems.add(rid, "does not deny requests without TLS")
        elif t == "AWS::Logs::LogGroup":
            if not p.get("RetentionInDays"):
                problems.add(rid, "keeps logs forever (no RetentionInDays)")
    guard = resources.get("GuardTable", {}).get("Properties", {})
    if not (guard.get("TimeToLiveSpecification") or {}).get("Enabled"):
        problems.add("GuardTable", "has no TTL for rate-limit and replay records")


def check_api_and_alarms(resources, problems):
    stages = [(rid, r) for rid, r in resources.items() if r.get("Type") == "AWS::ApiGatewayV2::Stage"]
    if not stages:
        problems.add("template", "has no HTTP API stage")
    for rid, st in stages:
        p = st.get("Properties", {})
        route = p.get("DefaultRouteSettings") or {}
        if "ThrottlingRateLimit" not in route or "ThrottlingBurstLimit" not in route:
            problems.add(rid, "has no throttling limits")
        if not (p.get("AccessLogSettings") or {}).get("DestinationArn"):
            problems.add(rid, "has no access log")
    alarms = {(r["Properties"].get("Namespace"), r["Properties"].get("MetricName"))
              for r in resources.values() if r.get("Type") == "AWS::CloudWatch::Alarm"}
    for want in [("AWS/Lambda", "Errors"), ("AWS/Lambda", "Throttles"), ("AWS/ApiGateway", "5xx")]:
        if want not in alarms:
            problems.add("template", f"has no alarm on {want[0]} {want[1]}")


class StubPolicyLoader:
    """The template names no managed policy by name, so nothing needs looking up in IAM."""

    def load(self):
        return {}


def package_locally(sam):
    """What `sam package` does before the transform: local CodeUri paths become S3 locations."""
    glob = (sam.get("Globals") or {}).get("Function") or {}
    if isinstance(glob.get("CodeUri"), str) and not glob["CodeUri"].startswith("s3://"):
        glob["CodeUri"] = "s3://offline-transform/globals.zip"
    for rid, res in sam.get("Resources", {}).items():
        props = res.get("Properties") or {}
        if res.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str) \
                and not props["CodeUri"].startswith("s3://"):
            props["CodeUri"] = f"s3://offline-transform/{rid}.zip"


def transform(template_path, out_path):
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    from samtranslator.translator.transform import transform as sam_transform
    from samtranslator.yaml_helper import yaml_parse

    from samtranslator.model.exceptions import InvalidDocumentException

    with open(template_path, encoding="utf-8") as f:
        sam = yaml_parse(f.read())
    package_locally(sam)
    try:
        cfn = sam_transform(sam, {}, StubPolicyLoader())
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(f"    FAIL SAM transform: {cause.message}")
        return False
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(cfn, f, indent=1, sort_keys=True)
    resources = cfn["Resources"]

    problems = Problems()
    n_statements = check_identity_wildcards(resources, problems)
    check_resource_policies(resources, problems)
    n_roles = check_function_roles(resources, problems)
    n_functions = check_functions(resources, problems)
    check_data_safety(resources, problems)
    check_api_and_alarms(resources, problems)
    print(f"    SAM transform: {len(resources)} CloudFormation resources, {n_functions} functions, "
          f"{n_roles} function roles, {n_statements} IAM statements -> {os.path.relpath(out_path, ROOT)}")
    for p in problems:
        print(f"    FAIL {p}")
    return not problems


def judge_checkov(report_path, template_path):
    from samtranslator.yaml_helper import yaml_parse

    with open(template_path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    skips = {s["id"]: " ".join(str(s.get("comment", "")).split())
             for s in (template.get("Metadata") or {}).get("FunctionCheckovSkips", [])}
    for cid, why in skips.items():
        if len(why) < 20:
            print(f"    FAIL FunctionCheckovSkips {cid} has no written reason")
            return False
    functions = {rid for rid, r in template["Resources"].items() if r.get("Type") == "AWS::Serverless::Function"}

    with open(report_path, encoding="utf-8") as f:
        text = f.read().strip()
    reports = json.loads(text) if text else []
    reports = reports if isinstance(reports, list) else [reports]
    reports = [r for r in reports if r.get("check_type") == "cloudformation"]
    if not reports:
        print("    FAIL checkov produced no CloudFormation report")
        return False
    passed, failed, skipped, waived = 0, [], 0, {}
    for rep in reports:
        res = rep.get("results", {})
        passed += len(res.get("passed_checks", []))
        skipped += len(res.get("skipped_checks", []))
        for c in res.get("failed_checks", []):
            rid = c.get("resource", "").split(".", 1)[-1]
            if c["check_id"] in skips and c.get("resource", "").startswith("AWS::Serverless::Function.") \
                    and rid in functions:
                waived.setdefault(c["check_id"], []).append(rid)
            else:
                failed.append(c)
    for rep in reports:
        for c in rep.get("results", {}).get("skipped_checks", []):
            why = (c.get("check_result") or {}).get("suppress_comment") or c.get("suppress_comment") or ""
            if len(why) < 20 or why == "No comment provided":
                failed.append(dict(c, check_name=f"skipped without a written reason ({why!r})"))
            else:
                print(f"    skipped {c['check_id']} on {c['resource']}: {why}")
    for cid, rids in sorted(waived.items()):
        print(f"    skipped {cid} on {len(rids)} functions (template FunctionCheckovSkips): {skips[cid]}")
    for c in failed:
        lines = c.get("file_line_range", [])
        print(f"    FAIL {c['check_id']} {c.get('check_name', '')} on {c['resource']} (lines {lines})")
    total_waived = sum(len(v) for v in waived.values())
    print(f"    checkov: {passed} passed, {len(failed)} failed, {skipped + total_waived} skipped with a reason")
    return passed > 0 and not failed


def main(argv):
    if len(argv) >= 2 and argv[1] == "transform":
        template = argv[2] if len(argv) > 2 else os.path.join(ROOT, "infra", "template.yaml")
        out = argv[3] if len(argv) > 3 else os.path.join(ROOT, ".local", "template.cfn.json")
        return 0 if transform(template, out) else 1
    if len(argv) >= 3 and argv[1] == "checkov":
        template = argv[3] if len(argv) > 3 else os.path.join(ROOT, "infra", "template.yaml")
        return 0 if judge_checkov(argv[2], template) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
