//! Tickets, messages (with attachment metadata), feedback, notifications, deletion audits and
//! the per-day reference counter (issue 4). All in the tickets table:
//!
//! | record | `pk` | `sk` | `gsi1pk` / `gsi1sk` | `gsi2pk` / `gsi2sk` |
//! |---|---|---|---|---|
//! | ticket | `TICKET#<tkt id>` | `TICKET` | `USER#<owner>` / `<ms13>#<tkt id>` | `TICKETS` / `<ms13>#<tkt id>` |
//! | message | `TICKET#<tkt id>` | `MSG#<ms13>#<msg id>` | — | — |
//! | feedback | `TICKET#<tkt id>` | `FEEDBACK` | — | `FEEDBACK` / `<ms13>#<fb id>` |
//! | notification | `TICKET#<tkt id>` | `NOTIFY#<ms13>#<ntf id>` | `NOTIFY#<owner>` / `<ms13>#<ntf id>` | — |
//! | deletion audit | `AUDIT#<tkt id>` | `DELETED` | — | `AUDIT` / `<ms13>#<tkt id>` |
//! | reference counter | `REFSEQ#<YYYY-MM-DD>` | `REFSEQ` | — | — |
//!
//! (`<ms13>` = creation time as 13-digit epoch milliseconds.) A user's tickets, newest first:
//! `gsi1` on `USER#<owner>`; everyone's (staff): `gsi2` on `TICKETS`; a date range is a key
//! condition on the sort key. One ticket with its conversation, feedback and notifications is
//! one item collection (`pk`), so details is one query and deletion finds everything.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::attachments::Stored;
use crate::config::Ctx;
use crate::errors::ApiError;
use crate::ids;
use crate::store::{self, s, Item};

pub const TICKET_SK: &str = "TICKET";
pub const MSG_PREFIX: &str = "MSG#";
pub const NOTIFY_PREFIX: &str = "NOTIFY#";
pub const FEEDBACK_SK: &str = "FEEDBACK";
pub const AUDIT_SK: &str = "DELETED";
pub const ALL_TICKETS: &str = "TICKETS";
pub const FEEDBACK_LIST: &str = "FEEDBACK";
pub const AUDIT_LIST: &str = "AUDIT";

/// Table and index key attributes of the two list indexes (for page tokens).
pub const GSI1_KEYS: [&str; 4] = ["pk", "sk", "gsi1pk", "gsi1sk"];
pub const GSI2_KEYS: [&str; 4] = ["pk", "sk", "gsi2pk", "gsi2sk"];

pub const STATUS_OPEN: &str = "open";
pub const STATUS_IN_PROGRESS: &str = "in_progress";
pub const STATUS_RESOLVED: &str = "resolved";
pub const STATUS_CLOSED: &str = "closed";
pub const STATUSES: [&str; 4] = [STATUS_OPEN, STATUS_IN_PROGRESS, STATUS_RESOLVED, STATUS_CLOSED];
pub const CATEGORIES: [&str; 4] = ["account", "payment", "technical", "other"];
/// Priorities a user may ask for on create.
pub const CREATE_PRIORITIES: [&str; 3] = ["low", "medium", "high"];
/// Priorities staff may set.
pub const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];
pub const DEFAULT_PRIORITY: &str = "medium";
/// Areas a feedback may name.
pub const FEEDBACK_AREAS: [&str; 4] = ["response_time", "solution_quality", "communication", "follow_up"];

/// Message `type`s.
pub const FROM_USER: &str = "user";
pub const FROM_SUPPORT: &str = "support";

/// Characters of the opening message shown in lists.
pub const PREVIEW_CHARS: usize = 100;

pub fn pk(ticket_id: &str) -> String {
    format!("TICKET#{ticket_id}")
}

pub fn user_list_pk(user_id: &str) -> String {
    format!("USER#{user_id}")
}

/// Sort key of a list entry (ticket, feedback, audit): creation time, then id.
pub fn list_sk(ms: i64, id: &str) -> String {
    format!("{}#{id}", crate::clock::sortable_ms(ms))
}

pub fn msg_sk(ms: i64, message_id: &str) -> String {
    format!("{MSG_PREFIX}{}", list_sk(ms, message_id))
}

pub fn audit_pk(ticket_id: &str) -> String {
    format!("AUDIT#{ticket_id}")
}

/// `estimated_resolution_time` of a priority.
pub fn estimated_resolution_time(priority: &str) -> &'static str {
    match priority {
        "critical" => "4 hours",
        "high" => "24 hours",
        "low" => "72 hours",
        _ => "48 hours",
    }
}

/// The first [`PREVIEW_CHARS`] characters of a message, cut at a word and marked with `...`.
pub fn preview(message: &str) -> String {
    let message = message.trim();
    if message.chars().count() <= PREVIEW_CHARS {
        return message.to_owned();
    }
    let cut: String = message.chars().take(PREVIEW_CHARS).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > PREVIEW_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}...", at_word.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation()))
}

/// One support ticket. Counters are kept on the record by the transactions that add messages:
/// `public_*` count what the owner can see, `internal_*` what only staff can see; `updated_at`
/// moves only on changes the owner can see, `staff_updated_at` on every change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Ticket {
    pub pk: String,
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub gsi2pk: String,
    pub gsi2sk: String,
    pub ticket_id: String,
    pub reference_number: String,
    pub user_id: String,
    pub subject: String,
    /// The opening message (also the first message record).
    pub message: String,
    pub category: String,
    pub priority: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    pub created_at: String,
    pub created_ms: i64,
    pub updated_at: String,
    pub staff_updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by: Option<String>,
    /// Visible replies after the opening message.
    #[serde(default)]
    pub public_replies: i64,
    #[serde(default)]
    pub internal_notes: i64,
    #[serde(default)]
    pub public_attachments: i64,
    #[serde(default)]
    pub internal_attachments: i64,
}

impl Ticket {
    pub fn from_item(item: Item) -> Result<Self, ApiError> {
        serde_dynamo::from_item(item).map_err(|e| ApiError::internal(format!("bad ticket record: {e}")))
    }

    pub fn to_item(&self) -> Result<Item, ApiError> {
        serde_dynamo::to_item(self).map_err(ApiError::internal)
    }

    /// `response_count` for a caller; `staff` callers (who may see internal notes) count them too.
    pub fn response_count(&self, staff: bool) -> i64 {
        self.public_replies + if staff { self.internal_notes } else { 0 }
    }

    pub fn has_attachments(&self, staff: bool) -> bool {
        self.public_attachments + if staff { self.internal_attachments } else { 0 } > 0
    }

    pub fn updated_at_for(&self, staff: bool) -> &str {
        if staff { &self.staff_updated_at } else { &self.updated_at }
    }

    /// One entry of the list.
    pub fn list_json(&self, staff: bool) -> Value {
        let mut v = json!({
            "ticket_id": self.ticket_id,
            "reference_number": self.reference_number,
            "subject": self.subject,
            "category": self.category,
            "priority": self.priority,
            "status": self.status,
            "message": preview(&self.message),
            "transaction_id": self.transaction_id,
            "has_attachments": self.has_attachments(staff),
            "created_at": self.created_at,
            "updated_at": self.updated_at_for(staff),
            "response_count": self.response_count(staff),
        });
        if staff {
            v["user_id"] = json!(self.user_id);
        }
        v
    }

    /// The `ticket` member of details.
    pub fn details_json(&self, staff: bool) -> Value {
        let mut v = json!({
            "ticket_id": self.ticket_id,
            "reference_number": self.reference_number,
            "subject": self.subject,
            "category": self.category,
            "priority": self.priority,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at_for(staff),
            "transaction_id": self.transaction_id,
            "estimated_resolution_time": estimated_resolution_time(&self.priority),
        });
        if staff {
            v["user_id"] = json!(self.user_id);
            v["updated_by"] = json!(self.updated_by);
        }
        v
    }
}

/// One message of a ticket's conversation (the opening message included).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Message {
    pub pk: String,
    pub sk: String,
    pub message_id: String,
    pub ticket_id: String,
    /// `user` or `support`.
    #[serde(rename = "type")]
    pub kind: String,
    pub author_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_name: Option<String>,
    pub content: String,
    /// Visible to staff only.
    #[serde(default)]
    pub internal: bool,
    pub created_at: String,
    pub created_ms: i64,
    #[serde(default)]
    pub attachments: Vec<Stored>,
}

impl Message {
    #[allow(clippy::too_many_arguments)]
    pub fn new(ticket_id: &str, kind: &str, author_id: &str, staff_name: Option<String>, content: String, internal: bool, now: &Now, attachments: Vec<Stored>) -> Self {
        let message_id = ids::short_id(ids::MESSAGE);
        Message {
            pk: pk(ticket_id),
            sk: msg_sk(now.ms, &message_id),
            message_id,
            ticket_id: ticket_id.to_owned(),
            kind: kind.to_owned(),
            author_id: author_id.to_owned(),
            staff_name,
            content,
            internal,
            created_at: now.iso.clone(),
            created_ms: now.ms,
            attachments,
        }
    }

    pub fn from_item(item: Item) -> Result<Self, ApiError> {
        serde_dynamo::from_item(item).map_err(|e| ApiError::internal(format!("bad message record: {e}")))
    }

    pub fn to_item(&self) -> Result<Item, ApiError> {
        serde_dynamo::to_item(self).map_err(ApiError::internal)
    }
}

/// A user's rating of the support a ticket got. Holds no staff id (feedback is anonymous to
/// the agent).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Feedback {
    pub pk: String,
    pub sk: String,
    pub gsi2pk: String,
    pub gsi2sk: String,
    pub feedback_id: String,
    pub ticket_id: String,
    pub rating: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    #[serde(default)]
    pub areas_for_improvement: Vec<String>,
    pub category: String,
    pub submitted_at: String,
}

/// A notification for a ticket's owner (written by status updates with `notify_user`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Notification {
    pub pk: String,
    pub sk: String,
    pub gsi1pk: String,
    pub gsi1sk: String,
    pub notification_id: String,
    pub user_id: String,
    pub ticket_id: String,
    pub reference_number: String,
    pub kind: String,
    pub previous_status: String,
    pub current_status: String,
    pub message: String,
    pub created_at: String,
    pub read: bool,
}

impl Notification {
    pub fn status_changed(ticket: &Ticket, previous: &str, current: &str, now: &Now) -> Self {
        let id = ids::short_id(ids::NOTIFICATION);
        Notification {
            pk: pk(&ticket.ticket_id),
            sk: format!("{NOTIFY_PREFIX}{}", list_sk(now.ms, &id)),
            gsi1pk: format!("NOTIFY#{}", ticket.user_id),
            gsi1sk: list_sk(now.ms, &id),
            notification_id: id,
            user_id: ticket.user_id.clone(),
            ticket_id: ticket.ticket_id.clone(),
            reference_number: ticket.reference_number.clone(),
            kind: "ticket_status_changed".into(),
            previous_status: previous.to_owned(),
            current_status: current.to_owned(),
            message: format!("The status of your support ticket {} is now {}.", ticket.reference_number, current.replace('_', " ")),
            created_at: now.iso.clone(),
            read: false,
        }
    }
}

/// What is kept of a deleted ticket: no user id, subject or message text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeletionAudit {
    pub pk: String,
    pub sk: String,
    pub gsi2pk: String,
    pub gsi2sk: String,
    pub ticket_id: String,
    pub reference_number: String,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub created_at: String,
    pub deleted_at: String,
    pub deleted_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub message_count: i64,
    pub attachment_count: i64,
}

/// One instant in both forms the records use.
#[derive(Debug, Clone)]
pub struct Now {
    pub ms: i64,
    pub iso: String,
    /// `YYYY-MM-DD` (UTC), the day of a reference number.
    pub day: String,
}

impl Now {
    pub fn get() -> Self {
        let t = crate::clock::now();
        let ms = (t.unix_timestamp_nanos() / 1_000_000) as i64;
        Now { ms, iso: crate::clock::iso(t), day: crate::clock::iso(t)[..10].to_owned() }
    }
}

/// The ticket `ticket_id`; `None` when it does not exist or the id is malformed.
pub async fn get(ctx: &Ctx, ticket_id: &str) -> Result<Option<Ticket>, ApiError> {
    if !ids::is_short_id(ticket_id, ids::TICKET) {
        return Ok(None);
    }
    store::get(ctx, &ctx.config.tables.tickets, &pk(ticket_id), TICKET_SK).await?.map(Ticket::from_item).transpose()
}

/// Every record of a ticket's item collection whose sort key starts with `prefix` ("" = all),
/// in sort key order (messages: oldest first).
pub async fn collection(ctx: &Ctx, ticket_id: &str, prefix: &str) -> Result<Vec<Item>, ApiError> {
    let mut items = Vec::new();
    let mut start: Option<HashMap<String, AttributeValue>> = None;
    loop {
        let mut q = ctx
            .ddb
            .query()
            .table_name(&ctx.config.tables.tickets)
            .consistent_read(true)
            .set_exclusive_start_key(start.take())
            .expression_attribute_values(":pk", s(pk(ticket_id)));
        q = if prefix.is_empty() {
            q.key_condition_expression("pk = :pk")
        } else {
            q.key_condition_expression("pk = :pk AND begins_with(sk, :prefix)").expression_attribute_values(":prefix", s(prefix))
        };
        let out = q.send().await.map_err(store::internal)?;
        items.extend(out.items.unwrap_or_default());
        match out.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => return Ok(items),
        }
    }
}

/// The messages of a ticket, oldest first.
pub async fn messages(ctx: &Ctx, ticket_id: &str) -> Result<Vec<Message>, ApiError> {
    collection(ctx, ticket_id, MSG_PREFIX).await?.into_iter().map(Message::from_item).collect()
}

/// The next reference number of `day` (`MP-YYYY-MM-DD-NNNNNN`) from an atomic per-day counter:
/// concurrent callers never get the same number. A number taken by a request that then fails is
/// not reused (numbers are unique, not gap-free).
pub async fn next_reference(ctx: &Ctx, day: &str) -> Result<String, ApiError> {
    let out = ctx
        .ddb
        .update_item()
        .table_name(&ctx.config.tables.tickets)
        .key("pk", s(format!("REFSEQ#{day}")))
        .key("sk", s("REFSEQ"))
        .update_expression("ADD seq :one")
        .expression_attribute_values(":one", store::n(1))
        .return_values(ReturnValue::UpdatedNew)
        .send()
        .await
        .map_err(store::internal)?;
    let seq = out
        .attributes
        .and_then(|a| a.get("seq").and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<u64>().ok()))
        .ok_or_else(|| ApiError::internal("reference counter returned no value"))?;
    Ok(format!("MP-{day}-{seq:06}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_cut_at_a_word() {
        assert_eq!(preview("short"), "short");
        let long = "I made a payment for electricity but the transaction failed and I haven't received a refund yet. The transaction ID is txn_987654321.";
        let p = preview(long);
        assert!(p.ends_with("...") && p.chars().count() <= PREVIEW_CHARS + 3, "{p}");
        assert!(long.starts_with(p.trim_end_matches("...")));
    }

    #[test]
    fn resolution_times_follow_priority() {
        assert_eq!(estimated_resolution_time("critical"), "4 hours");
        assert_eq!(estimated_resolution_time("high"), "24 hours");
        assert_eq!(estimated_resolution_time("medium"), "48 hours");
        assert_eq!(estimated_resolution_time("low"), "72 hours");
    }

    #[test]
    fn keys_sort_by_time() {
        assert!(msg_sk(5, "msg_b") < msg_sk(10, "msg_a"));
        assert_eq!(list_sk(1686853822000, "tkt_x"), "1686853822000#tkt_x");
    }
}
