//! core_contact_create and core_contact_fetch, and the signature check through a real handler.

use std::collections::HashSet;

use serde_json::{json, Value};
use shared::{auth, config::Limit, errors, store::contact as model};

use crate::common::*;
use functions::contact::{create, fetch};

const CREATE: &str = create::ACTION;
const FETCH: &str = fetch::ACTION;

fn example(serial: &str) -> Value {
    json!({
        "flnm": "John Smith",
        "emad": "john.smith@example.com",
        "sbjt": "Business Partnership Inquiry",
        "msge": "Hello, I'm interested in discussing potential business partnership opportunities with Mopay. Our company specializes in financial services for small businesses and we believe there could be synergies worth exploring. Please contact me to arrange a call.",
        "dvnm": "iPhone 13",
        "dvty": "mobile",
        "dsnm": serial
    })
}

async fn submit(ctx: &'static shared::Ctx, req: Req) -> Res {
    Res::from(create::handler(ctx, req.build()).await)
}

async fn get(ctx: &'static shared::Ctx, req: Req) -> Res {
    Res::from(fetch::handler(ctx, req.build()).await)
}

async fn count_contacts(ctx: &shared::Ctx) -> usize {
    let out = shared::store::newest_first(ctx, &ctx.config.tables.contacts, "gsi1", model::LIST_PK)
        .send()
        .await
        .unwrap();
    out.count as usize
}

#[tokio::test]
async fn spec_example_is_stored_and_fetched_back() {
    let ctx = ctx().await;
    let serial = unique("SER");
    let ip = unique_ip();
    let res = submit(ctx, Req::post(CREATE).ip(&ip).json(example(&serial))).await;
    res.assert_ok(CREATE);
    assert_eq!(res.data()["COMMENT"], "Thanks for contacting us, We will be in touch with you shortly!");
    let mkid = res.data()["MKID"].as_str().unwrap().to_owned();
    assert!(shared::ids::is_marker(&mkid, "cf"), "{mkid}");

    // Stored state.
    let item = get_item(ctx, &ctx.config.tables.contacts, &model::pk(&mkid), Some(model::SK)).await.expect("stored");
    let stored = model::Contact::from_item(item).unwrap();
    assert_eq!(stored.department, "partnerships");
    assert_eq!(stored.ipaddx.as_deref(), Some(ip.as_str()));

    let res = get(ctx, Req::get(FETCH).query(&format!("rqid={mkid}"))).await;
    res.assert_ok(FETCH);
    let d = res.data();
    assert_eq!(d["marker"], mkid);
    assert_eq!(d["name"], "John Smith");
    assert_eq!(d["email"], "john.smith@example.com");
    assert_eq!(d["subject"], "Business Partnership Inquiry");
    assert_eq!(d["message"], example(&serial)["msge"]);
    assert_eq!(d["ipaddx"], ip);
    assert_eq!(d["devname"], "iPhone 13");
    assert_eq!(d["devType"], "mobile");
    assert_eq!(d["devNumr"], serial);
    assert_eq!(d["status"], "pending");
    let recorded: i64 = d["recorded"].as_str().unwrap().parse().unwrap();
    assert!((recorded - shared::clock::now_ms()).abs() < 60_000);
}

#[tokio::test]
async fn each_required_field_has_its_error_and_nothing_is_stored() {
    let ctx = isolated_ctx().await;
    let cases = [
        ("flnm", &errors::contact::FLNM_REQUIRED),
        ("emad", &errors::contact::EMAD_REQUIRED),
        ("msge", &errors::contact::MSGE_REQUIRED),
        ("dvty", &errors::contact::DVTY_REQUIRED),
        ("dsnm", &errors::contact::DSNM_REQUIRED),
    ];
    for (field, spec) in cases {
        for absent in [None, Some(json!("")), Some(json!("   ")), Some(Value::Null)] {
            let mut body = example(&unique("SER"));
            match absent {
                None => {
                    body.as_object_mut().unwrap().remove(field);
                }
                Some(v) => body[field] = v,
            }
            submit(ctx, Req::post(CREATE).json(body)).await.assert_spec(CREATE, spec);
        }
    }
    // Optional fields may be left out.
    let mut body = example(&unique("SER"));
    body.as_object_mut().unwrap().remove("sbjt");
    body.as_object_mut().unwrap().remove("dvnm");
    let res = submit(ctx, Req::post(CREATE).json(body)).await;
    res.assert_ok(CREATE);
    assert_eq!(count_contacts(ctx).await, 1, "only the valid submission is stored");
    let mkid = res.data()["MKID"].as_str().unwrap();
    let d = get(ctx, Req::get(FETCH).query(&format!("rqid={mkid}"))).await;
    assert_eq!(d.data()["subject"], "");
    let item = get_item(ctx, &ctx.config.tables.contacts, &model::pk(mkid), Some(model::SK)).await.unwrap();
    assert_eq!(model::Contact::from_item(item).unwrap().department, "general");
}

#[tokio::test]
async fn bad_input_is_a_clear_400() {
    let ctx = isolated_ctx().await;
    submit(ctx, Req::post(CREATE).raw_body(b"{not json")).await.assert_spec(CREATE, &errors::BODY_INVALID);
    submit(ctx, Req::post(CREATE).raw_body(b"[1,2]")).await.assert_spec(CREATE, &errors::BODY_INVALID);
    submit(ctx, Req::post(CREATE).raw_body(b"\"text\"")).await.assert_spec(CREATE, &errors::BODY_INVALID);
    submit(ctx, Req::post(CREATE)).await.assert_spec(CREATE, &errors::contact::FLNM_REQUIRED);

    let mut body = example(&unique("SER"));
    body["flnm"] = json!(42);
    let res = submit(ctx, Req::post(CREATE).json(body)).await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json["ERRORS"]["ID"], "flnm_invalid");

    let mut body = example(&unique("SER"));
    body["msge"] = json!("x".repeat(10_001));
    let res = submit(ctx, Req::post(CREATE).json(body)).await;
    assert_eq!(res.status, 400);
    assert_eq!(res.json["ERRORS"]["ID"], "msge_too_long");

    let mut body = example(&unique("SER"));
    body["emad"] = json!("not-an-email");
    submit(ctx, Req::post(CREATE).json(body)).await.assert_spec(CREATE, &errors::contact::EMAD_INVALID);

    // Unknown fields are ignored.
    let mut body = example(&unique("SER"));
    body["extra"] = json!({"nested": true});
    submit(ctx, Req::post(CREATE).json(body)).await.assert_ok(CREATE);
    assert_eq!(count_contacts(ctx).await, 1);
}

#[tokio::test]
async fn device_rate_limit_refuses_and_changes_nothing() {
    let ctx = isolated_ctx_with(|c| c.limits.contact_per_device = Limit { max: 2, window: 3600 }).await;
    let serial = unique("SER");
    for _ in 0..2 {
        submit(ctx, Req::post(CREATE).json(example(&serial))).await.assert_ok(CREATE);
    }
    let res = submit(ctx, Req::post(CREATE).json(example(&serial))).await;
    res.assert_spec(CREATE, &errors::contact::RATE_LIMITED);
    let retry: u64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
    assert_eq!(count_contacts(ctx).await, 2);
    // The serial in another case is the same device.
    submit(ctx, Req::post(CREATE).json(example(&serial.to_lowercase())))
        .await
        .assert_spec(CREATE, &errors::contact::RATE_LIMITED);
    // Another device is not limited.
    submit(ctx, Req::post(CREATE).json(example(&unique("SER")))).await.assert_ok(CREATE);
}

#[tokio::test]
async fn ip_rate_limit_counts_across_devices() {
    let ctx = isolated_ctx_with(|c| c.limits.contact_per_ip = Limit { max: 3, window: 3600 }).await;
    let ip = unique_ip();
    for _ in 0..3 {
        submit(ctx, Req::post(CREATE).ip(&ip).json(example(&unique("SER")))).await.assert_ok(CREATE);
    }
    submit(ctx, Req::post(CREATE).ip(&ip).json(example(&unique("SER"))))
        .await
        .assert_spec(CREATE, &errors::contact::RATE_LIMITED);
    assert_eq!(count_contacts(ctx).await, 3);
}

#[tokio::test]
async fn concurrent_submissions_respect_the_limit_exactly() {
    let ctx = isolated_ctx_with(|c| c.limits.contact_per_device = Limit { max: 5, window: 3600 }).await;
    let serial = unique("SER");
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let body = example(&serial);
            tokio::spawn(async move { submit(ctx, Req::post(CREATE).json(body)).await.status })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            200 => ok += 1,
            429 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(ok, 5);
    assert_eq!(count_contacts(ctx).await, 5);
}

#[tokio::test]
async fn fetch_unknown_or_malformed_is_not_found() {
    let ctx = ctx().await;
    for rqid in ["cf0123456789abcdef0123456789abcdef", "cf123456789abbcdef12", "nonsense", "faq0123456789abcdef0123456789abcdef"] {
        get(ctx, Req::get(FETCH).query(&format!("rqid={rqid}"))).await.assert_spec(FETCH, &errors::contact::NOT_FOUND);
    }
}

#[tokio::test]
async fn list_is_newest_first_in_pages_of_twenty() {
    let ctx = isolated_ctx().await;
    let mut made = Vec::new();
    for i in 0..45 {
        let mut body = example(&unique("SER"));
        body["flnm"] = json!(format!("Person {i}"));
        let res = submit(ctx, Req::post(CREATE).json(body)).await;
        res.assert_ok(CREATE);
        made.push(res.data()["MKID"].as_str().unwrap().to_owned());
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let mut seen = Vec::new();
    let mut page: Option<String> = None;
    let mut sizes = Vec::new();
    for _ in 0..5 {
        let q = page.as_ref().map(|p| format!("page={p}")).unwrap_or_default();
        let res = get(ctx, Req::get(FETCH).query(&q)).await;
        res.assert_ok(FETCH);
        let result = res.data()["result"].as_array().unwrap();
        sizes.push(result.len());
        seen.extend(result.iter().map(|r| r["marker"].as_str().unwrap().to_owned()));
        let token = res.data()["pagination"].as_str().unwrap().to_owned();
        if token.is_empty() {
            break;
        }
        page = Some(token);
    }
    assert_eq!(sizes, vec![20, 20, 5]);
    made.reverse();
    assert_eq!(seen, made, "newest first, nothing skipped or repeated");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 45);

    // The first page by the spec's default value and by `1`.
    for first in ["page=123456789001", "page=1", "page="] {
        let res = get(ctx, Req::get(FETCH).query(first)).await;
        assert_eq!(res.data()["result"][0]["marker"], json!(made[0]));
    }
}

#[tokio::test]
async fn tampered_or_garbage_tokens_are_refused() {
    let ctx = isolated_ctx().await;
    for _ in 0..21 {
        submit(ctx, Req::post(CREATE).json(example(&unique("SER")))).await.assert_ok(CREATE);
    }
    let res = get(ctx, Req::get(FETCH)).await;
    let token = res.data()["pagination"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());
    let mut tampered = token.clone().into_bytes();
    tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [tampered.as_str(), "garbage", "abc.def", "2"] {
        get(ctx, Req::get(FETCH).query(&format!("page={bad}"))).await.assert_spec(FETCH, &errors::INVALID_PAGINATION);
    }
    // A token is bound to its query: one made for another list is refused.
    let foreign = shared::pagination::encode(ctx, "control_support_faq_fetch", &std::collections::HashMap::from([
        ("pk".to_owned(), shared::store::s("x")),
    ]));
    get(ctx, Req::get(FETCH).query(&format!("page={foreign}"))).await.assert_spec(FETCH, &errors::INVALID_PAGINATION);
    get(ctx, Req::get(FETCH).query(&format!("page={token}"))).await.assert_ok(FETCH);
}

// ----- signature check, through contact fetch with CONTACT_FETCH_REQUIRES_AUTH on -----

async fn auth_ctx() -> &'static shared::Ctx {
    isolated_ctx_with(|c| c.contact_fetch_requires_auth = true).await
}

#[tokio::test]
async fn signed_fetch_needs_the_permission() {
    let ctx = auth_ctx().await;
    let viewer = credential(ctx, auth::ROLE_STAFF, &[fetch::PERMISSION]).await;
    let plain = user(ctx).await;
    get(ctx, Req::get(FETCH)).await.assert_spec(FETCH, &errors::ACCESS_DENIED);
    get(ctx, Req::get(FETCH).signed(&plain)).await.assert_spec(FETCH, &errors::contact::FETCH_PERMISSION);
    get(ctx, Req::get(FETCH).signed(&viewer)).await.assert_ok(FETCH);
    // GET may be repeated with the same signature.
    let req = Req::get(FETCH).query("rqid=cf0123456789abcdef0123456789abcdef&page=1").signed(&viewer);
    get(ctx, req.clone()).await.assert_spec(FETCH, &errors::contact::NOT_FOUND);
    get(ctx, req).await.assert_spec(FETCH, &errors::contact::NOT_FOUND);
}

#[tokio::test]
async fn bad_signatures_are_access_denied() {
    let ctx = auth_ctx().await;
    let viewer = credential(ctx, auth::ROLE_STAFF, &[fetch::PERMISSION]).await;
    let now = shared::clock::now_secs();
    let denied = |r: Res| {
        r.assert_spec(FETCH, &errors::ACCESS_DENIED);
    };
    // Inside the window on both sides.
    get(ctx, Req::get(FETCH).signed_at(&viewer, now - 290)).await.assert_ok(FETCH);
    get(ctx, Req::get(FETCH).signed_at(&viewer, now + 290)).await.assert_ok(FETCH);
    // Expired and future.
    denied(get(ctx, Req::get(FETCH).signed_at(&viewer, now - 310)).await);
    denied(get(ctx, Req::get(FETCH).signed_at(&viewer, now + 310)).await);

    // Tampered query: signed for one query, sent with another.
    let signed = Req::get(FETCH).query("page=1").signed(&viewer);
    let mut event = signed.event();
    event["rawQueryString"] = json!("page=123456789001");
    let req = lambda_http::request::from_str(&event.to_string()).unwrap();
    denied(Res::from(fetch::handler(ctx, req).await));

    // Tampered body.
    let signed = Req::get(FETCH).raw_body(b"{}").signed(&viewer);
    let mut event = signed.event();
    event["body"] = json!("{\"x\":1}");
    let req = lambda_http::request::from_str(&event.to_string()).unwrap();
    denied(Res::from(fetch::handler(ctx, req).await));

    // Wrong key: right public key, signed with another secret; unknown public key.
    let mut wrong = viewer.clone();
    wrong.secret_key = "sk_wrong".into();
    denied(get(ctx, Req::get(FETCH).signed(&wrong)).await);
    let mut unknown = viewer.clone();
    unknown.public_key = unique("pk_");
    denied(get(ctx, Req::get(FETCH).signed(&unknown)).await);

    // Timestamps far outside any range (no overflow, no panic).
    for ts in [i64::MIN, i64::MIN + 1, i64::MAX] {
        denied(get(ctx, Req::get(FETCH).signed_at(&viewer, ts)).await);
    }

    // Missing and malformed headers.
    denied(get(ctx, Req::get(FETCH).header("mpy-securekey", &viewer.public_key)).await);
    let mut event = Req::get(FETCH).signed(&viewer).event();
    event["headers"]["mpy-timestamp"] = json!("soon");
    denied(Res::from(fetch::handler(ctx, lambda_http::request::from_str(&event.to_string()).unwrap()).await));

    // Revoked and expired credentials.
    let mut revoked = credential(ctx, auth::ROLE_STAFF, &[fetch::PERMISSION]).await;
    revoked.status = "revoked".into();
    auth::save_credential(ctx, &revoked).await.unwrap();
    denied(get(ctx, Req::get(FETCH).signed(&revoked)).await);
    let mut expired = credential(ctx, auth::ROLE_STAFF, &[fetch::PERMISSION]).await;
    expired.expires_at = Some(now - 1);
    auth::save_credential(ctx, &expired).await.unwrap();
    denied(get(ctx, Req::get(FETCH).signed(&expired)).await);
}

#[tokio::test]
async fn replayed_non_get_signature_is_refused() {
    // Through a real POST handler: the first send is answered (404, no such FAQ), the same signed
    // request again is a replay (401); the same request signed anew is answered again.
    use functions::faq::rating;
    let ctx = ctx().await;
    let cred = user(ctx).await;
    let now = shared::clock::now_secs();
    let body = json!({"faq_id": "faq0123456789abcdef0123456789abcdef", "helpful": true});
    let req = Req::post(rating::ACTION).json(body.clone()).signed_at(&cred, now);
    let first = Res::from(rating::handler(ctx, req.build()).await);
    first.assert_spec(rating::ACTION, &errors::faq::RATING_NOT_FOUND);
    let again = Res::from(rating::handler(ctx, req.build()).await);
    again.assert_spec(rating::ACTION, &errors::ACCESS_DENIED);
    let fresh = Req::post(rating::ACTION).json(body).signed_at(&cred, now - 7);
    Res::from(rating::handler(ctx, fresh.build()).await).assert_spec(rating::ACTION, &errors::faq::RATING_NOT_FOUND);
}

#[tokio::test]
async fn a_method_the_action_does_not_answer_is_405_and_changes_nothing() {
    let ctx = isolated_ctx().await;
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let res = submit(ctx, Req::new(method, CREATE).json(example(&unique("SER")))).await;
        res.assert_spec(CREATE, &errors::METHOD_NOT_ALLOWED);
        assert_eq!(res.headers["allow"], "POST");
    }
    let res = get(ctx, Req::post(FETCH)).await;
    res.assert_spec(FETCH, &errors::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers["allow"], "GET");
    assert_eq!(count_contacts(ctx).await, 0);
}

#[tokio::test]
async fn signature_path_is_the_action_whatever_the_stage() {
    let ctx = auth_ctx().await;
    let viewer = credential(ctx, auth::ROLE_STAFF, &[fetch::PERMISSION]).await;
    let mut event = Req::get(FETCH).query("page=1").signed(&viewer).event();
    event["rawPath"] = json!("/prod/core_contact_fetch");
    event["requestContext"]["stage"] = json!("prod");
    let req = lambda_http::request::from_str(&event.to_string()).unwrap();
    Res::from(fetch::handler(ctx, req).await).assert_ok(FETCH);
}
