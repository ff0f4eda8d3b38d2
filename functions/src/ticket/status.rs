//! `PUT /support_update_ticket_status`: staff with `ticketControl.allowModify` move a ticket to
//! another status, optionally with an internal note, and (by default) notify its owner.
//!
//! The change is written on the condition that the status is still the one read, so
//! `previous_status` is exact under concurrent updates; the note (an internal message) and the
//! notification record are part of the same transaction.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use serde_json::json;
use shared::{
    auth,
    errors::ticket as err,
    input::{JsonBody, MAX_SHORT, MAX_TEXT},
    store::{
        self,
        ticket::{self as model, Message, Notification, Now},
        n, s, Guarded,
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::{load, put_new, ticket_id, MODIFY};

pub const ACTION: &str = "support_update_ticket_status";
/// Attempts when the status changes between read and write.
const ATTEMPTS: usize = 5;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    caller.require(MODIFY, &err::STATUS_FORBIDDEN)?;
    let body = JsonBody::parse(&req)?;
    let ticket_id = ticket_id(&body)?;
    let status = body.req_str("status", MAX_SHORT, &err::STATUS_REQUIRED)?.trim().to_ascii_lowercase();
    if !model::STATUSES.contains(&status.as_str()) {
        return Err(err::STATUS_INVALID.err());
    }
    let note = body.opt_str("internal_note", MAX_TEXT)?;
    let notify = body.opt_bool("notify_user")?.unwrap_or(true);
    let staff_name = caller.display_name.clone().unwrap_or_else(|| "Support team".into());

    for _ in 0..ATTEMPTS {
        let ticket = load(ctx, &ticket_id, &err::STATUS_NOT_FOUND).await?;
        let previous = ticket.status.clone();
        let changed = previous != status;
        let now = Now::get();

        let mut sets = vec!["#st = :st", "staff_updated_at = :now", "updated_by = :me"];
        if changed {
            sets.push("updated_at = :now");
        }
        let mut update = Update::builder()
            .table_name(&ctx.config.tables.tickets)
            .key("pk", s(model::pk(&ticket.ticket_id)))
            .key("sk", s(model::TICKET_SK))
            .condition_expression("attribute_exists(pk) AND #st = :prev")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":st", s(status.clone()))
            .expression_attribute_values(":prev", s(previous.clone()))
            .expression_attribute_values(":now", s(now.iso.clone()))
            .expression_attribute_values(":me", s(caller.user_id.clone()));
        let mut writes = Vec::new();
        if let Some(note) = &note {
            update = update.expression_attribute_values(":one", n(1));
            let message = Message::new(&ticket.ticket_id, model::FROM_SUPPORT, &caller.user_id, Some(staff_name.clone()), note.clone(), true, &now, Vec::new());
            writes.push(Guarded::from(put_new(ctx, message.to_item()?)?));
        }
        let add = if note.is_some() { " ADD internal_notes :one" } else { "" };
        update = update.update_expression(format!("SET {}{add}", sets.join(", ")));
        let notification_sent = notify && changed;
        if notification_sent {
            let notification = Notification::status_changed(&ticket, &previous, &status, &now);
            writes.push(Guarded::from(put_new(ctx, serde_dynamo::to_item(&notification).map_err(ApiError::internal)?)?));
        }
        let stale = ApiError::internal("status changed meanwhile");
        writes.insert(
            0,
            Guarded::new(TransactWriteItem::builder().update(update.build().map_err(ApiError::internal)?).build(), Some(stale.clone())),
        );
        match store::transact(ctx, writes).await {
            Ok(()) => {
                return Ok(Reply::new(json!({
                    "ticket_id": ticket.ticket_id,
                    "previous_status": previous,
                    "current_status": status,
                    "updated_at": now.iso,
                    "updated_by": caller.user_id,
                    "notification_sent": notification_sent,
                })))
            }
            // Changed or deleted since read: read again (a deleted ticket then answers 404).
            Err(e) if e == stale => continue,
            Err(e) => return Err(e),
        }
    }
    Err(ApiError::internal("ticket status kept changing during the update"))
}
