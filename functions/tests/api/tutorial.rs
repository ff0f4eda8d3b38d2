//! Tests of the tutorial actions: support_tutoral_fetch, control_support_tutorial_create,
//! support_tutorial_update and support_tutorial_remove.

use std::collections::HashSet;

use serde_json::{json, Value};
use shared::{
    auth::{self, Credential},
    errors::{self, tutorial as err},
    store::tutorial::{self as model, Status, Tutorial},
    Ctx,
};

use crate::common::*;
use functions::tutorial::{create, fetch, remove, update, PERMISSION_CREATE, PERMISSION_MODIFY};

const CREATE: &str = create::ACTION;
const FETCH: &str = fetch::ACTION;
const UPDATE: &str = update::ACTION;
const REMOVE: &str = remove::ACTION;

// ----- helpers -----

/// The spec's create example.
fn example() -> Value {
    json!({
        "ttle": "How to Create Your First Virtual Card",
        "cntx": "This tutorial guides you through the process of creating your first virtual card for online payments. Learn how to set limits, manage security features, and use your card for secure transactions.",
        "vurl": "https://assets.mopay-ng.com/tutorials/virtual-card-creation.mp4",
        "purl": "https://assets.mopay-ng.com/tutorials/covers/virtual-card-creation.jpg"
    })
}

/// A valid create body with a title of its own (distinct bodies = distinct signatures).
fn body_titled(title: &str) -> Value {
    let mut b = example();
    b["ttle"] = json!(title);
    b
}

async fn creator(ctx: &Ctx) -> Credential {
    credential(ctx, auth::ROLE_STAFF, &[PERMISSION_CREATE]).await
}

async fn modifier(ctx: &Ctx) -> Credential {
    credential(ctx, auth::ROLE_STAFF, &[PERMISSION_MODIFY]).await
}

async fn do_create(ctx: &'static Ctx, req: Req) -> Res {
    Res::from(create::handler(ctx, req.build()).await)
}

async fn do_fetch(ctx: &'static Ctx, req: Req) -> Res {
    Res::from(fetch::handler(ctx, req.build()).await)
}

async fn do_update(ctx: &'static Ctx, req: Req) -> Res {
    Res::from(update::handler(ctx, req.build()).await)
}

async fn do_remove(ctx: &'static Ctx, req: Req) -> Res {
    Res::from(remove::handler(ctx, req.build()).await)
}

fn patch() -> Req {
    Req::new("PATCH", UPDATE)
}

fn delete() -> Req {
    Req::new("DELETE", REMOVE)
}

/// Creates a tutorial with this title and status; returns its marker.
async fn make(ctx: &'static Ctx, cred: &Credential, title: &str, status: Option<&str>) -> String {
    let mut body = body_titled(title);
    if let Some(st) = status {
        body["stts"] = json!(st);
    }
    let res = do_create(ctx, Req::post(CREATE).json(body).signed(cred)).await;
    res.assert_ok(CREATE);
    res.data()["MKID"].as_str().unwrap().to_owned()
}

/// Creates a tutorial in any of the four statuses (removed = created, then soft-removed).
async fn make_in(ctx: &'static Ctx, staff: &Credential, title: &str, status: Status) -> String {
    match status {
        Status::Removed => {
            let m = make(ctx, staff, title, None).await;
            do_remove(ctx, delete().query(&format!("reqv={m}")).signed(staff)).await.assert_ok(REMOVE);
            m
        }
        other => make(ctx, staff, title, Some(other.as_str())).await,
    }
}

async fn stored(ctx: &Ctx, marker: &str) -> Option<Tutorial> {
    get_item(ctx, &ctx.config.tables.tutorials, &model::pk(marker), Some(model::SK))
        .await
        .map(|item| Tutorial::from_item(item).unwrap())
}

/// Every item of the tutorials table (isolated contexts only).
async fn count_items(ctx: &Ctx) -> usize {
    let out = ctx.ddb.scan().table_name(&ctx.config.tables.tutorials).consistent_read(true).send().await.unwrap();
    out.count as usize
}

fn markers(res: &Res) -> Vec<String> {
    res.data()["result"].as_array().unwrap().iter().map(|t| t["marker"].as_str().unwrap().to_owned()).collect()
}

/// Every marker of a list, page by page; returns the markers and the page sizes.
async fn walk(ctx: &'static Ctx, cred: &Credential, rqtp: &str) -> (Vec<String>, Vec<usize>) {
    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut page: Option<String> = None;
    for _ in 0..20 {
        let mut q = format!("rqtp={rqtp}");
        if let Some(p) = &page {
            q.push_str(&format!("&page={p}"));
        }
        let res = do_fetch(ctx, Req::get(FETCH).query(&q).signed(cred)).await;
        res.assert_ok(FETCH);
        let got = markers(&res);
        sizes.push(got.len());
        seen.extend(got);
        let token = res.data()["pagination"].as_str().unwrap().to_owned();
        if token.is_empty() {
            return (seen, sizes);
        }
        page = Some(token);
    }
    panic!("list did not end");
}

fn mk_query(marker: &str) -> String {
    format!("rqtp=mk&rqvl={marker}")
}

// ----- create -----

#[tokio::test]
async fn create_spec_example_is_stored_and_read_back() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let res = do_create(ctx, Req::post(CREATE).json(example()).signed(&staff)).await;
    res.assert_ok(CREATE);
    assert_eq!(res.data()["COMMENT"], "Operation successful!");
    let mkid = res.data()["MKID"].as_str().unwrap().to_owned();
    assert!(shared::ids::is_marker(&mkid, "tut") && mkid.len() == 35, "{mkid}");

    let t = stored(ctx, &mkid).await.expect("stored");
    assert_eq!(t.title, example()["ttle"]);
    assert_eq!(t.contents, example()["cntx"]);
    assert_eq!(t.videourl, example()["vurl"]);
    assert_eq!(t.coverpix, example()["purl"]);
    assert_eq!(t.status, Status::Published, "published by default");
    assert_eq!(t.gsi1pk, "TUTORIALS#published");
    assert_eq!(t.gsi2pk, "TUTORIALS");
    assert_eq!(t.created_by, staff.user_id);

    // Any signed user reads it back in the spec's shape.
    let reader = user(ctx).await;
    let res = do_fetch(ctx, Req::get(FETCH).query(&mk_query(&mkid)).signed(&reader)).await;
    res.assert_ok(FETCH);
    let d = res.data();
    let recorded: i64 = d["recorded"].as_str().unwrap().parse().unwrap();
    assert!((recorded - shared::clock::now_ms()).abs() < 60_000);
    assert_eq!(
        d,
        &json!({
            "marker": mkid,
            "title": example()["ttle"],
            "contents": example()["cntx"],
            "videourl": example()["vurl"],
            "coverpix": example()["purl"],
            "status": "published",
            "recorded": recorded.to_string(),
        })
    );
}

#[tokio::test]
async fn create_required_fields_have_their_errors_and_store_nothing() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let cases = [
        ("ttle", &err::TTLE_REQUIRED),
        ("cntx", &err::CNTX_REQUIRED),
        ("vurl", &err::VURL_REQUIRED),
        ("purl", &err::PURL_REQUIRED),
    ];
    for (field, spec) in cases {
        for absent in [None, Some(json!("")), Some(json!("   ")), Some(Value::Null)] {
            let mut body = example();
            match absent {
                None => {
                    body.as_object_mut().unwrap().remove(field);
                }
                Some(v) => body[field] = v,
            }
            do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await.assert_spec(CREATE, spec);
        }
    }
    do_create(ctx, Req::post(CREATE).signed(&staff)).await.assert_spec(CREATE, &err::TTLE_REQUIRED);
    assert_eq!(count_items(ctx).await, 0);
}

#[tokio::test]
async fn create_urls_must_be_absolute_https() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let bad = [
        json!("http://assets.mopay-ng.com/v.mp4"),
        json!("javascript:alert(document.cookie)"),
        json!("JavaScript:alert(1)"),
        json!("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
        json!("ftp://assets.mopay-ng.com/v.mp4"),
        json!("/tutorials/v.mp4"),
        json!("//assets.mopay-ng.com/v.mp4"),
        json!("assets.mopay-ng.com/v.mp4"),
        json!("https:assets.mopay-ng.com/v.mp4"),
        json!("https://"),
        json!("https://user:secret@assets.mopay-ng.com/v.mp4"),
        json!("https://assets.mopay-ng.com/a b.mp4"),
        json!(format!("https://assets.mopay-ng.com/{}", "a".repeat(2100))),
        json!(42),
        json!(["https://assets.mopay-ng.com/v.mp4"]),
    ];
    for (field, spec) in [("vurl", &err::VURL_INVALID), ("purl", &err::PURL_INVALID)] {
        for value in &bad {
            let mut body = example();
            body[field] = value.clone();
            do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await.assert_spec(CREATE, spec);
        }
    }
    assert_eq!(count_items(ctx).await, 0, "nothing stored");

    // Surrounding white space is trimmed; the URL is kept as sent.
    let mut body = example();
    body["vurl"] = json!("  https://assets.mopay-ng.com/v.mp4?t=10#start ");
    let res = do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await;
    res.assert_ok(CREATE);
    let t = stored(ctx, res.data()["MKID"].as_str().unwrap()).await.unwrap();
    assert_eq!(t.videourl, "https://assets.mopay-ng.com/v.mp4?t=10#start");
}

#[tokio::test]
async fn create_needs_a_signature_and_the_create_permission() {
    let ctx = isolated_ctx().await;
    do_create(ctx, Req::post(CREATE).json(example())).await.assert_spec(CREATE, &errors::ACCESS_DENIED);
    let plain = user(ctx).await;
    do_create(ctx, Req::post(CREATE).json(example()).signed(&plain)).await.assert_spec(CREATE, &err::CREATE_PERMISSION);
    // The permission is checked before the body: no hint about fields to an outsider.
    do_create(ctx, Req::post(CREATE).json(json!({})).signed(&plain)).await.assert_spec(CREATE, &err::CREATE_PERMISSION);
    let only_modify = modifier(ctx).await;
    do_create(ctx, Req::post(CREATE).json(example()).signed(&only_modify)).await.assert_spec(CREATE, &err::CREATE_PERMISSION);
    assert_eq!(count_items(ctx).await, 0);

    let only_create = creator(ctx).await;
    let req = Req::post(CREATE).json(example()).signed(&only_create);
    do_create(ctx, req.clone()).await.assert_ok(CREATE);
    // The same signed request again is a replay.
    do_create(ctx, req).await.assert_spec(CREATE, &errors::ACCESS_DENIED);
    assert_eq!(count_items(ctx).await, 1);
}

#[tokio::test]
async fn create_takes_an_optional_status() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    for (st, want) in [("draft", Status::Draft), ("archived", Status::Archived), ("published", Status::Published), ("", Status::Published)] {
        let m = make(ctx, &staff, &unique("status "), Some(st)).await;
        let t = stored(ctx, &m).await.unwrap();
        assert_eq!(t.status, want);
        assert_eq!(t.gsi1pk, model::status_pk(want));
    }
    for bad in [json!("removed"), json!("active"), json!("Published"), json!(1), json!(true)] {
        let mut body = body_titled(&unique("bad status "));
        body["stts"] = bad;
        do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await.assert_spec(CREATE, &err::STTS_INVALID);
    }
    assert_eq!(count_items(ctx).await, 4);
}

#[tokio::test]
async fn create_bad_bodies_are_clear_400s() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    do_create(ctx, Req::post(CREATE).raw_body(b"{not json").signed(&staff)).await.assert_spec(CREATE, &errors::BODY_INVALID);
    do_create(ctx, Req::post(CREATE).raw_body(b"[1]").signed(&staff)).await.assert_spec(CREATE, &errors::BODY_INVALID);
    let mut body = example();
    body["ttle"] = json!(5);
    do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await.assert_error(
        CREATE,
        400,
        &format!("Invalid value for field ttle: expected a string (MPS{})", errors::FIELD_INVALID.mps),
        Some("ttle_invalid"),
    );
    let mut body = example();
    body["ttle"] = json!("t".repeat(model::MAX_TITLE + 1));
    let res = do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("ttle_too_long")));
    let mut body = example();
    body["cntx"] = json!("c".repeat(10_001));
    let res = do_create(ctx, Req::post(CREATE).json(body).signed(&staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("cntx_too_long")));
    assert_eq!(count_items(ctx).await, 0);
}

// ----- fetch -----

#[tokio::test]
async fn fetch_spec_example_and_bad_rqtp_are_invalid_category() {
    let ctx = ctx().await;
    let reader = user(ctx).await;
    // The spec's own example has no rqtp.
    for q in ["category=payments&limit=3", "", "rqtp=", "rqtp=other", "rqtp=BASE", "rqtp=mkx&rqvl=x"] {
        do_fetch(ctx, Req::get(FETCH).query(q).signed(&reader)).await.assert_spec(FETCH, &err::FETCH_RQTP_INVALID);
    }
    // Unsigned: 401 before anything else.
    do_fetch(ctx, Req::get(FETCH).query("rqtp=base")).await.assert_spec(FETCH, &errors::ACCESS_DENIED);
    do_fetch(ctx, Req::get(FETCH).query("category=payments&limit=3")).await.assert_spec(FETCH, &errors::ACCESS_DENIED);
}

#[tokio::test]
async fn fetch_one_needs_a_known_marker() {
    let ctx = ctx().await;
    let reader = user(ctx).await;
    for q in ["rqtp=mk", "rqtp=mk&rqvl=", "rqtp=mk&rqvl=%20"] {
        do_fetch(ctx, Req::get(FETCH).query(q).signed(&reader)).await.assert_error(
            FETCH,
            400,
            &format!("Missing required field: rqvl (MPS{})", errors::FIELD_REQUIRED.mps),
            Some("rqvl_required"),
        );
    }
    for rqvl in ["tut0123456789abcdef0123456789abcdef", "tut_123456789", "faq0123456789abcdef0123456789abcdef", "nonsense"] {
        do_fetch(ctx, Req::get(FETCH).query(&mk_query(rqvl)).signed(&reader)).await.assert_spec(FETCH, &err::FETCH_NOT_FOUND);
    }
}

#[tokio::test]
async fn each_status_is_visible_to_whom_it_should_be() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let mut made = Vec::new();
    for st in [Status::Published, Status::Draft, Status::Archived, Status::Removed] {
        made.push((st, make_in(ctx, &staff, &format!("{} one", st.as_str()), st).await));
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let plain = user(ctx).await;
    let only_create = creator(ctx).await;
    let only_modify = modifier(ctx).await;

    // By marker.
    for (st, m) in &made {
        for (who, can_modify) in [(&plain, false), (&only_create, false), (&only_modify, true), (&staff, true)] {
            let res = do_fetch(ctx, Req::get(FETCH).query(&mk_query(m)).signed(who)).await;
            let visible = match st {
                Status::Published | Status::Archived => true,
                Status::Draft => can_modify,
                Status::Removed => false,
            };
            if visible {
                res.assert_ok(FETCH);
                assert_eq!(res.data()["status"], st.as_str());
            } else {
                res.assert_spec(FETCH, &err::FETCH_NOT_FOUND);
            }
        }
    }

    // The published list is the same for everyone: only the published one.
    for who in [&plain, &only_create, &only_modify, &staff] {
        let res = do_fetch(ctx, Req::get(FETCH).query("rqtp=base").signed(who)).await;
        res.assert_ok(FETCH);
        assert_eq!(markers(&res), vec![made[0].1.clone()]);
        assert_eq!(res.data()["pagination"], "");
        assert_eq!(res.data()["result"][0]["status"], "published");
    }

    // Every status, newest first, only for helpControl.allowModify.
    for who in [&plain, &only_create] {
        do_fetch(ctx, Req::get(FETCH).query("rqtp=all").signed(who)).await.assert_spec(FETCH, &err::FETCH_PERMISSION);
    }
    for who in [&only_modify, &staff] {
        let res = do_fetch(ctx, Req::get(FETCH).query("rqtp=all").signed(who)).await;
        res.assert_ok(FETCH);
        let statuses: Vec<&str> = res.data()["result"].as_array().unwrap().iter().map(|t| t["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, vec!["removed", "archived", "draft", "published"]);
        let mut want: Vec<String> = made.iter().map(|(_, m)| m.clone()).collect();
        want.reverse();
        assert_eq!(markers(&res), want);
    }
}

#[tokio::test]
async fn published_list_is_newest_first_in_pages_of_twenty() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let mut published = Vec::new();
    for i in 0..45 {
        published.push(make(ctx, &staff, &format!("Tutorial {i}"), None).await);
        if i % 6 == 0 {
            // Interleaved tutorials that must never reach the users' list.
            make(ctx, &staff, &format!("Draft {i}"), Some("draft")).await;
            make(ctx, &staff, &format!("Archived {i}"), Some("archived")).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let reader = user(ctx).await;
    let (seen, sizes) = walk(ctx, &reader, "base").await;
    assert_eq!(sizes, vec![20, 20, 5]);
    published.reverse();
    assert_eq!(seen, published, "newest first, nothing skipped or repeated, no draft or archived");

    // The first page by the spec's default value, `1` and empty.
    for first in ["page=123456789001", "page=1", "page="] {
        let res = do_fetch(ctx, Req::get(FETCH).query(&format!("rqtp=base&{first}")).signed(&reader)).await;
        assert_eq!(markers(&res)[0], published[0]);
    }

    // Tokens: tampered, garbage and foreign ones are refused; a base token does not work for all.
    let first = do_fetch(ctx, Req::get(FETCH).query("rqtp=base").signed(&staff)).await;
    let token = first.data()["pagination"].as_str().unwrap().to_owned();
    let mut tampered = token.clone().into_bytes();
    tampered[3] = if tampered[3] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [tampered.as_str(), "garbage", "abc.def", "2"] {
        do_fetch(ctx, Req::get(FETCH).query(&format!("rqtp=base&page={bad}")).signed(&reader))
            .await
            .assert_spec(FETCH, &err::FETCH_PAGINATION_INVALID);
    }
    do_fetch(ctx, Req::get(FETCH).query(&format!("rqtp=all&page={token}")).signed(&staff))
        .await
        .assert_spec(FETCH, &err::FETCH_PAGINATION_INVALID);
    let all_first = do_fetch(ctx, Req::get(FETCH).query("rqtp=all").signed(&staff)).await;
    let all_token = all_first.data()["pagination"].as_str().unwrap().to_owned();
    assert!(!all_token.is_empty());
    do_fetch(ctx, Req::get(FETCH).query(&format!("rqtp=base&page={all_token}")).signed(&reader))
        .await
        .assert_spec(FETCH, &err::FETCH_PAGINATION_INVALID);
    do_fetch(ctx, Req::get(FETCH).query(&format!("rqtp=base&page={token}")).signed(&reader)).await.assert_ok(FETCH);
}

#[tokio::test]
async fn staff_list_pages_through_every_status() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let statuses = [Status::Published, Status::Draft, Status::Archived, Status::Removed];
    let mut made = Vec::new();
    for i in 0..25 {
        made.push(make_in(ctx, &staff, &format!("Any {i}"), statuses[i % 4]).await);
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let (seen, sizes) = walk(ctx, &modifier(ctx).await, "all").await;
    assert_eq!(sizes, vec![20, 5]);
    made.reverse();
    assert_eq!(seen, made);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 25);
}

// ----- update -----

#[tokio::test]
async fn update_spec_example_changes_the_fields() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let m = make(ctx, &staff, &unique("Original "), None).await;
    let before = stored(ctx, &m).await.unwrap();
    let editor = modifier(ctx).await;
    let body = json!({
        "qxid": m,
        "ttle": "Updated: How to Make Your First Mobile Payment",
        "cntx": "This revised tutorial guides new users through the process of making their first mobile payment using the Mopay platform, with updated screenshots for our new interface.",
        "vurl": "https://mopay.example.com/tutorials/videos/international-transfers.mp4",
        "purl": "https://mopay.example.com/tutorials/thumbnails/international-transfers.jpg"
    });
    let res = do_update(ctx, patch().json(body.clone()).signed(&editor)).await;
    res.assert_ok(UPDATE);
    assert_eq!(res.data(), &json!({"COMMENT": "Operation successful!"}));

    let after = stored(ctx, &m).await.unwrap();
    assert_eq!(after.title, body["ttle"]);
    assert_eq!(after.contents, body["cntx"]);
    assert_eq!(after.videourl, body["vurl"]);
    assert_eq!(after.coverpix, body["purl"]);
    assert_eq!(after.status, Status::Published);
    assert_eq!(after.recorded_ms, before.recorded_ms, "creation time and list position kept");
    assert_eq!(after.gsi1sk, before.gsi1sk);
    assert_eq!(after.updated_by.as_deref(), Some(editor.user_id.as_str()));
    assert!(after.updated_ms.is_some());

    let res = do_fetch(ctx, Req::get(FETCH).query(&mk_query(&m)).signed(&user(ctx).await)).await;
    assert_eq!(res.data()["title"], body["ttle"]);
    assert_eq!(res.data()["videourl"], body["vurl"]);
}

#[tokio::test]
async fn update_is_partial() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let m = make(ctx, &staff, &unique("Partial "), None).await;
    let before = stored(ctx, &m).await.unwrap();
    do_update(ctx, patch().json(json!({"qxid": m, "ttle": "  Only the title  "})).signed(&staff)).await.assert_ok(UPDATE);
    let after = stored(ctx, &m).await.unwrap();
    assert_eq!(after.title, "Only the title");
    assert_eq!((&after.contents, &after.videourl, &after.coverpix, after.status), (&before.contents, &before.videourl, &before.coverpix, before.status));

    do_update(ctx, patch().json(json!({"qxid": m, "purl": "https://cdn.example.com/new.jpg"})).signed(&staff)).await.assert_ok(UPDATE);
    let after2 = stored(ctx, &m).await.unwrap();
    assert_eq!(after2.coverpix, "https://cdn.example.com/new.jpg");
    assert_eq!((&after2.title, &after2.videourl), (&after.title, &after.videourl));
}

#[tokio::test]
async fn update_errors_change_nothing() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let m = make(ctx, &staff, &unique("Guarded "), None).await;
    let before = stored(ctx, &m).await.unwrap();

    // Signature and permission come first.
    do_update(ctx, patch().json(json!({"qxid": m, "ttle": "x"}))).await.assert_spec(UPDATE, &errors::ACCESS_DENIED);
    for who in [user(ctx).await, creator(ctx).await] {
        do_update(ctx, patch().json(json!({"qxid": m, "ttle": "x"})).signed(&who)).await.assert_spec(UPDATE, &err::UPDATE_PERMISSION);
    }

    // qxid is required (the spec's 404).
    for qxid in [None, Some(json!("")), Some(json!("  ")), Some(Value::Null)] {
        let mut body = json!({"ttle": unique("t ")});
        if let Some(q) = qxid {
            body["qxid"] = q;
        }
        do_update(ctx, patch().json(body).signed(&staff)).await.assert_spec(UPDATE, &err::UPDATE_QXID_REQUIRED);
    }
    // Nothing to change.
    do_update(ctx, patch().json(json!({"qxid": m})).signed(&staff)).await.assert_spec(UPDATE, &err::UPDATE_NO_DATA);
    do_update(ctx, patch().json(json!({"qxid": m, "ttle": " ", "stts": ""})).signed(&staff)).await.assert_spec(UPDATE, &err::UPDATE_NO_DATA);
    // Unknown and malformed markers.
    for qxid in ["tut0123456789abcdef0123456789abcdef", "tut_123456789", "x"] {
        do_update(ctx, patch().json(json!({"qxid": qxid, "ttle": unique("t ")})).signed(&staff)).await.assert_spec(UPDATE, &err::UPDATE_NOT_FOUND);
    }
    // The URL and status rules of create.
    for vurl in ["http://example.com/v.mp4", "javascript:alert(1)", "data:video/mp4;base64,AAAA"] {
        do_update(ctx, patch().json(json!({"qxid": m, "vurl": vurl})).signed(&staff)).await.assert_spec(UPDATE, &err::VURL_INVALID);
        do_update(ctx, patch().json(json!({"qxid": m, "purl": vurl})).signed(&staff)).await.assert_spec(UPDATE, &err::PURL_INVALID);
    }
    for stts in [json!("removed"), json!("active"), json!(2)] {
        do_update(ctx, patch().json(json!({"qxid": m, "stts": stts})).signed(&staff)).await.assert_spec(UPDATE, &err::STTS_INVALID);
    }
    // A bad field fails the whole request, even next to a good one.
    do_update(ctx, patch().json(json!({"qxid": m, "ttle": "fine", "purl": "ftp://x.y/z"})).signed(&staff)).await.assert_spec(UPDATE, &err::PURL_INVALID);
    let res = do_update(ctx, patch().json(json!({"qxid": m, "cntx": 7})).signed(&staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("cntx_invalid")));
    do_update(ctx, patch().raw_body(b"{oops").signed(&staff)).await.assert_spec(UPDATE, &errors::BODY_INVALID);

    assert_eq!(stored(ctx, &m).await.unwrap(), before, "no error changed the tutorial");
}

#[tokio::test]
async fn status_changes_move_a_tutorial_between_lists() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let reader = user(ctx).await;
    let m = make(ctx, &staff, "Moving", None).await;

    for (st, in_base, user_can_read) in [("draft", false, false), ("archived", false, true), ("published", true, true), ("draft", false, false)] {
        // A fresh editor each time: the same signed body twice would be a replay.
        let editor = modifier(ctx).await;
        do_update(ctx, patch().json(json!({"qxid": m, "stts": st})).signed(&editor)).await.assert_ok(UPDATE);
        let t = stored(ctx, &m).await.unwrap();
        assert_eq!(t.status.as_str(), st);
        assert_eq!(t.gsi1pk, format!("TUTORIALS#{st}"));
        assert_eq!(t.gsi2pk, "TUTORIALS");
        let base = do_fetch(ctx, Req::get(FETCH).query("rqtp=base").signed(&reader)).await;
        assert_eq!(markers(&base).contains(&m), in_base, "{st}");
        let res = do_fetch(ctx, Req::get(FETCH).query(&mk_query(&m)).signed(&reader)).await;
        assert_eq!(res.status == 200, user_can_read, "{st}: {}", res.json);
        // Staff with allowModify always read it by marker.
        do_fetch(ctx, Req::get(FETCH).query(&mk_query(&m)).signed(&staff)).await.assert_ok(FETCH);
    }
}

#[tokio::test]
async fn a_removed_tutorial_is_only_changed_by_restoring_it() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let m = make_in(ctx, &staff, &unique("Removed "), Status::Removed).await;
    let before = stored(ctx, &m).await.unwrap();
    assert_eq!(before.status, Status::Removed);

    do_update(ctx, patch().json(json!({"qxid": m, "ttle": "Edited while removed"})).signed(&staff))
        .await
        .assert_spec(UPDATE, &err::UPDATE_UNPROCESSABLE);
    assert_eq!(stored(ctx, &m).await.unwrap(), before);

    do_update(ctx, patch().json(json!({"qxid": m, "ttle": "Restored", "stts": "published"})).signed(&staff)).await.assert_ok(UPDATE);
    let t = stored(ctx, &m).await.unwrap();
    assert_eq!((t.status, t.title.as_str(), t.gsi1pk.as_str()), (Status::Published, "Restored", "TUTORIALS#published"));
    do_fetch(ctx, Req::get(FETCH).query(&mk_query(&m)).signed(&user(ctx).await)).await.assert_ok(FETCH);
}

// ----- remove -----

#[tokio::test]
async fn remove_spec_example_get_is_a_soft_delete() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let m = make(ctx, &staff, "Soon removed", None).await;
    let keep = make(ctx, &staff, "Kept", None).await;
    let editor = modifier(ctx).await;

    let signed_at = shared::clock::now_secs();
    let res = do_remove(ctx, Req::get(REMOVE).query(&format!("reqv={m}")).signed_at(&editor, signed_at)).await;
    res.assert_ok(REMOVE);
    assert_eq!(res.data(), &json!({"COMMENT": "Operation successful!"}));

    // Still in the table, hidden from users and from marker reads.
    let t = stored(ctx, &m).await.expect("a soft delete keeps the record");
    assert_eq!((t.status, t.gsi1pk.as_str()), (Status::Removed, "TUTORIALS#removed"));
    assert_eq!(t.title, "Soon removed");
    assert_eq!(count_items(ctx).await, 2);
    let reader = user(ctx).await;
    for who in [&reader, &staff] {
        do_fetch(ctx, Req::get(FETCH).query(&mk_query(&m)).signed(who)).await.assert_spec(FETCH, &err::FETCH_NOT_FOUND);
        let res = do_fetch(ctx, Req::get(FETCH).query("rqtp=base").signed(who)).await;
        assert_eq!(markers(&res), vec![keep.clone()]);
    }
    // Staff still see it in the full list, to restore it.
    let res = do_fetch(ctx, Req::get(FETCH).query("rqtp=all").signed(&staff)).await;
    assert_eq!(markers(&res), vec![keep.clone(), m.clone()]);
    assert_eq!(res.data()["result"][1]["status"], "removed");

    // Removing it again: not found (soft), but a permanent delete still purges it.
    // (signed a second earlier: the same signature again would be a replay)
    let again = Req::get(REMOVE).query(&format!("reqv={m}")).signed_at(&editor, signed_at - 5);
    do_remove(ctx, again).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
    do_remove(ctx, delete().query(&format!("reqv={m}&permanent=true")).signed(&editor)).await.assert_ok(REMOVE);
    assert!(stored(ctx, &m).await.is_none());
    assert_eq!(count_items(ctx).await, 1);
}

#[tokio::test]
async fn a_replayed_get_removal_is_refused() {
    // Remove changes state on GET too, so its signature is accepted once whatever the method.
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let m = make(ctx, &staff, "Replayed", None).await;
    let captured = Req::get(REMOVE).query(&format!("reqv={m}")).signed(&staff);
    do_remove(ctx, captured.clone()).await.assert_ok(REMOVE);
    let restore = json!({"qxid": m, "stts": "published"});
    do_update(ctx, patch().json(restore).signed(&staff)).await.assert_ok(UPDATE);
    do_remove(ctx, captured).await.assert_spec(REMOVE, &shared::errors::ACCESS_DENIED);
    assert_eq!(stored(ctx, &m).await.unwrap().status, Status::Published);
}

#[tokio::test]
async fn permanent_removal_deletes_for_good_by_delete_or_get() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let by_delete = make(ctx, &staff, "Gone by DELETE", Some("draft")).await;
    let by_get = make(ctx, &staff, "Gone by GET", Some("archived")).await;
    let soft = make(ctx, &staff, "Soft by DELETE", None).await;

    do_remove(ctx, delete().query(&format!("reqv={by_delete}&permanent=true")).signed(&staff)).await.assert_ok(REMOVE);
    do_remove(ctx, Req::get(REMOVE).query(&format!("permanent=TRUE&reqv={by_get}")).signed(&staff)).await.assert_ok(REMOVE);
    do_remove(ctx, delete().query(&format!("reqv={soft}&permanent=false")).signed(&staff)).await.assert_ok(REMOVE);

    assert!(stored(ctx, &by_delete).await.is_none());
    assert!(stored(ctx, &by_get).await.is_none());
    assert_eq!(stored(ctx, &soft).await.unwrap().status, Status::Removed);
    assert_eq!(count_items(ctx).await, 1);
    let res = do_fetch(ctx, Req::get(FETCH).query("rqtp=all").signed(&staff)).await;
    assert_eq!(markers(&res), vec![soft.clone()]);
    for m in [&by_delete, &by_get] {
        do_fetch(ctx, Req::get(FETCH).query(&mk_query(m)).signed(&staff)).await.assert_spec(FETCH, &err::FETCH_NOT_FOUND);
        do_remove(ctx, Req::get(REMOVE).query(&format!("reqv={m}&permanent=true")).signed(&staff)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
        do_update(ctx, patch().json(json!({"qxid": m, "stts": "published"})).signed(&staff)).await.assert_spec(UPDATE, &err::UPDATE_NOT_FOUND);
    }
}

#[tokio::test]
async fn remove_errors_change_nothing() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let m = make(ctx, &staff, "Stays", None).await;
    let before = stored(ctx, &m).await.unwrap();
    let q = format!("reqv={m}");

    for req in [Req::get(REMOVE), delete()] {
        do_remove(ctx, req.clone().query(&q)).await.assert_spec(REMOVE, &errors::ACCESS_DENIED);
        for who in [user(ctx).await, creator(ctx).await] {
            do_remove(ctx, req.clone().query(&q).signed(&who)).await.assert_spec(REMOVE, &err::REMOVE_PERMISSION);
            do_remove(ctx, req.clone().query(&format!("{q}&permanent=true")).signed(&who)).await.assert_spec(REMOVE, &err::REMOVE_PERMISSION);
        }
        let editor = modifier(ctx).await;
        for missing in ["", "reqv=", "reqv=%20", "permanent=true", "id=x"] {
            do_remove(ctx, req.clone().query(missing).signed(&editor)).await.assert_spec(REMOVE, &err::REMOVE_REQV_REQUIRED);
        }
        for unknown in ["tut0123456789abcdef0123456789abcdef", "tut_123456789", "faq0123456789abcdef0123456789abcdef"] {
            do_remove(ctx, req.clone().query(&format!("reqv={unknown}")).signed(&editor)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
            do_remove(ctx, req.clone().query(&format!("reqv={unknown}&permanent=true")).signed(&editor)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
        }
        for bad in ["yes", "1", "maybe"] {
            do_remove(ctx, req.clone().query(&format!("{q}&permanent={bad}")).signed(&editor)).await.assert_spec(REMOVE, &err::PERMANENT_INVALID);
        }
    }
    assert_eq!(stored(ctx, &m).await.unwrap(), before, "no error changed the tutorial");
    assert_eq!(count_items(ctx).await, 1);
}

/// Concurrent removals of one tutorial all answer cleanly and leave the right state. (DynamoDB's
/// conditional writes let exactly one succeed; moto does not lock an item between the condition
/// and the write, so two may answer 200 there, which is harmless: both write the same outcome.)
#[tokio::test]
async fn concurrent_removals_leave_a_consistent_state() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    for permanent in [false, true] {
        let m = make(ctx, &staff, &unique("Contested "), None).await;
        let mut editors = Vec::new();
        for _ in 0..6 {
            editors.push(modifier(ctx).await);
        }
        let tasks: Vec<_> = editors
            .into_iter()
            .map(|cred| {
                let q = format!("reqv={m}&permanent={permanent}");
                tokio::spawn(async move { do_remove(ctx, delete().query(&q).signed(&cred)).await.status })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                200 => ok += 1,
                404 => {}
                other => panic!("unexpected status {other}"),
            }
        }
        assert!(ok >= 1, "permanent={permanent}");
        match stored(ctx, &m).await {
            None => assert!(permanent, "a soft removal keeps the record"),
            Some(t) => {
                assert!(!permanent, "a permanent removal deletes the record");
                assert_eq!((t.status, t.gsi1pk.as_str()), (Status::Removed, "TUTORIALS#removed"));
            }
        }
        // Once removed, a soft removal is not found again.
        let late = modifier(ctx).await;
        do_remove(ctx, delete().query(&format!("reqv={m}")).signed(&late)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
    }
}

// ----- wiring -----

#[tokio::test]
async fn event_files_are_real_requests_of_their_actions() {
    let ctx = ctx().await;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../events");
    let cases = [
        ("support_tutoral_fetch.json", "GET", FETCH),
        ("control_support_tutorial_create.json", "POST", CREATE),
        ("support_tutorial_update.json", "PATCH", UPDATE),
        ("support_tutorial_remove.json", "DELETE", REMOVE),
        ("support_tutorial_remove.get.json", "GET", REMOVE),
    ];
    for (file, method, action) in cases {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap_or_else(|e| panic!("{file}: {e}"));
        let event: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(event["routeKey"], format!("{method} /{action}"), "{file}");
        assert_eq!(event["requestContext"]["http"]["method"], method, "{file}");
        let req = lambda_http::request::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let res = Res::from(match action {
            FETCH => fetch::handler(ctx, req).await,
            CREATE => create::handler(ctx, req).await,
            UPDATE => update::handler(ctx, req).await,
            _ => remove::handler(ctx, req).await,
        });
        // The stored signature is long expired: the action answers, and refuses it.
        res.assert_spec(action, &errors::ACCESS_DENIED);
    }
}
