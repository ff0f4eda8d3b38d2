//! Create, update and soft-remove of FAQs: each one transaction of the FAQ item, its question
//! claim and its category counters, so uniqueness and counts hold under concurrent use.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem, Update};

use super::{
    category::counter_change, claim_pk, category_list_pk, pk, record, text, Faq, ACTIVE, ACTIVE_PK, CLAIM_SK,
    REMOVED, SK,
};
use crate::config::Ctx;
use crate::errors::{faq as err, ApiError};
use crate::store::{self, n, s, Guarded};
use crate::{clock, ids};

/// Attempts of a write whose read was overtaken by a concurrent writer.
const MAX_ATTEMPTS: u32 = 30;
/// Log text of the error that marks a lost race (never answered: the write is retried).
const RACE: &str = "faq record changed since it was read";

fn race() -> ApiError {
    ApiError::internal(RACE)
}

fn is_race(e: &ApiError) -> bool {
    e.status == 500 && e.log.as_deref() == Some(RACE)
}

fn too_busy() -> ApiError {
    ApiError::internal("faq write lost the race too many times")
}

/// A short random pause before retrying a lost race, growing with the attempt, so concurrent
/// writers of one item spread out instead of colliding again.
pub(crate) async fn backoff(attempt: u32) {
    let ceiling = 5u64 << attempt.min(6);
    tokio::time::sleep(std::time::Duration::from_millis(1 + rand::random::<u64>() % ceiling)).await;
}

/// The list sort key: creation time then marker.
fn sort_key(recorded_ms: i64, marker: &str) -> String {
    format!("{}#{marker}", clock::sortable_ms(recorded_ms))
}

fn put(item: HashMap<String, AttributeValue>, table: &str, condition: &str) -> Result<TransactWriteItem, ApiError> {
    let put = Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression(condition)
        .build()
        .map_err(ApiError::internal)?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// Claims `question_key` for `marker`; refused with the duplicate error when it is taken.
fn claim(ctx: &Ctx, question_key: &str, marker: &str, now_ms: i64) -> Result<Guarded, ApiError> {
    let item = HashMap::from([
        ("pk".to_owned(), s(claim_pk(question_key))),
        ("sk".to_owned(), s(CLAIM_SK)),
        ("marker".to_owned(), s(marker)),
        ("claimed_ms".to_owned(), n(now_ms)),
    ]);
    Ok(Guarded::new(put(item, &ctx.config.tables.faqs, "attribute_not_exists(pk)")?, Some(err::DUPLICATE.err())))
}

/// Releases the claim of `question_key` held by `marker` (a claim held by another FAQ stays).
fn release(ctx: &Ctx, question_key: &str, marker: &str) -> Result<Guarded, ApiError> {
    let delete = Delete::builder()
        .table_name(&ctx.config.tables.faqs)
        .key("pk", s(claim_pk(question_key)))
        .key("sk", s(CLAIM_SK))
        .condition_expression("attribute_not_exists(pk) OR marker = :m")
        .expression_attribute_values(":m", s(marker))
        .build()
        .map_err(ApiError::internal)?;
    Ok(Guarded::from(TransactWriteItem::builder().delete(delete).build()))
}

/// A new FAQ as validated by the handler: text as sent (encoded here).
#[derive(Debug, Clone)]
pub struct NewFaq {
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub by: String,
}

/// Stores a new active FAQ, claims its question and counts it in its category, all or nothing.
/// A question already claimed by an active FAQ -> 409 duplicate.
pub async fn create(ctx: &Ctx, new: NewFaq) -> Result<Faq, ApiError> {
    let marker = ids::marker(ids::FAQ);
    let now = clock::now_ms();
    let sort = sort_key(now, &marker);
    let faq = Faq {
        pk: pk(&marker),
        sk: SK.into(),
        gsi1pk: Some(ACTIVE_PK.into()),
        gsi1sk: Some(sort.clone()),
        gsi2pk: new.category.as_deref().map(category_list_pk),
        gsi2sk: new.category.as_ref().map(|_| sort),
        marker: marker.clone(),
        question: text::encode(&new.question),
        answer: text::encode(&new.answer),
        question_key: text::question_key(&new.question),
        category: new.category.clone(),
        status: ACTIVE.into(),
        recorded_ms: now,
        updated_ms: now,
        removed_ms: None,
        created_by: new.by.clone(),
        updated_by: new.by,
        version: 1,
        helpful_count: 0,
        unhelpful_count: 0,
    };
    let mut writes = vec![
        Guarded::from(put(faq.to_item()?, &ctx.config.tables.faqs, "attribute_not_exists(pk)")?),
        claim(ctx, &faq.question_key, &marker, now)?,
    ];
    if let Some(c) = &faq.category {
        writes.push(counter_change(ctx, c, 1)?.into());
    }
    store::transact(ctx, writes).await?;
    Ok(faq)
}

/// A partial update: only the `Some` fields change. `category: Some(None)` clears the category.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub question: Option<String>,
    pub answer: Option<String>,
    pub category: Option<Option<String>>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.question.is_none() && self.answer.is_none() && self.category.is_none()
    }
}

/// Applies `changes` to the active FAQ `marker`: moves its question claim when the normalised
/// question changes (409 when the new one is taken) and its category count when the category
/// changes. Unknown or removed -> 404 (update's text).
pub async fn update(ctx: &Ctx, marker: &str, changes: &Changes, by: &str) -> Result<Faq, ApiError> {
    for attempt in 0..MAX_ATTEMPTS {
        let current = record::get_active(ctx, marker).await?.ok_or_else(|| err::UPDATE_NOT_FOUND.err())?;
        match try_update(ctx, &current, changes, by).await {
            Err(e) if is_race(&e) => backoff(attempt).await,
            other => return other,
        }
    }
    Err(too_busy())
}

async fn try_update(ctx: &Ctx, current: &Faq, changes: &Changes, by: &str) -> Result<Faq, ApiError> {
    let now = clock::now_ms();
    let mut next = current.clone();
    next.version += 1;
    next.updated_ms = now;
    next.updated_by = by.to_owned();
    if let Some(q) = &changes.question {
        next.question = text::encode(q);
        next.question_key = text::question_key(q);
    }
    if let Some(a) = &changes.answer {
        next.answer = text::encode(a);
    }
    if let Some(c) = &changes.category {
        next.category = c.clone();
        next.gsi2pk = c.as_deref().map(category_list_pk);
        next.gsi2sk = c.as_ref().map(|_| sort_key(current.recorded_ms, &current.marker));
    }

    let mut values = HashMap::from([
        (":now".to_owned(), n(now)),
        (":by".to_owned(), s(by)),
        (":nv".to_owned(), n(next.version)),
        (":v".to_owned(), n(current.version)),
        (":active".to_owned(), s(ACTIVE)),
        (":q".to_owned(), s(&next.question)),
        (":qk".to_owned(), s(&next.question_key)),
        (":a".to_owned(), s(&next.answer)),
    ]);
    let mut set = "updated_ms = :now, updated_by = :by, #version = :nv, question = :q, question_key = :qk, answer = :a".to_owned();
    let mut remove = "";
    match &next.category {
        Some(c) => {
            set.push_str(", category = :c, gsi2pk = :g2pk, gsi2sk = :g2sk");
            values.insert(":c".into(), s(c));
            values.insert(":g2pk".into(), s(next.gsi2pk.clone().unwrap_or_default()));
            values.insert(":g2sk".into(), s(next.gsi2sk.clone().unwrap_or_default()));
        }
        None => remove = " REMOVE category, gsi2pk, gsi2sk",
    }
    let faq_update = Update::builder()
        .table_name(&ctx.config.tables.faqs)
        .key("pk", s(&current.pk))
        .key("sk", s(SK))
        .update_expression(format!("SET {set}{remove}"))
        .condition_expression("#version = :v AND #status = :active")
        .expression_attribute_names("#version", "version")
        .expression_attribute_names("#status", "status")
        .set_expression_attribute_values(Some(values))
        .build()
        .map_err(ApiError::internal)?;
    let mut writes = vec![Guarded::new(TransactWriteItem::builder().update(faq_update).build(), Some(race()))];

    if next.question_key != current.question_key {
        writes.push(release(ctx, &current.question_key, &current.marker)?);
        writes.push(claim(ctx, &next.question_key, &current.marker, now)?);
    }
    if next.category != current.category {
        if let Some(old) = &current.category {
            writes.push(counter_change(ctx, old, -1)?.into());
        }
        if let Some(new) = &next.category {
            writes.push(counter_change(ctx, new, 1)?.into());
        }
    }
    store::transact(ctx, writes).await?;
    Ok(next)
}

/// Soft-removes the active FAQ `marker`: status `removed`, out of the lists, its question
/// released and its category count decreased. Unknown or already removed -> 404 (remove's text).
pub async fn remove(ctx: &Ctx, marker: &str, by: &str) -> Result<(), ApiError> {
    for attempt in 0..MAX_ATTEMPTS {
        let current = record::get_active(ctx, marker).await?.ok_or_else(|| err::REMOVE_NOT_FOUND.err())?;
        match try_remove(ctx, &current, by).await {
            Err(e) if is_race(&e) => backoff(attempt).await,
            other => return other,
        }
    }
    Err(too_busy())
}

async fn try_remove(ctx: &Ctx, current: &Faq, by: &str) -> Result<(), ApiError> {
    let now = clock::now_ms();
    let faq_update = Update::builder()
        .table_name(&ctx.config.tables.faqs)
        .key("pk", s(&current.pk))
        .key("sk", s(SK))
        .update_expression(
            "SET #status = :removed, removed_ms = :now, updated_ms = :now, updated_by = :by, #version = :nv \
             REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk",
        )
        .condition_expression("#version = :v AND #status = :active")
        .expression_attribute_names("#version", "version")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":removed", s(REMOVED))
        .expression_attribute_values(":active", s(ACTIVE))
        .expression_attribute_values(":now", n(now))
        .expression_attribute_values(":by", s(by))
        .expression_attribute_values(":nv", n(current.version + 1))
        .expression_attribute_values(":v", n(current.version))
        .build()
        .map_err(ApiError::internal)?;
    let mut writes = vec![
        Guarded::new(TransactWriteItem::builder().update(faq_update).build(), Some(race())),
        release(ctx, &current.question_key, &current.marker)?,
    ];
    if let Some(c) = &current.category {
        writes.push(counter_change(ctx, c, -1)?.into());
    }
    store::transact(ctx, writes).await
}
