//! Tests of the seven ticket actions: real requests against the local DynamoDB and S3.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use shared::{
    auth::{self, Credential},
    config::Limit,
    errors::{self, ticket as err},
    store::ticket as model,
    Ctx,
};

use crate::common::*;
use functions::ticket::{create, delete, details, feedback, list, respond, status};

const CREATE: &str = create::ACTION;
const LIST: &str = list::ACTION;
const DETAILS: &str = details::ACTION;
const RESPOND: &str = respond::ACTION;
const DELETE: &str = delete::ACTION;
const STATUS: &str = status::ACTION;
const FEEDBACK: &str = feedback::ACTION;
const MIB: usize = 1024 * 1024;

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

fn method(action: &str) -> &'static str {
    match action {
        CREATE | RESPOND | FEEDBACK => "POST",
        DELETE => "DELETE",
        STATUS => "PUT",
        _ => "GET",
    }
}

async fn call(ctx: &'static Ctx, action: &str, req: Req) -> Res {
    let req = req.build();
    Res::from(match action {
        CREATE => create::handler(ctx, req).await,
        LIST => list::handler(ctx, req).await,
        DETAILS => details::handler(ctx, req).await,
        RESPOND => respond::handler(ctx, req).await,
        DELETE => delete::handler(ctx, req).await,
        STATUS => status::handler(ctx, req).await,
        FEEDBACK => feedback::handler(ctx, req).await,
        other => panic!("unknown action {other}"),
    })
}

/// A signed request with a JSON body.
async fn send(ctx: &'static Ctx, action: &str, cred: &Credential, body: Value) -> Res {
    call(ctx, action, Req::new(method(action), action).json(body).signed(cred)).await
}

/// A signed GET with a raw query.
async fn get(ctx: &'static Ctx, action: &str, cred: &Credential, query: &str) -> Res {
    call(ctx, action, Req::get(action).query(query).signed(cred)).await
}

fn png(len: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
    bytes[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n");
    bytes
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn attachment(filename: &str, content_type: &str, bytes: &[u8]) -> Value {
    json!({"filename": filename, "content_type": content_type, "data": b64(bytes)})
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

fn ticket_body(subject: &str) -> Value {
    json!({"subject": subject, "message": "My payment failed and I was charged.", "category": "payment"})
}

/// Creates a ticket for `cred` and returns its id.
async fn new_ticket(ctx: &'static Ctx, cred: &Credential) -> String {
    let res = send(ctx, CREATE, cred, ticket_body(&unique("Ticket "))).await;
    res.assert_ok(CREATE);
    res.data()["ticket_id"].as_str().unwrap().to_owned()
}

async fn set_status(ctx: &'static Ctx, staff: &Credential, ticket_id: &str, to: &str) {
    send(ctx, STATUS, staff, json!({"ticket_id": ticket_id, "status": to, "notify_user": false})).await.assert_ok(STATUS);
}

async fn stored_ticket(ctx: &Ctx, ticket_id: &str) -> Option<model::Ticket> {
    get_item(ctx, &ctx.config.tables.tickets, &model::pk(ticket_id), Some(model::TICKET_SK)).await.map(|i| model::Ticket::from_item(i).unwrap())
}

/// Every record of the ticket's item collection.
async fn collection(ctx: &Ctx, ticket_id: &str) -> Vec<shared::store::Item> {
    model::collection(ctx, ticket_id, "").await.unwrap()
}

async fn s3_keys(ctx: &Ctx, prefix: &str) -> Vec<String> {
    let out = ctx.s3.list_objects_v2().bucket(&ctx.config.bucket).prefix(prefix).send().await.unwrap();
    out.contents().iter().filter_map(|o| o.key().map(str::to_owned)).collect()
}

/// Every record of a table (isolated contexts only).
async fn scan(ctx: &Ctx) -> Vec<shared::store::Item> {
    ctx.ddb.scan().table_name(&ctx.config.tables.tickets).send().await.unwrap().items.unwrap_or_default()
}

/// A plain HTTP/1.1 GET (moto serves pre-signed URLs over http): status, headers, body.
async fn http_get(url: String) -> (u16, HashMap<String, String>, Vec<u8>) {
    tokio::task::spawn_blocking(move || {
        let rest = url.strip_prefix("http://").expect("the stand-in serves http");
        let slash = rest.find('/').unwrap();
        let (host, path) = rest.split_at(slash);
        let mut stream = std::net::TcpStream::connect(host).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("header end");
        let head = String::from_utf8_lossy(&raw[..end]).into_owned();
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers: HashMap<String, String> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let mut body = raw[end + 4..].to_vec();
        if headers.get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            let mut out = Vec::new();
            let mut rest = &body[..];
            loop {
                let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
                let size = usize::from_str_radix(String::from_utf8_lossy(&rest[..line_end]).split(';').next().unwrap().trim(), 16).unwrap();
                if size == 0 {
                    break;
                }
                out.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
                rest = &rest[line_end + 2 + size + 2..];
            }
            body = out;
        }
        (status, headers, body)
    })
    .await
    .unwrap()
}

/// Decoded query parameters of a URL.
fn url_query(url: &str) -> HashMap<String, String> {
    auth::decode_query(url.split_once('?').map(|(_, q)| q).unwrap_or("")).into_iter().collect()
}

// ------------------------------------------------------------------------------------------
// Create
// ------------------------------------------------------------------------------------------

fn spec_create_example(attachments: Value) -> Value {
    json!({
        "subject": "Cannot access my account after password reset",
        "message": "I recently reset my password after receiving a suspicious email, but now I'm unable to log in to my account. I've tried resetting my password again, but I'm not receiving the reset email. Please help me regain access to my account.",
        "category": "account",
        "priority": "high",
        "attachments": attachments
    })
}

#[tokio::test]
async fn create_spec_example_stores_ticket_message_and_file() {
    let ctx = ctx().await;
    let user = user(ctx).await;
    let bytes = png(153_422);
    let res = send(ctx, CREATE, &user, spec_create_example(json!([attachment("error_screenshot.png", "image/png", &bytes)]))).await;
    res.assert_ok(CREATE);
    let d = res.data();
    let id = d["ticket_id"].as_str().unwrap().to_owned();
    assert!(shared::ids::is_short_id(&id, "tkt_"), "{id}");
    assert_eq!(d["subject"], "Cannot access my account after password reset");
    assert_eq!(d["category"], "account");
    assert_eq!(d["status"], "open");
    assert_eq!(d["priority"], "high");
    assert_eq!(d["message"], "Thank you for contacting support. Your ticket has been created and a support representative will respond shortly.");
    let created_at = d["created_at"].as_str().unwrap();
    assert!(created_at.ends_with('Z') && created_at.len() == 20, "{created_at}");
    let reference = d["reference_number"].as_str().unwrap();
    assert!(reference.starts_with(&format!("MP-{}-", &created_at[..10])) && reference.len() == 20, "{reference}");
    assert!(reference[14..].bytes().all(|b| b.is_ascii_digit()));

    // Stored state: the ticket, its opening message with the file's metadata, the object.
    let ticket = stored_ticket(ctx, &id).await.expect("ticket stored");
    assert_eq!(ticket.user_id, user.user_id);
    assert_eq!(ticket.reference_number, reference);
    assert_eq!((ticket.public_replies, ticket.public_attachments), (0, 1));
    let messages = model::messages(ctx, &id).await.unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].kind, "user");
    assert_eq!(messages[0].content, spec_create_example(json!([]))["message"]);
    let file = &messages[0].attachments[0];
    assert_eq!((file.filename.as_str(), file.content_type.as_str(), file.size), ("error_screenshot.png", "image/png", 153_422));
    assert_eq!(file.key, format!("tickets/{id}/{}", file.id));
    assert_eq!(s3_keys(ctx, &format!("tickets/{id}/")).await, vec![file.key.clone()]);
}

#[tokio::test]
async fn attachment_reads_back_identical_through_its_presigned_url() {
    let ctx = ctx().await;
    let user = user(ctx).await;
    let bytes = png(300_001);
    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let body = spec_create_example(json!([
        attachment("../../etc/scr\u{0007}een shot.png", "image/png", &bytes),
        attachment("statement.pdf", "application/pdf", &pdf),
    ]));
    let id = send(ctx, CREATE, &user, body).await.data()["ticket_id"].as_str().unwrap().to_owned();

    let res = get(ctx, DETAILS, &user, &format!("ticket_id={id}")).await;
    res.assert_ok(DETAILS);
    let files = res.data()["messages"][0]["attachments"].as_array().unwrap().clone();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["filename"], "screen shot.png", "path parts and control characters are removed");
    assert_eq!(files[0]["type"], "image");
    assert_eq!(files[0]["content_type"], "image/png");
    assert_eq!(files[0]["size"], 300_001);
    assert!(files[0]["id"].as_str().unwrap().starts_with("att_"));
    assert_eq!(files[1]["type"], "document");

    for (file, expected) in [(&files[0], &bytes), (&files[1], &pdf)] {
        let url = file["url"].as_str().unwrap().to_owned();
        let q = url_query(&url);
        assert_eq!(q["X-Amz-Expires"], "86400", "{url}");
        assert!(q["response-content-disposition"].starts_with("attachment;"), "{url}");
        let (status, headers, body) = http_get(url).await;
        assert_eq!(status, 200);
        assert_eq!(body.len(), expected.len());
        assert_eq!(sha256(&body), sha256(expected));
        assert!(headers.get("content-disposition").is_some_and(|v| v.starts_with("attachment")), "{headers:?}");
    }
}

#[tokio::test]
async fn create_answers_every_listed_error() {
    let ctx = ctx().await;
    let user = user(ctx).await;
    let good = || spec_create_example(json!([]));

    // 401: unsigned, and signed by an unknown key.
    call(ctx, CREATE, Req::post(CREATE).json(good())).await.assert_spec(CREATE, &errors::ACCESS_DENIED);
    let mut stranger = user.clone();
    stranger.public_key = unique("pk_");
    call(ctx, CREATE, Req::post(CREATE).json(good()).signed(&stranger)).await.assert_spec(CREATE, &errors::ACCESS_DENIED);

    let cases: Vec<(Value, errors::Spec)> = vec![
        (json!({"message": "m", "category": "account"}), err::CREATE_SUBJECT_REQUIRED),
        (json!({"subject": "  ", "message": "m", "category": "account"}), err::CREATE_SUBJECT_REQUIRED),
        (json!({"subject": "s", "category": "account"}), err::CREATE_MESSAGE_REQUIRED),
        (json!({"subject": "s", "message": "m"}), err::CREATE_CATEGORY_REQUIRED),
        (json!({"subject": "s", "message": "m", "category": "billing"}), err::CREATE_CATEGORY_INVALID),
        (json!({"subject": "s", "message": "m", "category": "service"}), err::CREATE_CATEGORY_INVALID),
        (json!({"subject": "s", "message": "m", "category": "account", "priority": "critical"}), err::CREATE_PRIORITY_INVALID),
        (json!({"subject": "s", "message": "m", "category": "account", "priority": "urgent"}), err::CREATE_PRIORITY_INVALID),
    ];
    for (body, spec) in cases {
        send(ctx, CREATE, &user, body.clone()).await.assert_spec(CREATE, &spec);
    }
    let res = send(ctx, CREATE, &user, json!({"subject": "s", "message": "m", "category": "account", "transaction_id": "t".repeat(65)})).await;
    res.assert_error(CREATE, 400, &errors::ApiError::field_too_long("transaction_id", 64).details, Some("transaction_id_too_long"));
    let res = send(ctx, CREATE, &user, json!({"subject": 5, "message": "m", "category": "account"})).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("subject_invalid")));
    call(ctx, CREATE, Req::post(CREATE).raw_body(b"{not json").signed(&user)).await.assert_spec(CREATE, &errors::BODY_INVALID);

    // Attachments.
    let with = |atts: Value| spec_create_example(atts);
    let p = png(64);
    let attachment_cases: Vec<(Value, errors::Spec)> = vec![
        (json!([{"filename": "a.png", "content_type": "image/png", "data": "@@not base64@@"}]), err::ATTACHMENT_DATA_INVALID),
        (json!(vec![attachment("a.png", "image/png", &p); 6]), err::ATTACHMENTS_TOO_MANY),
        (json!([attachment("a.png", "image/jpeg", &p)]), err::ATTACHMENT_TYPE_MISMATCH),
        (json!([attachment("a.pdf", "application/pdf", &p)]), err::ATTACHMENT_TYPE_MISMATCH),
        (json!([attachment("a.exe", "application/x-msdownload", b"MZ\x90\0")]), err::ATTACHMENT_TYPE_UNSUPPORTED),
        (json!([attachment("../", "image/png", &p)]), err::ATTACHMENT_FILENAME_INVALID),
        (json!([{"filename": "a.png", "content_type": "image/png"}]), err::ATTACHMENTS_INVALID),
        (json!(["a.png"]), err::ATTACHMENTS_INVALID),
    ];
    for (atts, spec) in attachment_cases {
        send(ctx, CREATE, &user, with(atts)).await.assert_spec(CREATE, &spec);
    }
    let res = send(ctx, CREATE, &user, with(json!("a.png"))).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("attachments_invalid")));

    // None of the refused requests stored anything for this user.
    let res = get(ctx, LIST, &user, "").await;
    res.assert_ok(LIST);
    assert_eq!(res.data()["result"], json!([]));
    // Five attachments are fine.
    let res = send(ctx, CREATE, &user, with(json!(vec![attachment("a.png", "image/png", &p); 5]))).await;
    res.assert_ok(CREATE);
}

#[tokio::test]
async fn ten_mib_is_accepted_and_one_byte_more_is_refused() {
    let ctx = ctx().await;
    let user = user(ctx).await;
    let exact = png(10 * MIB);
    let res = send(ctx, CREATE, &user, spec_create_example(json!([attachment("big.png", "image/png", &exact)]))).await;
    res.assert_ok(CREATE);
    let id = res.data()["ticket_id"].as_str().unwrap().to_owned();
    let file = model::messages(ctx, &id).await.unwrap()[0].attachments[0].clone();
    assert_eq!(file.size, 10 * MIB as u64);
    assert_eq!(file.sha256, sha256(&exact));
    drop(exact);

    let over = png(10 * MIB + 1);
    let res = send(ctx, CREATE, &user, spec_create_example(json!([attachment("big.png", "image/png", &over)]))).await;
    res.assert_error(CREATE, 413, "Attachment exceeds maximum size limit of 10MB (MPS572981346528970)", None);
    drop(over);
    // Respond has the same limit with its own number.
    let over = png(10 * MIB + 1);
    let res = send(ctx, RESPOND, &user, json!({"ticket_id": id, "message": "more", "attachments": [attachment("big.png", "image/png", &over)]})).await;
    res.assert_error(RESPOND, 413, "Attachment exceeds maximum size limit of 10MB (MPS428965713542896)", None);
    assert_eq!(s3_keys(ctx, &format!("tickets/{id}/")).await, vec![file.key]);
    assert_eq!(stored_ticket(ctx, &id).await.unwrap().public_replies, 0);
}

#[tokio::test]
async fn one_good_and_one_bad_attachment_leave_nothing_behind() {
    let ctx = isolated_ctx().await;
    let user = user(ctx).await;
    let good = attachment("ok.png", "image/png", &png(2048));
    let bads = [
        json!({"filename": "bad.png", "content_type": "image/png", "data": "%%%"}),
        attachment("bad.png", "image/gif", &png(100)),
        attachment("..", "image/png", &png(100)),
    ];
    for bad in bads {
        let res = send(ctx, CREATE, &user, spec_create_example(json!([good.clone(), bad]))).await;
        assert_eq!(res.status, 400, "{}", res.json);
    }
    let over = json!({"filename": "big.png", "content_type": "image/png", "data": b64(&png(10 * MIB + 1))});
    let res = send(ctx, CREATE, &user, spec_create_example(json!([good.clone(), over]))).await;
    assert_eq!(res.status, 413);
    assert_eq!(scan(ctx).await.len(), 0, "no ticket, message or counter");
    assert!(s3_keys(ctx, "").await.is_empty(), "no object");

    // Same for a reply.
    let id = new_ticket(ctx, &user).await;
    let res = send(ctx, RESPOND, &user, json!({"ticket_id": id, "message": "m", "attachments": [good, {"filename": "b.png", "content_type": "image/png", "data": "!"}]})).await;
    res.assert_spec(RESPOND, &err::ATTACHMENT_DATA_INVALID);
    assert_eq!(model::messages(ctx, &id).await.unwrap().len(), 1);
    assert!(s3_keys(ctx, "").await.is_empty());
}

#[tokio::test]
async fn uploads_of_a_request_whose_record_fails_are_removed() {
    // Limit 1: concurrent creates pass the early check and upload their files; the transaction
    // refuses all but the first, and a refused request must remove what it uploaded.
    // (The stand-in handles one request at a time, as DynamoDB serialises transactions.)
    let ctx = isolated_ctx_with(|c| c.limits.ticket_create_per_user = Limit { max: 1, window: 3600 }).await;
    let user = user(ctx).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..6 {
        let user = user.clone();
        tasks.spawn(async move {
            let body = json!({"subject": format!("race {i}"), "message": "m", "category": "technical",
                              "attachments": [attachment("a.png", "image/png", &png(4096)), attachment("b.png", "image/png", &png(1000))]});
            send(ctx, CREATE, &user, body).await
        });
    }
    let mut ok = Vec::new();
    let mut refused = 0;
    while let Some(res) = tasks.join_next().await {
        let res = res.unwrap();
        match res.status {
            200 => ok.push(res.data()["ticket_id"].as_str().unwrap().to_owned()),
            429 => {
                res.assert_spec(CREATE, &err::CREATE_RATE_LIMITED);
                assert!(res.headers.contains_key("retry-after"));
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", res.json),
        }
    }
    assert_eq!((ok.len(), refused), (1, 5));
    let keys = s3_keys(ctx, "").await;
    for key in &keys {
        assert!(ok.iter().any(|id| key.starts_with(&format!("tickets/{id}/"))), "object of a refused request left: {key}");
    }
    assert_eq!(keys.len(), 2, "only the accepted ticket's two objects: {keys:?}");
    let records: HashSet<String> =
        scan(ctx).await.iter().map(|i| i["pk"].as_s().unwrap().clone()).filter(|p| p.starts_with("TICKET#")).collect();
    assert_eq!(records, HashSet::from([model::pk(&ok[0])]), "no record of a refused request");
    assert_eq!(model::messages(ctx, &ok[0]).await.unwrap().len(), 1);
}

#[tokio::test]
async fn create_is_rate_limited_per_user() {
    let ctx = isolated_ctx_with(|c| c.limits.ticket_create_per_user = Limit { max: 2, window: 600 }).await;
    let (a, b) = (user(ctx).await, user(ctx).await);
    new_ticket(ctx, &a).await;
    new_ticket(ctx, &a).await;
    let res = send(ctx, CREATE, &a, ticket_body("third")).await;
    res.assert_error(CREATE, 429, "Too many tickets created recently. Please wait before creating another ticket. (MPS795634218795412)", None);
    let retry: u64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=600).contains(&retry));
    // Nothing stored for the refused one; another user is not affected.
    assert_eq!(get(ctx, LIST, &a, "").await.data()["result"].as_array().unwrap().len(), 2);
    new_ticket(ctx, &b).await;
}

#[tokio::test]
async fn twenty_concurrent_creates_get_twenty_reference_numbers() {
    let ctx = isolated_ctx_with(|c| c.limits.ticket_create_per_user = Limit { max: 100, window: 600 }).await;
    let user = user(ctx).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let user = user.clone();
        tasks.spawn(async move { send(ctx, CREATE, &user, ticket_body(&format!("concurrent {i}"))).await });
    }
    let mut refs = HashSet::new();
    let mut ids = HashSet::new();
    while let Some(res) = tasks.join_next().await {
        let res = res.unwrap();
        res.assert_ok(CREATE);
        refs.insert(res.data()["reference_number"].as_str().unwrap().to_owned());
        ids.insert(res.data()["ticket_id"].as_str().unwrap().to_owned());
    }
    assert_eq!((refs.len(), ids.len()), (20, 20));
    // Stored numbers are the answered ones.
    let mut stored = HashSet::new();
    for id in &ids {
        stored.insert(stored_ticket(ctx, id).await.unwrap().reference_number);
    }
    assert_eq!(stored, refs);
    // All of one day, 1..=20 (isolated counter).
    let mut seq: Vec<u32> = refs.iter().map(|r| r[14..].parse().unwrap()).collect();
    seq.sort();
    assert_eq!(seq, (1..=20).collect::<Vec<_>>());
}

// ------------------------------------------------------------------------------------------
// List
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_spec_example_returns_own_tickets_newest_first() {
    let ctx = ctx().await;
    let (a, b) = (user(ctx).await, user(ctx).await);
    let first = new_ticket(ctx, &a).await;
    let body = json!({"subject": "Failed transaction not refunded", "message": "I made a payment for electricity but the transaction failed and I haven't received a refund yet. The transaction ID is txn_987654321.",
                      "category": "payment", "priority": "high", "transaction_id": "txn_987654321",
                      "attachments": [attachment("s.png", "image/png", &png(100))]});
    let second = send(ctx, CREATE, &a, body).await.data()["ticket_id"].as_str().unwrap().to_owned();
    new_ticket(ctx, &b).await;

    let res = get(ctx, LIST, &a, "status=open&limit=10&page=1").await;
    res.assert_ok(LIST);
    let result = res.data()["result"].as_array().unwrap();
    assert_eq!(result.len(), 2);
    assert_eq!(result[0]["ticket_id"], second);
    assert_eq!(result[1]["ticket_id"], first);
    let t = &result[0];
    assert_eq!(t["subject"], "Failed transaction not refunded");
    assert_eq!(t["category"], "payment");
    assert_eq!(t["priority"], "high");
    assert_eq!(t["status"], "open");
    assert!(t["message"].as_str().unwrap().starts_with("I made a payment for electricity but the transaction failed"));
    assert_eq!(t["transaction_id"], "txn_987654321");
    assert_eq!(t["has_attachments"], true);
    assert_eq!(t["response_count"], 0);
    assert_eq!(t["created_at"], t["updated_at"]);
    assert_eq!(result[1]["transaction_id"], Value::Null);
    assert_eq!(result[1]["has_attachments"], false);
    assert!(t.get("user_id").is_none());
    assert_eq!(res.data()["pagination"], "");
}

#[tokio::test]
async fn list_answers_the_listed_errors() {
    let ctx = ctx().await;
    let user = user(ctx).await;
    call(ctx, LIST, Req::get(LIST)).await.assert_spec(LIST, &errors::ACCESS_DENIED);
    for q in ["start_date=yesterday", "end_date=2023-13-45", "start_date=15%2F06%2F2023", "end_date=1686853822"] {
        get(ctx, LIST, &user, q).await.assert_error(LIST, 400, "Invalid date format. Date should be in ISO 8601 format (MPS572981346528970)", None);
    }
    for q in ["status=done", "status=OPENED", "status=in%20progress"] {
        get(ctx, LIST, &user, q).await.assert_error(LIST, 400, "Invalid status value. Allowed values: open, pending, resolved, closed (MPS795634218795412)", None);
    }
    for q in ["limit=0", "limit=101", "limit=abc", "limit=-5"] {
        get(ctx, LIST, &user, q).await.assert_spec(LIST, &err::LIST_LIMIT_INVALID);
    }
    get(ctx, LIST, &user, "category=food").await.assert_spec(LIST, &err::LIST_CATEGORY_INVALID);
    get(ctx, LIST, &user, "start_date=2023-06-02&end_date=2023-06-01").await.assert_spec(LIST, &err::LIST_DATE_RANGE_INVALID);
    get(ctx, LIST, &user, "page=garbage").await.assert_spec(LIST, &errors::INVALID_PAGINATION);
    for q in ["limit=1", "limit=100", "status=pending", "status=in_progress", "category=service", "start_date=2023-06-15&end_date=2023-06-15"] {
        get(ctx, LIST, &user, q).await.assert_ok(LIST);
    }
}

#[tokio::test]
async fn filtered_lists_return_full_pages_and_tokens_are_bound_to_their_query() {
    let ctx = isolated_ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let mut ids = Vec::new();
    for i in 0..9 {
        let id = new_ticket(ctx, &owner).await;
        if i % 3 == 0 {
            set_status(ctx, &staff, &id, "in_progress").await;
        }
        ids.push(id);
    }
    // in_progress: tickets 0, 3, 6 — newest first, pages of 2 although most items are filtered out.
    let want: Vec<&String> = vec![&ids[6], &ids[3], &ids[0]];
    let res = get(ctx, LIST, &owner, "status=pending&limit=2").await;
    res.assert_ok(LIST);
    let page1: Vec<Value> = res.data()["result"].as_array().unwrap().iter().map(|t| t["ticket_id"].clone()).collect();
    assert_eq!(page1, vec![json!(want[0]), json!(want[1])]);
    let token = res.data()["pagination"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());

    // The token belongs to this query only.
    let res = get(ctx, LIST, &owner, &format!("status=open&limit=2&page={token}")).await;
    res.assert_spec(LIST, &errors::INVALID_PAGINATION);
    let res = get(ctx, LIST, &staff, &format!("status=pending&limit=2&page={token}")).await;
    res.assert_spec(LIST, &errors::INVALID_PAGINATION);

    let res = get(ctx, LIST, &owner, &format!("status=pending&limit=3&page={token}")).await;
    res.assert_spec(LIST, &errors::INVALID_PAGINATION);
    // `pending` is `in_progress`: the same query.
    let res = get(ctx, LIST, &owner, &format!("status=in_progress&limit=2&page={token}")).await;
    res.assert_ok(LIST);
    assert_eq!(res.data()["result"].as_array().unwrap().iter().map(|t| t["ticket_id"].clone()).collect::<Vec<_>>(), vec![json!(want[2])]);
    assert_eq!(res.data()["pagination"], "");

    // open: 6 tickets in full pages of 4 then 2, no repeats.
    let res = get(ctx, LIST, &owner, "status=open&limit=4").await;
    let a: Vec<Value> = res.data()["result"].as_array().unwrap().iter().map(|t| t["ticket_id"].clone()).collect();
    assert_eq!(a.len(), 4);
    let token = res.data()["pagination"].as_str().unwrap().to_owned();
    let res = get(ctx, LIST, &owner, &format!("status=open&limit=4&page={token}")).await;
    let b: Vec<Value> = res.data()["result"].as_array().unwrap().iter().map(|t| t["ticket_id"].clone()).collect();
    assert_eq!(b.len(), 2);
    let all: HashSet<Value> = a.into_iter().chain(b).collect();
    assert_eq!(all.len(), 6);

    // Category filter, and staff see everyone's tickets.
    let other = user(ctx).await;
    let res = send(ctx, CREATE, &other, json!({"subject": "s", "message": "m", "category": "technical"})).await;
    let tech = res.data()["ticket_id"].clone();
    let res = get(ctx, LIST, &staff, "category=technical").await;
    assert_eq!(res.data()["result"].as_array().unwrap().iter().map(|t| t["ticket_id"].clone()).collect::<Vec<_>>(), vec![tech]);
    assert_eq!(res.data()["result"][0]["user_id"], json!(other.user_id));
    assert_eq!(get(ctx, LIST, &staff, "limit=100").await.data()["result"].as_array().unwrap().len(), 10);
    assert_eq!(get(ctx, LIST, &owner, "category=technical").await.data()["result"], json!([]));
    let viewer = credential(ctx, auth::ROLE_STAFF, &["ticketControl.allowView"]).await;
    assert_eq!(get(ctx, LIST, &viewer, "limit=100").await.data()["result"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn date_filters_cover_whole_days_and_take_offsets() {
    let ctx = ctx().await;
    let user = user(ctx).await;
    let id = new_ticket(ctx, &user).await;
    let created = stored_ticket(ctx, &id).await.unwrap().created_at;
    let day = &created[..10];
    let ids = |res: Res| res.data()["result"].as_array().unwrap().iter().map(|t| t["ticket_id"].as_str().unwrap().to_owned()).collect::<Vec<_>>();

    // A date-only end covers the whole day.
    assert_eq!(ids(get(ctx, LIST, &user, &format!("start_date={day}&end_date={day}")).await), vec![id.clone()]);
    assert_eq!(ids(get(ctx, LIST, &user, &format!("end_date={day}")).await), vec![id.clone()]);
    // Offsets: `+` sent unencoded arrives as a space and still parses; `%2B` and `Z` too.
    let t = time::OffsetDateTime::parse(&created, &time::format_description::well_known::Rfc3339).unwrap();
    let plus2 = t.to_offset(time::macros::offset!(+2));
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let local = plus2.format(&fmt).unwrap();
    assert_eq!(ids(get(ctx, LIST, &user, &format!("start_date={local}+02:00")).await), vec![id.clone()]);
    let after = (t + time::Duration::seconds(1)).to_offset(time::macros::offset!(+2)).format(&fmt).unwrap();
    assert_eq!(ids(get(ctx, LIST, &user, &format!("start_date={local}%2B02:00&end_date={after}%2B02:00")).await), vec![id.clone()]);
    assert_eq!(ids(get(ctx, LIST, &user, &format!("start_date={after}+02:00")).await), Vec::<String>::new());
    let before = (t - time::Duration::seconds(1)).format(&fmt).unwrap();
    assert_eq!(ids(get(ctx, LIST, &user, &format!("end_date={before}Z")).await), Vec::<String>::new());
    assert_eq!(ids(get(ctx, LIST, &user, "start_date=2000-01-01&end_date=2000-12-31").await), Vec::<String>::new());
}

// ------------------------------------------------------------------------------------------
// Details
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn details_spec_example_shows_the_conversation_oldest_first() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let body = json!({"subject": "Failed transaction not refunded", "message": "I made a payment for electricity but the transaction failed and I haven't received a refund yet. The transaction ID is txn_987654321.",
                      "category": "payment", "priority": "high", "transaction_id": "txn_987654321",
                      "attachments": [attachment("screenshot.jpg", "image/jpeg", b"\xFF\xD8\xFF\xE0 jpeg bytes")]});
    let id = send(ctx, CREATE, &owner, body).await.data()["ticket_id"].as_str().unwrap().to_owned();
    let reply = "Thank you for reporting this issue. I can see that the transaction failed due to a temporary system error.";
    send(ctx, RESPOND, &staff, json!({"ticket_id": id, "message": reply, "update_status": "in_progress"})).await.assert_ok(RESPOND);

    let res = get(ctx, DETAILS, &owner, &format!("ticket_id={id}")).await;
    res.assert_ok(DETAILS);
    let t = &res.data()["ticket"];
    assert_eq!(t["ticket_id"], id);
    assert_eq!(t["subject"], "Failed transaction not refunded");
    assert_eq!(t["category"], "payment");
    assert_eq!(t["priority"], "high");
    assert_eq!(t["status"], "in_progress");
    assert_eq!(t["transaction_id"], "txn_987654321");
    assert_eq!(t["estimated_resolution_time"], "24 hours");
    assert!(t["updated_at"].as_str().unwrap() >= t["created_at"].as_str().unwrap());
    let m = res.data()["messages"].as_array().unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0]["type"], "user");
    assert_eq!(m[0]["ticket_id"], id);
    assert!(m[0].get("staff_name").is_none());
    assert_eq!(m[0]["attachments"][0]["filename"], "screenshot.jpg");
    assert_eq!(m[0]["attachments"][0]["content_type"], "image/jpeg");
    assert_eq!(m[1]["type"], "support");
    assert_eq!(m[1]["content"], reply);
    assert_eq!(m[1]["staff_name"], "Sarah Johnson");
    assert_eq!(m[1]["attachments"], json!([]));
    assert!(m[1]["message_id"].as_str().unwrap().starts_with("msg_"));
    assert!(m[0]["created_at"].as_str() <= m[1]["created_at"].as_str());
    assert!(m[0].get("internal").is_none());

    // Without a transaction: null. Priorities map to resolution times.
    let plain = new_ticket(ctx, &owner).await;
    let res = get(ctx, DETAILS, &owner, &format!("ticket_id={plain}")).await;
    assert_eq!(res.data()["ticket"]["transaction_id"], Value::Null);
    assert_eq!(res.data()["ticket"]["estimated_resolution_time"], "48 hours");
    for (priority, eta) in [("critical", "4 hours"), ("low", "72 hours"), ("high", "24 hours")] {
        send(ctx, RESPOND, &staff, json!({"ticket_id": plain, "message": "adjusting", "update_priority": priority})).await.assert_ok(RESPOND);
        let res = get(ctx, DETAILS, &owner, &format!("ticket_id={plain}")).await;
        assert_eq!(res.data()["ticket"]["estimated_resolution_time"], eta);
    }
}

#[tokio::test]
async fn details_answers_the_listed_errors() {
    let ctx = ctx().await;
    let (owner, other) = (user(ctx).await, user(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    call(ctx, DETAILS, Req::get(DETAILS).query(&format!("ticket_id={id}"))).await.assert_spec(DETAILS, &errors::ACCESS_DENIED);
    let not_found = "Ticket not found (MPS572981346528970)";
    let long = format!("ticket_id=tkt_{}", "0".repeat(300));
    for q in ["ticket_id=tkt_0123456789abcdef01234567", "ticket_id=tkt_123456789", "ticket_id=ticket_987654321", "ticket_id=TKT_0123456789ABCDEF01234567", &long] {
        get(ctx, DETAILS, &owner, q).await.assert_error(DETAILS, 404, not_found, None);
    }
    get(ctx, DETAILS, &other, &format!("ticket_id={id}")).await.assert_error(
        DETAILS,
        403,
        "You do not have permission to access this ticket (MPS684521365987412)",
        None,
    );
    get(ctx, DETAILS, &owner, "").await.assert_spec(DETAILS, &err::TICKET_ID_REQUIRED);
    // A staff member without ticketControl.allowView is just another user.
    let modifier = credential(ctx, auth::ROLE_STAFF, &["ticketControl.allowModify"]).await;
    get(ctx, DETAILS, &modifier, &format!("ticket_id={id}")).await.assert_spec(DETAILS, &err::DETAILS_FORBIDDEN);
    let viewer = credential(ctx, auth::ROLE_STAFF, &["ticketControl.allowView"]).await;
    get(ctx, DETAILS, &viewer, &format!("ticket_id={id}")).await.assert_ok(DETAILS);
}

// ------------------------------------------------------------------------------------------
// Respond
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn respond_spec_examples_for_user_and_staff() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    let before = stored_ticket(ctx, &id).await.unwrap();

    let shot = png(5000);
    let res = send(ctx, RESPOND, &owner, json!({"ticket_id": id, "message": "Thank you for your assistance! The solution you provided worked perfectly. I can now access my account without any issues.",
        "attachments": [attachment("screenshot_working.png", "image/png", &shot)]})).await;
    res.assert_ok(RESPOND);
    let d = res.data();
    assert_eq!(d["success"], true);
    assert_eq!(d["ticket_id"], id);
    assert!(d["message_id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!((d["ticket_status"].as_str(), d["ticket_priority"].as_str()), (Some("open"), Some("medium")));
    assert!(d["created_at"].as_str().unwrap().ends_with('Z'));

    let res = send(ctx, RESPOND, &staff, json!({"ticket_id": id, "message": "I'm glad to hear the solution worked for you! If you experience any further issues, please don't hesitate to reach out again.",
        "update_status": "resolved", "update_priority": "low", "internal_note": false})).await;
    res.assert_ok(RESPOND);
    assert_eq!((res.data()["ticket_status"].as_str(), res.data()["ticket_priority"].as_str()), (Some("resolved"), Some("low")));

    let t = stored_ticket(ctx, &id).await.unwrap();
    assert_eq!((t.status.as_str(), t.priority.as_str()), ("resolved", "low"));
    assert_eq!((t.public_replies, t.internal_notes, t.public_attachments), (2, 0, 1));
    assert!(t.updated_at >= before.updated_at);
    assert_eq!(t.updated_by.as_deref(), Some(staff.user_id.as_str()));
    let messages = model::messages(ctx, &id).await.unwrap();
    assert_eq!(messages.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(), vec!["user", "user", "support"]);
    assert_eq!(messages[1].attachments[0].sha256, sha256(&shot));
    assert_eq!(messages[2].staff_name.as_deref(), Some("Sarah Johnson"));

    let listed = get(ctx, LIST, &owner, "").await;
    let entry = &listed.data()["result"][0];
    assert_eq!((entry["response_count"].as_i64(), entry["has_attachments"].as_bool()), (Some(2), Some(true)));
    assert_eq!(entry["updated_at"], json!(t.updated_at));
}

#[tokio::test]
async fn respond_answers_the_listed_errors() {
    let ctx = ctx().await;
    let (owner, other, staff) = (user(ctx).await, user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    let msg = |extra: Value| {
        let mut body = json!({"ticket_id": id, "message": "hello"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };

    call(ctx, RESPOND, Req::post(RESPOND).json(msg(json!({})))).await.assert_spec(RESPOND, &errors::ACCESS_DENIED);
    send(ctx, RESPOND, &other, msg(json!({}))).await.assert_error(RESPOND, 403, "You do not have permission to respond to this ticket (MPS475893156247896)", None);
    for extra in [json!({"update_status": "resolved"}), json!({"update_priority": "high"}), json!({"internal_note": true})] {
        send(ctx, RESPOND, &owner, msg(extra)).await.assert_spec(RESPOND, &err::RESPOND_FORBIDDEN);
    }
    for bad in ["tkt_0123456789abcdef01234567", "ticket_987654321"] {
        send(ctx, RESPOND, &owner, json!({"ticket_id": bad, "message": "m"})).await.assert_error(RESPOND, 404, "Ticket not found (MPS675239418596743)", None);
    }
    send(ctx, RESPOND, &owner, json!({"ticket_id": id})).await.assert_error(RESPOND, 400, "Missing required field: message (MPS572981346528970)", None);
    send(ctx, RESPOND, &owner, json!({"message": "m"})).await.assert_spec(RESPOND, &err::TICKET_ID_REQUIRED);
    send(ctx, RESPOND, &staff, msg(json!({"update_status": "pending"}))).await.assert_error(RESPOND, 400, "Invalid ticket status value (MPS795634218795412)", None);
    send(ctx, RESPOND, &staff, msg(json!({"update_priority": "urgent"}))).await.assert_spec(RESPOND, &err::RESPOND_PRIORITY_INVALID);
    let res = send(ctx, RESPOND, &staff, msg(json!({"internal_note": "yes"}))).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("internal_note_invalid")));
    // A viewer without allowModify may read but not answer another user's ticket.
    let viewer = credential(ctx, auth::ROLE_STAFF, &["ticketControl.allowView"]).await;
    send(ctx, RESPOND, &viewer, msg(json!({}))).await.assert_spec(RESPOND, &err::RESPOND_FORBIDDEN);
    // Nothing of the refused requests was stored.
    let t = stored_ticket(ctx, &id).await.unwrap();
    assert_eq!((t.public_replies, t.internal_notes, t.status.as_str(), t.priority.as_str()), (0, 0, "open", "medium"));
    assert_eq!(model::messages(ctx, &id).await.unwrap().len(), 1);

    // Closed tickets take no reply, from anyone.
    send(ctx, RESPOND, &staff, msg(json!({"update_status": "closed"}))).await.assert_ok(RESPOND);
    send(ctx, RESPOND, &owner, msg(json!({}))).await.assert_error(RESPOND, 409, "This ticket is closed and cannot receive new replies (MPS428965713543554)", None);
    send(ctx, RESPOND, &staff, msg(json!({"update_status": "open"}))).await.assert_spec(RESPOND, &err::RESPOND_CLOSED);
    assert_eq!(stored_ticket(ctx, &id).await.unwrap().public_replies, 1);
}

#[tokio::test]
async fn internal_notes_never_reach_the_owner() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    let before = stored_ticket(ctx, &id).await.unwrap();
    let secret = unique("SECRET-NOTE-");
    let res = send(ctx, RESPOND, &staff, json!({"ticket_id": id, "message": format!("{secret} fraud suspected"), "internal_note": true,
        "attachments": [attachment("evidence.png", "image/png", &png(300))]})).await;
    res.assert_ok(RESPOND);
    let note_id = res.data()["message_id"].as_str().unwrap().to_owned();
    let res = send(ctx, STATUS, &staff, json!({"ticket_id": id, "status": "open", "internal_note": format!("{secret} second"), "notify_user": true})).await;
    res.assert_ok(STATUS);
    assert_eq!(res.data()["notification_sent"], false, "no change, nothing to notify");

    // Owner: details, list — nothing about the notes, counts and times unchanged.
    let d = get(ctx, DETAILS, &owner, &format!("ticket_id={id}")).await;
    d.assert_ok(DETAILS);
    let l = get(ctx, LIST, &owner, "").await;
    for text in [d.json.to_string(), l.json.to_string()] {
        assert!(!text.contains(&secret) && !text.contains(&note_id) && !text.contains("evidence.png") && !text.contains("internal"), "{text}");
    }
    assert_eq!(d.data()["messages"].as_array().unwrap().len(), 1);
    assert_eq!(d.data()["ticket"]["updated_at"], json!(before.updated_at));
    let entry = &l.data()["result"][0];
    assert_eq!((entry["response_count"].as_i64(), entry["has_attachments"].as_bool()), (Some(0), Some(false)));
    assert_eq!(entry["updated_at"], json!(before.updated_at));

    // Staff see them, marked internal, and counted.
    let d = get(ctx, DETAILS, &staff, &format!("ticket_id={id}")).await;
    let m = d.data()["messages"].as_array().unwrap();
    assert_eq!(m.len(), 3);
    assert_eq!((m[1]["internal"].as_bool(), m[1]["message_id"].as_str()), (Some(true), Some(note_id.as_str())));
    assert_eq!(m[1]["attachments"][0]["filename"], "evidence.png");
    assert_eq!(m[2]["internal"], true);
    let t = stored_ticket(ctx, &id).await.unwrap();
    assert_eq!((t.public_replies, t.internal_notes, t.public_attachments, t.internal_attachments), (0, 2, 0, 1));
    assert_eq!(t.list_json(true)["response_count"], 2);

    // A later public reply counts for the owner, the notes still do not.
    send(ctx, RESPOND, &staff, json!({"ticket_id": id, "message": "We are on it."})).await.assert_ok(RESPOND);
    let entry = get(ctx, LIST, &owner, "").await.data()["result"][0].clone();
    assert_eq!((entry["response_count"].as_i64(), entry["has_attachments"].as_bool()), (Some(1), Some(false)));
}

// ------------------------------------------------------------------------------------------
// Delete
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_spec_example_removes_messages_and_files_and_keeps_an_audit() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let res = send(ctx, CREATE, &owner, spec_create_example(json!([attachment("a.png", "image/png", &png(900))]))).await;
    let id = res.data()["ticket_id"].as_str().unwrap().to_owned();
    let reference = res.data()["reference_number"].clone();
    send(ctx, RESPOND, &owner, json!({"ticket_id": id, "message": "more", "attachments": [attachment("b.png", "image/png", &png(90))]})).await.assert_ok(RESPOND);
    send(ctx, RESPOND, &staff, json!({"ticket_id": id, "message": "note", "internal_note": true, "attachments": [attachment("c.pdf", "application/pdf", b"%PDF-1.4 x")]})).await.assert_ok(RESPOND);
    send(ctx, STATUS, &staff, json!({"ticket_id": id, "status": "resolved"})).await.assert_ok(STATUS);
    send(ctx, FEEDBACK, &owner, json!({"ticket_id": id, "rating": 5})).await.assert_ok(FEEDBACK);
    assert_eq!(s3_keys(ctx, &format!("tickets/{id}/")).await.len(), 3);

    let res = send(ctx, DELETE, &owner, json!({"ticket_id": id, "reason": "Issue resolved through other means"})).await;
    res.assert_ok(DELETE);
    let d = res.data();
    assert_eq!(d["ticket_id"], id);
    assert_eq!(d["success"], true);
    assert_eq!(d["message"], "Support ticket successfully deleted");
    assert!(d["deleted_at"].as_str().unwrap().ends_with('Z'));

    assert!(collection(ctx, &id).await.is_empty(), "ticket, messages, feedback and notification records are gone");
    assert!(s3_keys(ctx, &format!("tickets/{id}/")).await.is_empty(), "objects are gone");
    let audit = get_item(ctx, &ctx.config.tables.tickets, &model::audit_pk(&id), Some(model::AUDIT_SK)).await.expect("audit kept");
    let audit: Value = serde_dynamo::from_item(audit).unwrap();
    assert_eq!(audit["reason"], "Issue resolved through other means");
    assert_eq!(audit["reference_number"], reference);
    assert_eq!((audit["message_count"].as_i64(), audit["attachment_count"].as_i64()), (Some(3), Some(3)));
    let text = audit.to_string();
    assert!(!text.contains(&owner.user_id) && !text.contains("Cannot access my account") && !text.contains("a.png"), "{text}");

    get(ctx, DETAILS, &owner, &format!("ticket_id={id}")).await.assert_spec(DETAILS, &err::DETAILS_NOT_FOUND);
    send(ctx, DELETE, &owner, json!({"ticket_id": id})).await.assert_spec(DELETE, &err::DELETE_NOT_FOUND);
    send(ctx, RESPOND, &owner, json!({"ticket_id": id, "message": "m"})).await.assert_spec(RESPOND, &err::RESPOND_NOT_FOUND);
}

#[tokio::test]
async fn the_audit_reason_keeps_no_personal_data() {
    let ctx = ctx().await;
    let owner = user(ctx).await;
    let id = new_ticket(ctx, &owner).await;
    let reason = "Solved by phone, reach me at jane.doe@example.com or +44 20 7946 0958";
    send(ctx, DELETE, &owner, json!({"ticket_id": id, "reason": reason})).await.assert_ok(DELETE);
    let audit = get_item(ctx, &ctx.config.tables.tickets, &model::audit_pk(&id), Some(model::AUDIT_SK)).await.expect("audit kept");
    let audit: Value = serde_dynamo::from_item(audit).unwrap();
    assert_eq!(audit["reason"], "Solved by phone, reach me at [email] or [number]");
}

#[tokio::test]
async fn delete_answers_the_listed_errors() {
    let ctx = ctx().await;
    let (owner, other, staff) = (user(ctx).await, user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    call(ctx, DELETE, Req::new("DELETE", DELETE).json(json!({"ticket_id": id}))).await.assert_spec(DELETE, &errors::ACCESS_DENIED);
    send(ctx, DELETE, &owner, json!({"ticket_id": "tkt_0123456789abcdef01234567"})).await.assert_error(DELETE, 404, "Ticket not found (MPS572981346528970)", None);
    send(ctx, DELETE, &owner, json!({"ticket_id": "nope"})).await.assert_spec(DELETE, &err::DELETE_NOT_FOUND);
    send(ctx, DELETE, &owner, json!({"ticket_id": "x".repeat(500)})).await.assert_spec(DELETE, &err::DELETE_NOT_FOUND);
    send(ctx, DELETE, &owner, json!({"ticket_id": 42})).await.assert_error(DELETE, 400, &errors::ApiError::invalid_field("ticket_id", "expected a string").details, Some("ticket_id_invalid"));
    send(ctx, DELETE, &owner, json!({})).await.assert_spec(DELETE, &err::TICKET_ID_REQUIRED);
    send(ctx, DELETE, &other, json!({"ticket_id": id})).await.assert_error(DELETE, 403, "You do not have permission to delete this ticket (MPS684521365987412)", None);
    // Owner only: staff cannot delete either.
    send(ctx, DELETE, &staff, json!({"ticket_id": id})).await.assert_spec(DELETE, &err::DELETE_FORBIDDEN);
    set_status(ctx, &staff, &id, "in_progress").await;
    send(ctx, DELETE, &owner, json!({"ticket_id": id})).await.assert_error(DELETE, 400, "Cannot delete a ticket that is currently being processed (MPS795634218795412)", None);
    assert!(stored_ticket(ctx, &id).await.is_some());
    assert!(get_item(ctx, &ctx.config.tables.tickets, &model::audit_pk(&id), Some(model::AUDIT_SK)).await.is_none());
    // Once no longer processed, it can go; the id may also come in the query string.
    set_status(ctx, &staff, &id, "closed").await;
    call(ctx, DELETE, Req::new("DELETE", DELETE).query(&format!("ticket_id={id}")).signed(&owner)).await.assert_ok(DELETE);
    assert!(stored_ticket(ctx, &id).await.is_none());
}

// ------------------------------------------------------------------------------------------
// Status update
// ------------------------------------------------------------------------------------------

async fn notifications(ctx: &Ctx, user_id: &str) -> Vec<Value> {
    let out = shared::store::newest_first(ctx, &ctx.config.tables.tickets, "gsi1", &format!("NOTIFY#{user_id}"))
        .send()
        .await
        .unwrap();
    out.items.unwrap_or_default().into_iter().map(|i| serde_dynamo::from_item(i).unwrap()).collect()
}

#[tokio::test]
async fn status_update_spec_example_notifies_and_records_the_note() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    set_status(ctx, &staff, &id, "in_progress").await;
    assert!(notifications(ctx, &owner.user_id).await.is_empty(), "notify_user false writes nothing");

    let note = "User's issue resolved after confirming the refund was processed on our end.";
    let res = send(ctx, STATUS, &staff, json!({"ticket_id": id, "status": "resolved", "internal_note": note, "notify_user": true})).await;
    res.assert_ok(STATUS);
    let d = res.data();
    assert_eq!(d["ticket_id"], id);
    assert_eq!(d["previous_status"], "in_progress");
    assert_eq!(d["current_status"], "resolved");
    assert_eq!(d["updated_by"], json!(staff.user_id));
    assert_eq!(d["notification_sent"], true);
    let t = stored_ticket(ctx, &id).await.unwrap();
    assert_eq!(t.status, "resolved");
    assert_eq!(json!(t.updated_at), d["updated_at"]);
    assert_eq!(t.updated_by.as_deref(), Some(staff.user_id.as_str()));
    let messages = model::messages(ctx, &id).await.unwrap();
    let stored_note = messages.iter().find(|m| m.content == note).expect("note stored");
    assert!(stored_note.internal);
    let n = notifications(ctx, &owner.user_id).await;
    assert_eq!(n.len(), 1);
    assert_eq!((n[0]["ticket_id"].as_str(), n[0]["previous_status"].as_str(), n[0]["current_status"].as_str()), (Some(id.as_str()), Some("in_progress"), Some("resolved")));

    // notify_user defaults to true.
    let res = send(ctx, STATUS, &staff, json!({"ticket_id": id, "status": "closed"})).await;
    assert_eq!((res.data()["previous_status"].as_str(), res.data()["notification_sent"].as_bool()), (Some("resolved"), Some(true)));
    assert_eq!(notifications(ctx, &owner.user_id).await.len(), 2);
}

#[tokio::test]
async fn status_update_answers_the_listed_errors() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    let body = json!({"ticket_id": id, "status": "resolved"});
    call(ctx, STATUS, Req::new("PUT", STATUS).json(body.clone())).await.assert_spec(STATUS, &errors::ACCESS_DENIED);
    let forbidden = "Insufficient permissions to update ticket status (MPS475893156247896)";
    send(ctx, STATUS, &owner, body.clone()).await.assert_error(STATUS, 403, forbidden, None);
    let viewer = credential(ctx, auth::ROLE_STAFF, &["ticketControl.allowView"]).await;
    send(ctx, STATUS, &viewer, body.clone()).await.assert_error(STATUS, 403, forbidden, None);
    send(ctx, STATUS, &staff, json!({"ticket_id": "tkt_0123456789abcdef01234567", "status": "resolved"})).await.assert_error(STATUS, 404, "Ticket not found (MPS572981346528970)", None);
    send(ctx, STATUS, &staff, json!({"ticket_id": "x", "status": "resolved"})).await.assert_spec(STATUS, &err::STATUS_NOT_FOUND);
    for bad in ["pending", "done", "OPEN!"] {
        send(ctx, STATUS, &staff, json!({"ticket_id": id, "status": bad})).await.assert_error(STATUS, 400, "Invalid status value. Allowed values: open, in_progress, resolved, closed (MPS795634218795412)", None);
    }
    send(ctx, STATUS, &staff, json!({"ticket_id": id})).await.assert_spec(STATUS, &err::STATUS_REQUIRED);
    send(ctx, STATUS, &staff, json!({"status": "open"})).await.assert_spec(STATUS, &err::TICKET_ID_REQUIRED);
    let res = send(ctx, STATUS, &staff, json!({"ticket_id": id, "status": "resolved", "notify_user": "yes"})).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("notify_user_invalid")));
    assert_eq!(stored_ticket(ctx, &id).await.unwrap().status, "open");
    assert!(notifications(ctx, &owner.user_id).await.is_empty());
}

// ------------------------------------------------------------------------------------------
// Feedback
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn feedback_spec_example_once_per_resolved_ticket() {
    let ctx = ctx().await;
    let (owner, staff) = (user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    let body = json!({"ticket_id": id, "rating": 4, "comments": "The support agent was very helpful and resolved my issue quickly. However, the initial response time was a bit slow.", "areas_for_improvement": ["response_time"]});

    send(ctx, FEEDBACK, &owner, json!({"ticket_id": id, "rating": 4})).await.assert_error(FEEDBACK, 400, "Feedback can only be submitted for resolved or closed tickets (MPS135792468023456)", None);
    set_status(ctx, &staff, &id, "resolved").await;
    let res = send(ctx, FEEDBACK, &owner, body.clone()).await;
    res.assert_ok(FEEDBACK);
    let d = res.data();
    assert!(d["feedback_id"].as_str().unwrap().starts_with("fb_"));
    assert_eq!(d["ticket_id"], id);
    assert_eq!(d["success"], true);
    assert_eq!(d["thank_you_message"], "Thank you for your feedback! We're always working to improve our support services.");
    assert!(d["submitted_at"].as_str().unwrap().ends_with('Z'));
    let stored: Value = serde_dynamo::from_item(get_item(ctx, &ctx.config.tables.tickets, &model::pk(&id), Some(model::FEEDBACK_SK)).await.unwrap()).unwrap();
    assert_eq!((stored["rating"].as_i64(), stored["areas_for_improvement"].clone()), (Some(4), json!(["response_time"])));
    assert_eq!(stored["feedback_id"], d["feedback_id"]);

    send(ctx, FEEDBACK, &owner, json!({"ticket_id": id, "rating": 5})).await.assert_error(FEEDBACK, 429, "You have already submitted feedback for this ticket (MPS246813579086421)", None);
    // Closed tickets take feedback too.
    let closed = new_ticket(ctx, &owner).await;
    set_status(ctx, &staff, &closed, "closed").await;
    send(ctx, FEEDBACK, &owner, json!({"ticket_id": closed, "rating": 1, "areas_for_improvement": ["communication", "follow_up", "solution_quality", "response_time"]})).await.assert_ok(FEEDBACK);
}

#[tokio::test]
async fn feedback_answers_the_listed_errors() {
    let ctx = ctx().await;
    let (owner, other, staff) = (user(ctx).await, user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &owner).await;
    set_status(ctx, &staff, &id, "resolved").await;
    call(ctx, FEEDBACK, Req::post(FEEDBACK).json(json!({"ticket_id": id, "rating": 5}))).await.assert_spec(FEEDBACK, &errors::ACCESS_DENIED);
    send(ctx, FEEDBACK, &owner, json!({"ticket_id": "tkt_0123456789abcdef01234567", "rating": 5})).await.assert_error(FEEDBACK, 404, "Ticket not found (MPS572981346528970)", None);
    for rating in [json!("5"), json!(4.5), json!(5.0), json!(0), json!(6), json!(-1), json!(true), json!([5])] {
        send(ctx, FEEDBACK, &owner, json!({"ticket_id": id, "rating": rating})).await.assert_error(FEEDBACK, 400, "Rating must be between 1 and 5 (MPS795634218795412)", None);
    }
    send(ctx, FEEDBACK, &owner, json!({"ticket_id": id})).await.assert_spec(FEEDBACK, &err::FEEDBACK_RATING_REQUIRED);
    for areas in [json!(["speed"]), json!("response_time"), json!([1]), json!(["response_time", "other"])] {
        send(ctx, FEEDBACK, &owner, json!({"ticket_id": id, "rating": 3, "areas_for_improvement": areas})).await.assert_spec(FEEDBACK, &err::FEEDBACK_AREAS_INVALID);
    }
    send(ctx, FEEDBACK, &other, json!({"ticket_id": id, "rating": 5})).await.assert_spec(FEEDBACK, &err::FEEDBACK_FORBIDDEN);
    send(ctx, FEEDBACK, &staff, json!({"ticket_id": id, "rating": 5})).await.assert_spec(FEEDBACK, &err::FEEDBACK_FORBIDDEN);
    assert!(get_item(ctx, &ctx.config.tables.tickets, &model::pk(&id), Some(model::FEEDBACK_SK)).await.is_none());
    for rating in 1..=5 {
        let t = new_ticket(ctx, &owner).await;
        set_status(ctx, &staff, &t, "resolved").await;
        send(ctx, FEEDBACK, &owner, json!({"ticket_id": t, "rating": rating})).await.assert_ok(FEEDBACK);
    }
}

// ------------------------------------------------------------------------------------------
// Isolation between users
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn user_b_cannot_touch_user_a_ticket() {
    let ctx = ctx().await;
    let (a, b, staff) = (user(ctx).await, user(ctx).await, staff(ctx).await);
    let id = new_ticket(ctx, &a).await;
    let q = format!("ticket_id={id}");

    get(ctx, DETAILS, &b, &q).await.assert_spec(DETAILS, &err::DETAILS_FORBIDDEN);
    send(ctx, RESPOND, &b, json!({"ticket_id": id, "message": "let me in"})).await.assert_spec(RESPOND, &err::RESPOND_FORBIDDEN);
    send(ctx, DELETE, &b, json!({"ticket_id": id})).await.assert_spec(DELETE, &err::DELETE_FORBIDDEN);
    send(ctx, STATUS, &b, json!({"ticket_id": id, "status": "closed"})).await.assert_spec(STATUS, &err::STATUS_FORBIDDEN);
    set_status(ctx, &staff, &id, "resolved").await;
    send(ctx, FEEDBACK, &b, json!({"ticket_id": id, "rating": 1})).await.assert_spec(FEEDBACK, &err::FEEDBACK_FORBIDDEN);
    let listed = get(ctx, LIST, &b, "limit=100").await;
    assert!(!listed.json.to_string().contains(&id));

    // A's ticket is as it was.
    let t = stored_ticket(ctx, &id).await.unwrap();
    assert_eq!((t.status.as_str(), t.public_replies), ("resolved", 0));
    assert_eq!(model::messages(ctx, &id).await.unwrap().len(), 1);
    assert!(get_item(ctx, &ctx.config.tables.tickets, &model::pk(&id), Some(model::FEEDBACK_SK)).await.is_none());
    get(ctx, DETAILS, &a, &q).await.assert_ok(DETAILS);
}

// ------------------------------------------------------------------------------------------
// Event files
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn event_file_requests_are_valid_requests() {
    // The bodies and queries of events/<ticket action>*.json, signed afresh: create succeeds; the
    // others name a ticket that does not exist (404), which shows their input passed validation.
    let ctx = ctx().await;
    let (user, staff) = (user(ctx).await, staff(ctx).await);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
    let mut seen = 0;
    for (file, expected) in [
        ("support_ticket_create.json", 200),
        ("support_get_tickets.json", 200),
        ("support_ticket_details.json", 404),
        ("support_ticket_respond.json", 404),
        ("support_ticket_respond.staff.json", 404),
        ("support_delete_ticket.json", 404),
        ("support_update_ticket_status.json", 404),
        ("support_submit_feedback.json", 404),
    ] {
        let event: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let action = file.split('.').next().unwrap();
        let method = event["requestContext"]["http"]["method"].as_str().unwrap();
        assert_eq!(method, self::method(action), "{file}");
        let mut req = Req::new(method, action).query(event["rawQueryString"].as_str().unwrap_or(""));
        if let Some(body) = event["body"].as_str() {
            req = req.raw_body(body.as_bytes());
        }
        let cred = if file.contains("staff") || action == STATUS { &staff } else { &user };
        let res = call(ctx, action, req.signed(cred)).await;
        assert_eq!(res.status, expected, "{file}: {}", res.json);
        seen += 1;
    }
    assert_eq!(seen, 8);
}
