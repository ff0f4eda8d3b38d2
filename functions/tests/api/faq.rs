//! Tests of the FAQ actions: create, fetch, update, remove, toggle helpful, rating, categories.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::{json, Value};
use shared::{
    auth,
    config::Limit,
    errors::{self, faq as err},
    store::faq::{self as model, vote::Vote, Faq},
    Ctx,
};

use crate::common::*;
use functions::faq::{categories, create, fetch, rating, remove, toggle_helpful, update};

const CREATE: &str = create::ACTION;
const FETCH: &str = fetch::ACTION;
const UPDATE: &str = update::ACTION;
const REMOVE: &str = remove::ACTION;
const TOGGLE: &str = toggle_helpful::ACTION;
const RATING: &str = rating::ACTION;
const CATEGORIES: &str = categories::ACTION;

const EXAMPLE_ANSWER: &str = "To reset your password, click on the 'Forgot Password' link on the login page. You will be prompted to enter your email address. Once submitted, you will receive an email with instructions to reset your password. Follow the link in the email to create a new password.";

/// Texts a client may send: markup, entities (already encoded or not), quotes, emoji, scripts.
const HOSTILE: [&str; 16] = [
    "<script>alert('x')</script>",
    "&amp;",
    "&amp;amp; &lt;b&gt;",
    "Tom &amp; Jerry & friends",
    "\"double\" and 'single' quotes",
    "&#x27; &#39; &#60; &quot;",
    "&copy; &nbsp; &unknown; & ; &;",
    "<img src=x onerror=\"alert(1)\">",
    "😀 emoji 👍🏽 👨‍👩‍👧",
    "Как сбросить пароль?",
    "パスワードをリセットするには？",
    "كيف أعيد تعيين كلمة المرور؟",
    "tab\tnew\nline\r\nend",
    "/ \\ ` = ? % + #",
    "a &amp b &lt c",
    "&&&;;;<<>>",
];

/// Each signed request gets its own timestamp: a client sending the same signed request twice is
/// a replay (refused), so repeated identical calls in one test are signed at distinct seconds.
fn fresh(req: Req, cred: &auth::Credential) -> Req {
    static N: AtomicI64 = AtomicI64::new(0);
    let back = N.fetch_add(1, Ordering::Relaxed) % 280;
    req.signed_at(cred, shared::clock::now_secs() - back)
}

async fn send(ctx: &'static Ctx, action: &str, req: Req) -> Res {
    let req = req.build();
    let resp = match action {
        CREATE => create::handler(ctx, req).await,
        FETCH => fetch::handler(ctx, req).await,
        UPDATE => update::handler(ctx, req).await,
        REMOVE => remove::handler(ctx, req).await,
        TOGGLE => toggle_helpful::handler(ctx, req).await,
        RATING => rating::handler(ctx, req).await,
        CATEGORIES => categories::handler(ctx, req).await,
        other => panic!("unknown action {other}"),
    };
    Res::from(resp)
}

fn patch(action: &str) -> Req {
    Req::new("PATCH", action)
}

fn delete(action: &str) -> Req {
    Req::new("DELETE", action)
}

/// Creates an FAQ as `staff` and returns its marker.
async fn make(ctx: &'static Ctx, staff: &auth::Credential, body: Value) -> String {
    let res = send(ctx, CREATE, fresh(Req::post(CREATE).json(body), staff)).await;
    res.assert_ok(CREATE);
    res.data()["MKID"].as_str().unwrap().to_owned()
}

async fn make_q(ctx: &'static Ctx, staff: &auth::Credential, category: Option<&str>) -> String {
    let mut body = json!({"qstn": unique("Question "), "answ": "An answer."});
    if let Some(c) = category {
        body["ctgy"] = json!(c);
    }
    make(ctx, staff, body).await
}

async fn stored(ctx: &Ctx, marker: &str) -> Faq {
    let item = get_item(ctx, &ctx.config.tables.faqs, &model::pk(marker), Some(model::SK)).await.expect("stored FAQ");
    Faq::from_item(item).unwrap()
}

async fn stored_vote(ctx: &Ctx, marker: &str, user_id: &str) -> Option<Vote> {
    get_item(ctx, &ctx.config.tables.faqs, &model::pk(marker), Some(&model::vote_sk(user_id)))
        .await
        .map(|i| serde_dynamo::from_item(i).unwrap())
}

async fn fetch_one(ctx: &'static Ctx, marker: &str) -> Res {
    send(ctx, FETCH, Req::get(FETCH).query(&format!("reqv={marker}"))).await
}

/// Every page of the list (optionally of one category), in order.
async fn fetch_all(ctx: &'static Ctx, category: Option<&str>) -> Vec<Value> {
    let mut all = Vec::new();
    let mut page = String::new();
    loop {
        let mut q = vec![];
        if let Some(c) = category {
            q.push(format!("category={c}"));
        }
        if !page.is_empty() {
            q.push(format!("page={page}"));
        }
        let res = send(ctx, FETCH, Req::get(FETCH).query(&q.join("&"))).await;
        res.assert_ok(FETCH);
        all.extend(res.data().as_array().expect("DATA is an array").iter().cloned());
        page = res.json["PAGINATION"].as_str().expect("top-level PAGINATION").to_owned();
        if page.is_empty() {
            return all;
        }
    }
}

async fn counts(ctx: &'static Ctx, cred: &auth::Credential) -> HashMap<String, i64> {
    let res = send(ctx, CATEGORIES, Req::get(CATEGORIES).signed(cred)).await;
    res.assert_ok(CATEGORIES);
    res.data()["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_owned(), c["faq_count"].as_i64().unwrap()))
        .collect()
}

// ------------------------------------------------------------------------------------------
// create
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_spec_example_is_stored_encoded_and_read_back_decoded() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let body = json!({"qstn": "How do I reset my password?", "answ": EXAMPLE_ANSWER});
    let res = send(ctx, CREATE, Req::post(CREATE).json(body).signed(&staff)).await;
    res.assert_ok(CREATE);
    assert_eq!(res.data()["COMMENT"], "Operation successful!");
    let marker = res.data()["MKID"].as_str().unwrap().to_owned();
    assert!(shared::ids::is_marker(&marker, "faq"), "{marker}");

    let faq = stored(ctx, &marker).await;
    assert_eq!(faq.status, "active");
    assert_eq!(faq.question, "How do I reset my password?");
    assert!(faq.answer.contains("click on the &#x27;Forgot Password&#x27; link"), "{}", faq.answer);
    assert_eq!(faq.created_by, staff.user_id);
    assert_eq!(faq.category, None);

    // The spec's fetch example, with the marker just made.
    let res = fetch_one(ctx, &marker).await;
    res.assert_ok(FETCH);
    let d = res.data();
    assert_eq!(d["marker"], marker);
    assert_eq!(d["question"], "How do I reset my password?");
    assert_eq!(d["answer"], EXAMPLE_ANSWER);
    assert_eq!(d["status"], "active");
    assert_eq!(d["category"], Value::Null);
    let recorded: i64 = d["recorded"].as_str().unwrap().parse().unwrap();
    assert!((recorded - shared::clock::now_ms()).abs() < 60_000);
}

#[tokio::test]
async fn create_needs_a_signature_and_the_create_permission() {
    let ctx = isolated_ctx().await;
    let body = json!({"qstn": unique("Q "), "answ": "A"});
    send(ctx, CREATE, Req::post(CREATE).json(body.clone())).await.assert_spec(CREATE, &errors::ACCESS_DENIED);
    let plain = user(ctx).await;
    send(ctx, CREATE, Req::post(CREATE).json(body.clone()).signed(&plain))
        .await
        .assert_spec(CREATE, &err::CREATE_PERMISSION);
    let modifier = credential(ctx, auth::ROLE_STAFF, &["helpControl.allowModify"]).await;
    send(ctx, CREATE, Req::post(CREATE).json(body.clone()).signed(&modifier))
        .await
        .assert_spec(CREATE, &err::CREATE_PERMISSION);
    assert!(fetch_all(ctx, None).await.is_empty(), "nothing stored");
    let creator = credential(ctx, auth::ROLE_STAFF, &["helpControl.allowCreate"]).await;
    send(ctx, CREATE, Req::post(CREATE).json(body).signed(&creator)).await.assert_ok(CREATE);
}

#[tokio::test]
async fn a_signed_get_cannot_stand_in_for_a_write() {
    // A GET signature is not remembered (GETs may repeat), so writes refuse GET before anything.
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let body = json!({"qstn": unique("Q "), "answ": "A"});
    let res = send(ctx, CREATE, Req::get(CREATE).json(body).signed(&staff)).await;
    res.assert_spec(CREATE, &errors::METHOD_NOT_ALLOWED);
    assert_eq!(res.headers["allow"], "POST");
    let res = send(ctx, REMOVE, Req::get(REMOVE).query(&format!("reqv={marker}")).signed(&staff)).await;
    res.assert_spec(REMOVE, &errors::METHOD_NOT_ALLOWED);
    let res = send(ctx, TOGGLE, Req::get(TOGGLE).json(json!({"faq_id": marker, "helpful": true})).signed(&staff)).await;
    res.assert_spec(TOGGLE, &errors::METHOD_NOT_ALLOWED);
    assert_eq!(fetch_all(ctx, None).await.len(), 1, "nothing created, nothing removed");
    assert!(stored_vote(ctx, &marker, &staff.user_id).await.is_none());
}

#[tokio::test]
async fn create_refuses_bad_input_and_stores_nothing() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let ok = || json!({"qstn": unique("Q "), "answ": "A", "ctgy": "cat_account"});
    for (field, spec) in [("qstn", &err::QSTN_REQUIRED), ("answ", &err::ANSW_REQUIRED)] {
        for absent in [None, Some(json!("")), Some(json!("  \n ")), Some(Value::Null)] {
            let mut body = ok();
            match absent {
                None => {
                    body.as_object_mut().unwrap().remove(field);
                }
                Some(v) => body[field] = v,
            }
            send(ctx, CREATE, fresh(Req::post(CREATE).json(body), &staff)).await.assert_spec(CREATE, spec);
        }
    }
    for bad in [json!("cat_unknown"), json!("CAT_ACCOUNT"), json!("account")] {
        let mut body = ok();
        body["ctgy"] = bad;
        send(ctx, CREATE, fresh(Req::post(CREATE).json(body), &staff)).await.assert_spec(CREATE, &err::CTGY_INVALID);
    }
    let mut body = ok();
    body["qstn"] = json!(42);
    let res = send(ctx, CREATE, fresh(Req::post(CREATE).json(body), &staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("qstn_invalid")));
    let mut body = ok();
    body["qstn"] = json!("q".repeat(model::QUESTION_MAX + 1));
    let res = send(ctx, CREATE, fresh(Req::post(CREATE).json(body), &staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("qstn_too_long")));
    let mut body = ok();
    body["answ"] = json!("a".repeat(model::ANSWER_MAX + 1));
    let res = send(ctx, CREATE, fresh(Req::post(CREATE).json(body), &staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("answ_too_long")));
    send(ctx, CREATE, fresh(Req::post(CREATE).raw_body(b"{oops"), &staff)).await.assert_spec(CREATE, &errors::BODY_INVALID);
    send(ctx, CREATE, fresh(Req::post(CREATE).raw_body(b"[]"), &staff)).await.assert_spec(CREATE, &errors::BODY_INVALID);

    assert!(fetch_all(ctx, None).await.is_empty(), "nothing stored");
    assert!(counts(ctx, &staff).await.values().all(|c| *c == 0));
    // Longest accepted question and answer.
    let body = json!({"qstn": "q".repeat(model::QUESTION_MAX), "answ": "&".repeat(model::ANSWER_MAX)});
    let marker = make(ctx, &staff, body).await;
    assert_eq!(fetch_one(ctx, &marker).await.data()["answer"].as_str().unwrap().len(), model::ANSWER_MAX);
}

#[tokio::test]
async fn duplicate_questions_are_refused_among_active_faqs_only() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let q = unique("How do I reset my password ");
    let first = make(ctx, &staff, json!({"qstn": format!("{q}?"), "answ": "One."})).await;
    // Same question after trimming, collapsing white space and case-folding.
    for variant in [format!("{q}?"), format!("  {}?  ", q.to_uppercase()), format!("{}?", q.replace(' ', " \t\n "))] {
        send(ctx, CREATE, fresh(Req::post(CREATE).json(json!({"qstn": variant, "answ": "Two."})), &staff))
            .await
            .assert_spec(CREATE, &err::DUPLICATE);
    }
    // Different text (an entity is not its character) is another question.
    make(ctx, &staff, json!({"qstn": format!("{q}? &amp;"), "answ": "Three."})).await;

    // Update to another active FAQ's question is refused; to its own question (other case) is fine.
    let other = make(ctx, &staff, json!({"qstn": unique("Other question "), "answ": "Four."})).await;
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": other, "qstn": format!(" {}? ", q.to_uppercase())})), &staff))
        .await
        .assert_spec(UPDATE, &err::DUPLICATE);
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": first, "qstn": format!("{}?", q.to_uppercase())})), &staff))
        .await
        .assert_ok(UPDATE);
    assert_eq!(fetch_one(ctx, &first).await.data()["question"], format!("{}?", q.to_uppercase()));

    // A removed FAQ frees its question.
    send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={first}")).json(json!({})), &staff)).await.assert_ok(REMOVE);
    let again = make(ctx, &staff, json!({"qstn": format!("{q}?"), "answ": "Five."})).await;
    assert_ne!(again, first);
    // An update that moves away from a question frees it too.
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": again, "qstn": unique("Moved ")})), &staff)).await.assert_ok(UPDATE);
    make(ctx, &staff, json!({"qstn": format!("{q}?"), "answ": "Six."})).await;
}

#[tokio::test]
async fn concurrent_creates_of_one_question_store_exactly_one() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let q = unique("Concurrent question ");
    let tasks: Vec<_> = (0..12)
        .map(|i| {
            let body = json!({"qstn": if i % 2 == 0 { q.clone() } else { q.to_uppercase() }, "answ": format!("Answer {i}"), "ctgy": "cat_services"});
            let req = fresh(Req::post(CREATE).json(body), &staff);
            tokio::spawn(async move { send(ctx, CREATE, req).await })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        let res = t.await.unwrap();
        match res.status {
            200 => ok += 1,
            _ => {
                res.assert_spec(CREATE, &err::DUPLICATE);
            }
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(fetch_all(ctx, None).await.len(), 1);
    assert_eq!(counts(ctx, &staff).await["cat_services"], 1);
}

// ------------------------------------------------------------------------------------------
// text round trip
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn hostile_and_already_encoded_text_round_trips_through_create_and_updates() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let mut markers = Vec::new();
    for (i, text) in HOSTILE.iter().enumerate() {
        let question = format!("{text} #{i}");
        let marker = make(ctx, &staff, json!({"qstn": question, "answ": text})).await;
        let d = fetch_one(ctx, &marker).await;
        assert_eq!(d.data()["question"], question.as_str());
        assert_eq!(d.data()["answer"], *text);
        let faq = stored(ctx, &marker).await;
        assert!(!faq.answer.contains('<') && !faq.answer.contains('"') && !faq.answer.contains('\''), "stored encoded: {}", faq.answer);
        markers.push((marker, question));
    }
    // The list returns the same bytes.
    let listed: HashMap<String, Value> =
        fetch_all(ctx, None).await.into_iter().map(|f| (f["marker"].as_str().unwrap().to_owned(), f)).collect();
    for (i, (marker, question)) in markers.iter().enumerate() {
        assert_eq!(listed[marker]["question"], question.as_str());
        assert_eq!(listed[marker]["answer"], HOSTILE[i]);
    }
    // Any number of updates: what is read back is what was sent last.
    let (marker, question) = &markers[1];
    for (round, text) in HOSTILE.iter().cycle().skip(3).take(HOSTILE.len() + 4).enumerate() {
        send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "answ": text})), &staff)).await.assert_ok(UPDATE);
        let d = fetch_one(ctx, marker).await;
        assert_eq!(d.data()["answer"], *text, "round {round}");
        assert_eq!(d.data()["question"], question.as_str(), "question untouched");
    }
    let new_q = format!("{} &amp; again", HOSTILE[2]);
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "qstn": new_q})), &staff)).await.assert_ok(UPDATE);
    assert_eq!(fetch_one(ctx, marker).await.data()["question"], new_q.as_str());
}

// ------------------------------------------------------------------------------------------
// fetch
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn fetch_one_unknown_malformed_or_removed_is_not_found() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={marker}")), &staff)).await.assert_ok(REMOVE);
    for reqv in [
        "faq123456789abcdef123456789abcdef12", // the spec's example: well formed, unknown
        "faq123456789abbcdef12",
        "nonsense",
        "cf0123456789abcdef0123456789abcdef",
        &marker,
    ] {
        fetch_one(ctx, reqv).await.assert_spec(FETCH, &err::FETCH_NOT_FOUND);
    }
}

#[tokio::test]
async fn list_is_newest_first_active_only_and_filtered_by_category() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let mut all = Vec::new();
    let mut account = Vec::new();
    for i in 0..33 {
        let category = if i % 3 == 0 { None } else { Some("cat_account") };
        let m = make_q(ctx, &staff, category).await;
        all.push(m.clone());
        if category.is_some() {
            account.push(m);
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    // Two removed: one with a category, one without.
    for m in [account[3].clone(), all[0].clone()] {
        send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={m}")), &staff)).await.assert_ok(REMOVE);
        all.retain(|x| *x != m);
        account.retain(|x| *x != m);
    }
    all.reverse();
    account.reverse();

    // First page: 20, spec shape (DATA array, top-level PAGINATION).
    let res = send(ctx, FETCH, Req::get(FETCH)).await;
    res.assert_ok(FETCH);
    assert_eq!(res.data().as_array().unwrap().len(), 20);
    assert!(!res.json["PAGINATION"].as_str().unwrap().is_empty());
    let first = res.data()[0].clone();
    let keys: HashSet<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, HashSet::from(["marker", "question", "answer", "category", "status", "recorded"]));

    let listed: Vec<String> = fetch_all(ctx, None).await.iter().map(|f| f["marker"].as_str().unwrap().to_owned()).collect();
    assert_eq!(listed, all, "newest first, removed ones left out, nothing skipped or repeated");
    let listed: Vec<Value> = fetch_all(ctx, Some("cat_account")).await;
    assert!(listed.iter().all(|f| f["category"] == "cat_account" && f["status"] == "active"));
    let listed: Vec<String> = listed.iter().map(|f| f["marker"].as_str().unwrap().to_owned()).collect();
    assert_eq!(listed, account);
    assert!(fetch_all(ctx, Some("cat_security")).await.is_empty());

    // The first page by the spec's default page values.
    for q in ["page=123456789001", "page=1", "page=", "category=cat_account&page=1"] {
        let res = send(ctx, FETCH, Req::get(FETCH).query(q)).await;
        res.assert_ok(FETCH);
        let expected = if q.starts_with("category") { &account[0] } else { &all[0] };
        assert_eq!(res.data()[0]["marker"], expected.as_str());
    }

    // Unknown category.
    for bad in ["cat_unknown", "account", "CAT_ACCOUNT"] {
        send(ctx, FETCH, Req::get(FETCH).query(&format!("category={bad}"))).await.assert_spec(FETCH, &err::CATEGORY_INVALID);
    }

    // A token is bound to its category filter.
    let res = send(ctx, FETCH, Req::get(FETCH).query("category=cat_account")).await;
    let token = res.json["PAGINATION"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());
    for q in [format!("page={token}"), format!("category=cat_security&page={token}"), "page=garbage".into(), "category=cat_account&page=abc.def".into()] {
        send(ctx, FETCH, Req::get(FETCH).query(&q)).await.assert_spec(FETCH, &errors::INVALID_PAGINATION);
    }
    let res = send(ctx, FETCH, Req::get(FETCH).query(&format!("category=cat_account&page={token}"))).await;
    res.assert_ok(FETCH);
    assert_eq!(res.data()[0]["marker"], account[20].as_str());
    assert_eq!(res.json["PAGINATION"], "");
}

// ------------------------------------------------------------------------------------------
// update
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn update_spec_example_and_partial_updates() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let question = unique("How do I reset my password? ");
    let marker = make(ctx, &staff, json!({"qstn": question, "answ": EXAMPLE_ANSWER})).await;
    let before = stored(ctx, &marker).await;

    // The spec's example, with the marker just made.
    let new_q = unique("How can I reset my password? ");
    let new_a = "To reset your password, click on the 'Forgot Password' link on the login page. You will be prompted to enter your email address. Once submitted, you will receive an email with instructions to reset your password. The link in the email is valid for 24 hours.";
    let res = send(ctx, UPDATE, patch(UPDATE).json(json!({"qxid": marker, "qstn": new_q, "answ": new_a})).signed(&staff)).await;
    res.assert_ok(UPDATE);
    assert_eq!(res.data(), &json!({"COMMENT": "Operation successful!"}));
    let d = fetch_one(ctx, &marker).await;
    assert_eq!((d.data()["question"].as_str(), d.data()["answer"].as_str()), (Some(new_q.as_str()), Some(new_a)));

    // Only the answer.
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "answ": "Only the answer."})), &staff)).await.assert_ok(UPDATE);
    let d = fetch_one(ctx, &marker).await;
    assert_eq!((d.data()["question"].as_str(), d.data()["answer"].as_str()), (Some(new_q.as_str()), Some("Only the answer.")));
    // Only the question.
    let q3 = unique("Third question ");
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "qstn": q3})), &staff)).await.assert_ok(UPDATE);
    let d = fetch_one(ctx, &marker).await;
    assert_eq!((d.data()["question"].as_str(), d.data()["answer"].as_str()), (Some(q3.as_str()), Some("Only the answer.")));
    // Only the category, then cleared with "".
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "ctgy": "cat_security"})), &staff)).await.assert_ok(UPDATE);
    assert_eq!(fetch_one(ctx, &marker).await.data()["category"], "cat_security");
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "ctgy": ""})), &staff)).await.assert_ok(UPDATE);
    assert_eq!(fetch_one(ctx, &marker).await.data()["category"], Value::Null);

    let after = stored(ctx, &marker).await;
    assert_eq!(after.recorded_ms, before.recorded_ms, "creation time kept");
    assert_eq!(after.version, before.version + 5);
    assert_eq!(after.updated_by, staff.user_id);
    assert_eq!(after.gsi1sk, before.gsi1sk, "list position kept");
    assert_eq!(after.gsi2pk, None);
}

#[tokio::test]
async fn update_errors() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, Some("cat_payments")).await;
    let before = stored(ctx, &marker).await;
    let body = json!({"qxid": marker, "answ": "New answer"});

    send(ctx, UPDATE, patch(UPDATE).json(body.clone())).await.assert_spec(UPDATE, &errors::ACCESS_DENIED);
    let creator = credential(ctx, auth::ROLE_STAFF, &["helpControl.allowCreate"]).await;
    send(ctx, UPDATE, patch(UPDATE).json(body.clone()).signed(&creator)).await.assert_spec(UPDATE, &err::UPDATE_PERMISSION);
    let plain = user(ctx).await;
    send(ctx, UPDATE, patch(UPDATE).json(body.clone()).signed(&plain)).await.assert_spec(UPDATE, &err::UPDATE_PERMISSION);

    for b in [json!({"answ": "x"}), json!({"qxid": "", "answ": "x"}), json!({"qxid": null, "answ": "x"})] {
        send(ctx, UPDATE, fresh(patch(UPDATE).json(b), &staff)).await.assert_spec(UPDATE, &err::UPDATE_QXID_REQUIRED);
    }
    for b in [json!({"qxid": marker}), json!({"qxid": marker, "qstn": null, "answ": null, "ctgy": null, "other": 1})] {
        send(ctx, UPDATE, fresh(patch(UPDATE).json(b), &staff)).await.assert_spec(UPDATE, &err::UPDATE_NO_DATA);
    }
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "qstn": "  "})), &staff)).await.assert_spec(UPDATE, &err::QSTN_REQUIRED);
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "answ": ""})), &staff)).await.assert_spec(UPDATE, &err::ANSW_REQUIRED);
    send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "ctgy": "cat_nope"})), &staff)).await.assert_spec(UPDATE, &err::CTGY_INVALID);
    let res = send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "ctgy": 3})), &staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("ctgy_invalid")));
    let res = send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": marker, "answ": ["x"]})), &staff)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("answ_invalid")));
    for unknown in ["faq123456789abcdef123456789abcdef12", "faq123", "whatever"] {
        send(ctx, UPDATE, fresh(patch(UPDATE).json(json!({"qxid": unknown, "answ": "x"})), &staff)).await.assert_spec(UPDATE, &err::UPDATE_NOT_FOUND);
    }
    assert_eq!(stored(ctx, &marker).await, before, "refused updates change nothing");

    send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={marker}")), &staff)).await.assert_ok(REMOVE);
    send(ctx, UPDATE, fresh(patch(UPDATE).json(body), &staff)).await.assert_spec(UPDATE, &err::UPDATE_NOT_FOUND);
    assert_eq!(stored(ctx, &marker).await.answer, before.answer);
}

// ------------------------------------------------------------------------------------------
// remove
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn remove_spec_example_is_a_soft_delete() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, Some("cat_technical")).await;
    let res = send(ctx, REMOVE, delete(REMOVE).query(&format!("reqv={marker}")).json(json!({})).signed(&staff)).await;
    res.assert_ok(REMOVE);
    assert_eq!(res.data(), &json!({"COMMENT": "Operation successful!"}));
    let faq = stored(ctx, &marker).await;
    assert_eq!(faq.status, "removed");
    assert!(faq.removed_ms.is_some());
    assert_eq!((faq.gsi1pk, faq.gsi2pk), (None, None), "out of the lists");
    fetch_one(ctx, &marker).await.assert_spec(FETCH, &err::FETCH_NOT_FOUND);
    // Already removed.
    send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={marker}")), &staff)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
    // `reqv` in the body is accepted too.
    let other = make_q(ctx, &staff, None).await;
    send(ctx, REMOVE, fresh(delete(REMOVE).json(json!({"reqv": other})), &staff)).await.assert_ok(REMOVE);
    assert_eq!(stored(ctx, &other).await.status, "removed");
}

#[tokio::test]
async fn remove_errors() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let q = format!("reqv={marker}");
    send(ctx, REMOVE, delete(REMOVE).query(&q)).await.assert_spec(REMOVE, &errors::ACCESS_DENIED);
    let creator = credential(ctx, auth::ROLE_STAFF, &["helpControl.allowCreate"]).await;
    send(ctx, REMOVE, delete(REMOVE).query(&q).signed(&creator)).await.assert_spec(REMOVE, &err::REMOVE_PERMISSION);
    for query in ["", "reqv=", "reqv=%20", "other=1"] {
        send(ctx, REMOVE, fresh(delete(REMOVE).query(query).json(json!({})), &staff)).await.assert_spec(REMOVE, &err::REMOVE_REQV_REQUIRED);
    }
    for unknown in ["faq123456789abcdef123456789abcdef12", "faq1", "x"] {
        send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={unknown}")), &staff)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
    }
    assert_eq!(stored(ctx, &marker).await.status, "active", "refused removes change nothing");
    fetch_one(ctx, &marker).await.assert_ok(FETCH);
}

// ------------------------------------------------------------------------------------------
// categories
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn categories_are_the_spec_s_five_and_need_a_signature() {
    let ctx = isolated_ctx().await;
    send(ctx, CATEGORIES, Req::get(CATEGORIES)).await.assert_spec(CATEGORIES, &errors::ACCESS_DENIED);
    let plain = user(ctx).await;
    let req = Req::get(CATEGORIES).signed(&plain);
    let res = send(ctx, CATEGORIES, req.clone()).await;
    res.assert_ok(CATEGORIES);
    let expected = json!({ "categories": [
        { "id": "cat_account", "name": "Account Management", "description": "Questions related to user accounts, profiles, and settings", "icon": "user-circle", "faq_count": 0 },
        { "id": "cat_payments", "name": "Payments & Transactions", "description": "Questions about payments, transfers, and transaction histories", "icon": "credit-card", "faq_count": 0 },
        { "id": "cat_security", "name": "Security & Privacy", "description": "Information about account security, privacy settings, and data protection", "icon": "shield-check", "faq_count": 0 },
        { "id": "cat_services", "name": "Services & Features", "description": "Help with platform features and services", "icon": "cube", "faq_count": 0 },
        { "id": "cat_technical", "name": "Technical Issues", "description": "Troubleshooting and technical support", "icon": "cog", "faq_count": 0 }
    ]});
    assert_eq!(res.data(), &expected);
    // A GET may be sent again with the same signature.
    send(ctx, CATEGORIES, req).await.assert_ok(CATEGORIES);
}

#[tokio::test]
async fn category_counts_stay_exact_through_creates_moves_and_removes() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let mut expected: HashMap<String, i64> = model::CATEGORIES.iter().map(|c| (c.id.to_owned(), 0)).collect();
    let a1 = make_q(ctx, &staff, Some("cat_account")).await;
    let a2 = make_q(ctx, &staff, Some("cat_account")).await;
    let a3 = make_q(ctx, &staff, Some("cat_account")).await;
    let p1 = make_q(ctx, &staff, Some("cat_payments")).await;
    make_q(ctx, &staff, Some("cat_security")).await;
    let n1 = make_q(ctx, &staff, None).await;
    *expected.get_mut("cat_account").unwrap() += 3;
    *expected.get_mut("cat_payments").unwrap() += 1;
    *expected.get_mut("cat_security").unwrap() += 1;
    assert_eq!(counts(ctx, &staff).await, expected);

    let upd = |body: Value| fresh(patch(UPDATE).json(body), &staff);
    // Moves, a clear, a set, a same-category update and an answer-only update.
    send(ctx, UPDATE, upd(json!({"qxid": a1, "ctgy": "cat_payments"}))).await.assert_ok(UPDATE);
    send(ctx, UPDATE, upd(json!({"qxid": n1, "ctgy": "cat_technical"}))).await.assert_ok(UPDATE);
    send(ctx, UPDATE, upd(json!({"qxid": p1, "ctgy": ""}))).await.assert_ok(UPDATE);
    send(ctx, UPDATE, upd(json!({"qxid": a3, "ctgy": "cat_account", "answ": "Same place."}))).await.assert_ok(UPDATE);
    send(ctx, UPDATE, upd(json!({"qxid": a2, "answ": "Answer only."}))).await.assert_ok(UPDATE);
    *expected.get_mut("cat_account").unwrap() -= 1;
    *expected.get_mut("cat_technical").unwrap() += 1;
    assert_eq!(counts(ctx, &staff).await, expected);

    // Removes: of a moved one and of one still in its first category; a refused remove.
    for m in [&a1, &a2] {
        send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={m}")), &staff)).await.assert_ok(REMOVE);
    }
    send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={a1}")), &staff)).await.assert_spec(REMOVE, &err::REMOVE_NOT_FOUND);
    *expected.get_mut("cat_payments").unwrap() -= 1;
    *expected.get_mut("cat_account").unwrap() -= 1;
    // Refused writes count nothing.
    send(ctx, UPDATE, upd(json!({"qxid": a1, "ctgy": "cat_services"}))).await.assert_spec(UPDATE, &err::UPDATE_NOT_FOUND);
    let q = stored(ctx, &a3).await.question;
    send(ctx, CREATE, fresh(Req::post(CREATE).json(json!({"qstn": q, "answ": "x", "ctgy": "cat_services"})), &staff))
        .await
        .assert_spec(CREATE, &err::DUPLICATE);
    send(ctx, CREATE, fresh(Req::post(CREATE).json(json!({"qstn": "x", "answ": "x", "ctgy": "cat_nope"})), &staff))
        .await
        .assert_spec(CREATE, &err::CTGY_INVALID);
    let got = counts(ctx, &staff).await;
    assert_eq!(got, expected);
    assert_eq!(
        expected,
        HashMap::from([
            ("cat_account".to_owned(), 1),
            ("cat_payments".to_owned(), 0),
            ("cat_security".to_owned(), 1),
            ("cat_services".to_owned(), 0),
            ("cat_technical".to_owned(), 1),
        ])
    );
    // The counts agree with the filtered lists.
    for c in model::CATEGORIES {
        assert_eq!(fetch_all(ctx, Some(c.id)).await.len() as i64, got[c.id], "{}", c.id);
    }
}

#[tokio::test]
async fn concurrent_category_moves_keep_counts_exact() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, Some("cat_account")).await;
    let ids: Vec<&str> = model::CATEGORIES.iter().map(|c| c.id).collect();
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let body = json!({"qxid": marker, "ctgy": ids[i % ids.len()]});
            let req = fresh(patch(UPDATE).json(body), &staff);
            tokio::spawn(async move { send(ctx, UPDATE, req).await.status })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let now_in = stored(ctx, &marker).await.category.unwrap();
    let got = counts(ctx, &staff).await;
    for c in &ids {
        assert_eq!(got[*c], i64::from(*c == now_in), "{c}: {got:?}");
    }
}

// ------------------------------------------------------------------------------------------
// votes: toggle and rating
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn toggle_spec_example_sets_and_flips_one_vote() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let voter = user(ctx).await;
    let feedback = "The step-by-step instructions were very clear and solved my problem.";
    let res = send(ctx, TOGGLE, Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true, "feedback": feedback})).signed(&voter)).await;
    res.assert_ok(TOGGLE);
    assert_eq!(
        res.data(),
        &json!({"success": true, "faq_id": marker, "helpful": true, "helpful_count": 1, "message": "Thank you for your feedback!"})
    );
    let vote = stored_vote(ctx, &marker, &voter.user_id).await.expect("vote stored");
    assert!(vote.helpful);
    assert_eq!(vote.feedback.len(), 1);
    assert_eq!(vote.feedback[0].text, feedback);

    // Same value again: no count change.
    let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})), &voter)).await;
    assert_eq!(res.data()["helpful_count"], 1);
    // Flip.
    let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": false, "feedback": "Actually no."})), &voter)).await;
    res.assert_ok(TOGGLE);
    assert_eq!((res.data()["helpful"].as_bool(), res.data()["helpful_count"].as_i64()), (Some(false), Some(0)));
    let faq = stored(ctx, &marker).await;
    assert_eq!((faq.helpful_count, faq.unhelpful_count), (0, 1));
    let vote = stored_vote(ctx, &marker, &voter.user_id).await.unwrap();
    assert!(!vote.helpful);
    assert_eq!(vote.feedback.iter().map(|f| (f.helpful, f.text.as_str())).collect::<Vec<_>>(), vec![(true, feedback), (false, "Actually no.")]);
    // Another user counts separately.
    let other = user(ctx).await;
    let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})), &other)).await;
    assert_eq!(res.data()["helpful_count"], 1);
}

#[tokio::test]
async fn toggle_errors() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let voter = user(ctx).await;
    send(ctx, TOGGLE, Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true}))).await.assert_spec(TOGGLE, &errors::ACCESS_DENIED);
    for unknown in ["faq_123456789", "faq123456789abcdef123456789abcdef12"] {
        send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": unknown, "helpful": true})), &voter))
            .await
            .assert_spec(TOGGLE, &err::TOGGLE_NOT_FOUND);
    }
    for body in [json!({"faq_id": marker}), json!({"faq_id": marker, "helpful": null, "feedback": "x"})] {
        send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(body), &voter)).await.assert_spec(TOGGLE, &err::TOGGLE_HELPFUL_REQUIRED);
    }
    for bad in [json!("true"), json!(1), json!("yes")] {
        let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": bad})), &voter)).await;
        assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("helpful_invalid")));
    }
    send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"helpful": true})), &voter)).await.assert_spec(TOGGLE, &err::FAQ_ID_REQUIRED);
    let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true, "feedback": "f".repeat(model::FEEDBACK_MAX + 1)})), &voter)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("feedback_too_long")));
    assert!(stored_vote(ctx, &marker, &voter.user_id).await.is_none(), "refused votes store nothing");
    assert_eq!(stored(ctx, &marker).await.helpful_count, 0);
    // A removed FAQ takes no votes.
    send(ctx, REMOVE, fresh(delete(REMOVE).query(&format!("reqv={marker}")), &staff)).await.assert_ok(REMOVE);
    send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})), &voter)).await.assert_spec(TOGGLE, &err::TOGGLE_NOT_FOUND);
}

#[tokio::test]
async fn toggle_is_rate_limited_per_user_and_a_limited_toggle_changes_nothing() {
    let ctx = isolated_ctx_with(|c| c.limits.faq_toggle_per_user = Limit { max: 3, window: 3600 }).await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let voter = user(ctx).await;
    for helpful in [true, false, true] {
        send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": helpful})), &voter)).await.assert_ok(TOGGLE);
    }
    let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": false})), &voter)).await;
    res.assert_spec(TOGGLE, &err::TOGGLE_RATE_LIMITED);
    let retry: u64 = res.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
    assert!(stored_vote(ctx, &marker, &voter.user_id).await.unwrap().helpful, "vote unchanged");
    assert_eq!(stored(ctx, &marker).await.helpful_count, 1);
    // Other users are not limited.
    let other = user(ctx).await;
    send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})), &other)).await.assert_ok(TOGGLE);
    assert_eq!(stored(ctx, &marker).await.helpful_count, 2);
}

#[tokio::test]
async fn rating_spec_example_then_already_rated_then_changed() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let voter = user(ctx).await;
    let feedback = "This explanation was very clear and helped me resolve my issue quickly.";
    let res = send(ctx, RATING, Req::post(RATING).json(json!({"faq_id": marker, "helpful": true, "feedback": feedback})).signed(&voter)).await;
    res.assert_ok(RATING);
    let d = res.data().clone();
    let rating_id = d["rating_id"].as_str().unwrap().to_owned();
    assert!(shared::ids::is_short_id(&rating_id, "rate_"), "{rating_id}");
    assert_eq!(d["faq_id"], marker);
    assert_eq!(d["current_helpful_count"], 1);
    assert_eq!(d["thank_you_message"], "Thank you for your feedback! We're glad this was helpful.");
    let at = time::OffsetDateTime::parse(d["submitted_at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
    assert!((at.unix_timestamp() - shared::clock::now_secs()).abs() < 60);
    assert!(d["submitted_at"].as_str().unwrap().ends_with('Z'));

    // The same rating again.
    send(ctx, RATING, fresh(Req::post(RATING).json(json!({"faq_id": marker, "helpful": true})), &voter))
        .await
        .assert_spec(RATING, &err::RATING_ALREADY_RATED);
    // A changed rating is stored, under the same rating id.
    let res = send(ctx, RATING, fresh(Req::post(RATING).json(json!({"faq_id": marker, "helpful": false})), &voter)).await;
    res.assert_ok(RATING);
    assert_eq!(res.data()["rating_id"], rating_id.as_str());
    assert_eq!(res.data()["current_helpful_count"], 0);
    let faq = stored(ctx, &marker).await;
    assert_eq!((faq.helpful_count, faq.unhelpful_count), (0, 1));

    // One vote shared with the toggle: a toggle to true, then the same rating -> already rated.
    send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})), &voter)).await.assert_ok(TOGGLE);
    send(ctx, RATING, fresh(Req::post(RATING).json(json!({"faq_id": marker, "helpful": true})), &voter))
        .await
        .assert_spec(RATING, &err::RATING_ALREADY_RATED);
    let faq = stored(ctx, &marker).await;
    assert_eq!((faq.helpful_count, faq.unhelpful_count), (1, 0));
    assert_eq!(stored_vote(ctx, &marker, &voter.user_id).await.unwrap().rating_id, rating_id);
}

#[tokio::test]
async fn rating_errors() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let voter = user(ctx).await;
    send(ctx, RATING, Req::post(RATING).json(json!({"faq_id": marker, "helpful": true}))).await.assert_spec(RATING, &errors::ACCESS_DENIED);
    for unknown in ["faq_987654321", "faq123456789abcdef123456789abcdef12"] {
        send(ctx, RATING, fresh(Req::post(RATING).json(json!({"faq_id": unknown, "helpful": true})), &voter))
            .await
            .assert_spec(RATING, &err::RATING_NOT_FOUND);
    }
    send(ctx, RATING, fresh(Req::post(RATING).json(json!({"faq_id": marker, "feedback": "x"})), &voter))
        .await
        .assert_spec(RATING, &err::RATING_HELPFUL_REQUIRED);
    let res = send(ctx, RATING, fresh(Req::post(RATING).json(json!({"faq_id": marker, "helpful": "false"})), &voter)).await;
    assert_eq!((res.status, res.json["ERRORS"]["ID"].as_str()), (400, Some("helpful_invalid")));
    send(ctx, RATING, fresh(Req::post(RATING).json(json!({"helpful": true})), &voter)).await.assert_spec(RATING, &err::FAQ_ID_REQUIRED);
    assert!(stored_vote(ctx, &marker, &voter.user_id).await.is_none());
}

#[tokio::test]
async fn fifty_concurrent_votes_from_different_users_count_exactly() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let mut voters = Vec::new();
    for _ in 0..50 {
        voters.push(user(ctx).await);
    }
    let tasks: Vec<_> = voters
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (action, helpful) = match i % 5 {
                0 => (RATING, false),
                1 => (RATING, true),
                2 => (TOGGLE, false),
                _ => (TOGGLE, true),
            };
            let req = Req::post(action).json(json!({"faq_id": marker, "helpful": helpful})).signed(v);
            tokio::spawn(async move { send(ctx, action, req).await.status })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    let faq = stored(ctx, &marker).await;
    assert_eq!((faq.helpful_count, faq.unhelpful_count), (30, 20));
    let res = send(ctx, TOGGLE, fresh(Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})), &voters[0])).await;
    assert_eq!(res.data()["helpful_count"], 31, "the first user flips to helpful");
}

#[tokio::test]
async fn one_user_flipping_quickly_keeps_counts_exact() {
    let ctx = ctx().await;
    let staff = staff(ctx).await;
    let marker = make_q(ctx, &staff, None).await;
    let flippers = [user(ctx).await, user(ctx).await, user(ctx).await];
    let mut tasks = Vec::new();
    for (u, cred) in flippers.iter().enumerate() {
        for i in 0..10 {
            let helpful = (i + u) % 2 == 0;
            let action = if i % 3 == 0 { RATING } else { TOGGLE };
            let req = fresh(Req::post(action).json(json!({"faq_id": marker, "helpful": helpful})), cred);
            tasks.push(tokio::spawn(async move { send(ctx, action, req).await.status }));
        }
    }
    for t in tasks {
        let status = t.await.unwrap();
        assert!(status == 200 || status == 429, "{status}");
    }
    let mut helpful = 0;
    for cred in &flippers {
        if stored_vote(ctx, &marker, &cred.user_id).await.unwrap().helpful {
            helpful += 1;
        }
    }
    let faq = stored(ctx, &marker).await;
    assert_eq!((faq.helpful_count, faq.unhelpful_count), (helpful, 3 - helpful));
}

// ------------------------------------------------------------------------------------------
// replay
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn replayed_signed_posts_are_refused_and_change_nothing() {
    let ctx = isolated_ctx().await;
    let staff = staff(ctx).await;
    let req = Req::post(CREATE).json(json!({"qstn": unique("Replay "), "answ": "A", "ctgy": "cat_account"})).signed(&staff);
    send(ctx, CREATE, req.clone()).await.assert_ok(CREATE);
    // The same bytes and signature again; the question is new to the duplicate check only once.
    send(ctx, CREATE, req).await.assert_spec(CREATE, &errors::ACCESS_DENIED);
    assert_eq!(fetch_all(ctx, None).await.len(), 1);
    assert_eq!(counts(ctx, &staff).await["cat_account"], 1);

    let marker = fetch_all(ctx, None).await[0]["marker"].as_str().unwrap().to_owned();
    let voter = user(ctx).await;
    let req = Req::post(TOGGLE).json(json!({"faq_id": marker, "helpful": true})).signed(&voter);
    send(ctx, TOGGLE, req.clone()).await.assert_ok(TOGGLE);
    send(ctx, TOGGLE, req).await.assert_spec(TOGGLE, &errors::ACCESS_DENIED);
    let req = delete(REMOVE).query(&format!("reqv={marker}")).signed(&staff);
    send(ctx, REMOVE, req.clone()).await.assert_ok(REMOVE);
    send(ctx, REMOVE, req).await.assert_spec(REMOVE, &errors::ACCESS_DENIED);
}

// ------------------------------------------------------------------------------------------
// event files
// ------------------------------------------------------------------------------------------

/// The FAQ events are the spec's example requests, signed with the contract's test-vector
/// credential at its timestamp (so `support_faq_categories` carries the contract's vector 2).
#[test]
fn faq_event_files_are_signed_spec_examples() {
    use lambda_http::{Body, RequestExt};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
    let mut seen = HashSet::new();
    for action in [CREATE, FETCH, UPDATE, REMOVE, TOGGLE, RATING, CATEGORIES] {
        let text = std::fs::read_to_string(dir.join(format!("{action}.json"))).unwrap_or_else(|e| panic!("{action}: {e}"));
        let req = lambda_http::request::from_str(&text).unwrap();
        assert_eq!(req.uri().path(), format!("/{action}"));
        assert!(req.request_context_ref().is_some());
        let body: &[u8] = match req.body() {
            Body::Text(t) => t.as_bytes(),
            _ => b"",
        };
        let header = |name: &str| req.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        match header("mpy-reqsignal") {
            None => assert_eq!(action, FETCH, "{action} is signed"),
            Some(sig) => {
                assert_eq!(header("mpy-securekey").as_deref(), Some("pk_test_0123456789abcdef"));
                let ts = header("mpy-timestamp").unwrap();
                let sts = auth::string_to_sign(&ts, "pk_test_0123456789abcdef", req.method().as_str(), action, req.uri().query().unwrap_or(""), body);
                assert!(auth::verify("sk_test_fedcba9876543210", &sts, &sig), "{action}: signature");
            }
        }
        seen.insert(action);
    }
    let categories = std::fs::read_to_string(dir.join("support_faq_categories.json")).unwrap();
    assert!(categories.contains("43fa451cf4c01c8bb5d5887f4ce909d06b91b070cd6ed19e55bbcc63f83f12ef486c59cae53c200518e64d5e4e8bd81a105fb06801d0d718f5ff27dd77052b94"));
    assert_eq!(seen.len(), 7);
}
