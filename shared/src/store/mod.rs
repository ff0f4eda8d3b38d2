//! DynamoDB access shared by the actions: error classification, guarded transactions and
//! filled pages. Domain records live in the sub-modules.

pub mod contact;
pub mod faq;
pub mod ticket;
pub mod tutorial;

use std::collections::HashMap;

use aws_sdk_dynamodb::{
    error::{DisplayErrorContext, ProvideErrorMetadata, SdkError},
    operation::query::builders::QueryFluentBuilder,
    types::{AttributeValue, TransactWriteItem},
};

use crate::config::Ctx;
use crate::errors::ApiError;

/// A DynamoDB item.
pub type Item = HashMap<String, AttributeValue>;

/// Whether an SDK error is a failed condition expression.
pub fn is_condition_failed<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.code() == Some("ConditionalCheckFailedException")
}

/// The full error text for the log.
pub fn describe<E: std::error::Error + 'static>(e: &E) -> String {
    DisplayErrorContext(e).to_string()
}

/// An internal error from any SDK error.
pub fn internal<E: std::error::Error + 'static>(e: E) -> ApiError {
    ApiError::internal(describe(&e))
}

/// One write of a transaction and the error answered when its condition fails.
pub struct Guarded {
    pub item: TransactWriteItem,
    pub on_condition_failed: Option<ApiError>,
}

impl Guarded {
    pub fn new(item: TransactWriteItem, on_condition_failed: Option<ApiError>) -> Self {
        Guarded { item, on_condition_failed }
    }
}

impl From<TransactWriteItem> for Guarded {
    fn from(item: TransactWriteItem) -> Self {
        Guarded { item, on_condition_failed: None }
    }
}

/// Runs all writes or none. When a condition fails, answers the error of the first write whose
/// condition failed. Conflicts with concurrent transactions are retried.
pub async fn transact(ctx: &Ctx, writes: Vec<Guarded>) -> Result<(), ApiError> {
    let items: Vec<TransactWriteItem> = writes.iter().map(|w| w.item.clone()).collect();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let result = ctx.ddb.transact_write_items().set_transact_items(Some(items.clone())).send().await;
        let err = match result {
            Ok(_) => return Ok(()),
            Err(e) => e,
        };
        let service = err.as_service_error();
        let reasons: Vec<Option<String>> = match service {
            Some(aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(c)) => {
                c.cancellation_reasons().iter().map(|r| r.code().map(str::to_owned)).collect()
            }
            _ => Vec::new(),
        };
        if let Some(i) = reasons.iter().position(|c| c.as_deref() == Some("ConditionalCheckFailed")) {
            if let Some(e) = writes.get(i).and_then(|w| w.on_condition_failed.clone()) {
                return Err(e);
            }
            return Err(ApiError::internal(format!("transaction write {i} failed its condition")));
        }
        let conflict = reasons.iter().any(|c| c.as_deref() == Some("TransactionConflict"))
            || matches!(err.code(), Some("TransactionConflictException" | "TransactionInProgressException" | "ThrottlingException"));
        if conflict && attempt < 8 {
            let wait = 10u64 * 2u64.pow(attempt.min(6)) + rand::random::<u64>() % 25;
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
            continue;
        }
        if reasons.is_empty() && err.code() == Some("TransactionCanceledException") {
            // Stand-ins that give no reasons: answer the only guarded error when there is one.
            let mut guarded = writes.iter().filter_map(|w| w.on_condition_failed.clone());
            if let (Some(e), None) = (guarded.next(), guarded.next()) {
                return Err(e);
            }
        }
        return Err(internal(err));
    }
}

/// One page of a query: at most `limit` items that passed the filter, and the key to start the
/// next page from, when more items exist.
#[derive(Debug, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub next: Option<Item>,
}

/// Fills a page: queries (from `start`) until `limit` items pass `keep` or the data ends. The
/// next-page key is built from the last returned item's `key_attrs` (table and index keys), so a
/// page is full even when a filter drops items, and no item is skipped or repeated.
pub async fn query_page(
    ctx: &Ctx,
    build: impl Fn() -> QueryFluentBuilder,
    start: Option<Item>,
    limit: usize,
    keep: impl Fn(&Item) -> bool,
    key_attrs: &[&str],
) -> Result<Page, ApiError> {
    let _ = ctx;
    let mut items = Vec::new();
    let mut cursor = start;
    loop {
        let want = (limit + 1 - items.len()).max(10) as i32;
        let out = build().set_exclusive_start_key(cursor.take()).limit(want).send().await.map_err(internal)?;
        for item in out.items.unwrap_or_default() {
            if keep(&item) {
                items.push(item);
            }
        }
        if items.len() > limit {
            break;
        }
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => cursor = Some(k),
            _ => break,
        }
    }
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(|last| {
            key_attrs.iter().filter_map(|k| last.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect()
        })
    } else {
        None
    };
    Ok(Page { items, next })
}

/// One item by its table key (`pk`, `sk`), read consistently.
pub async fn get(ctx: &Ctx, table: &str, pk: &str, sk: &str) -> Result<Option<Item>, ApiError> {
    let out = ctx
        .ddb
        .get_item()
        .table_name(table)
        .key("pk", s(pk))
        .key("sk", s(sk))
        .consistent_read(true)
        .send()
        .await
        .map_err(internal)?;
    Ok(out.item)
}

/// A query of one partition of an index (`<index>pk = value`), newest first: every index sort key
/// starts with a fixed-width time. Callers may add a sort-key condition or a filter.
pub fn newest_first(ctx: &Ctx, table: &str, index: &str, value: &str) -> QueryFluentBuilder {
    ctx.ddb
        .query()
        .table_name(table)
        .index_name(index)
        .key_condition_expression("#pk = :pk")
        .expression_attribute_names("#pk", format!("{index}pk"))
        .expression_attribute_values(":pk", s(value))
        .scan_index_forward(false)
}

/// The string value of an item's attribute.
pub fn attr_s<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    item.get(name).and_then(|v| v.as_s().ok()).map(String::as_str)
}

/// String attribute helper.
pub fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// Number attribute helper.
pub fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
