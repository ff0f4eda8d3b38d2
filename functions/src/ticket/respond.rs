//! `POST /support_ticket_respond`: the owner or staff (`ticketControl.allowModify`) adds a message,
//! with up to 5 attachments; staff may also set status and priority or write an internal note.
//!
//! The message and the ticket's counters, timestamps, status and priority change in one
//! transaction that also requires the ticket to still exist and not be closed; attachments are
//! uploaded before it and deleted again when it fails.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use serde_json::json;
use shared::{
    attachments, auth,
    errors::ticket as err,
    input::{JsonBody, MAX_SHORT, MAX_TEXT},
    store::{
        self,
        ticket::{self as model, Message, Now},
        n, s, Guarded,
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::{load, put_new, ticket_id, MODIFY};

pub const ACTION: &str = "support_ticket_respond";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

fn lower(v: Option<String>) -> Option<String> {
    v.map(|v| v.trim().to_ascii_lowercase())
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let body = JsonBody::parse(&req)?;
    let ticket_id = ticket_id(&body)?;
    let content = body.req_str("message", MAX_TEXT, &err::RESPOND_MESSAGE_REQUIRED)?;
    let new_status = lower(body.opt_str("update_status", MAX_SHORT)?);
    let new_priority = lower(body.opt_str("update_priority", MAX_SHORT)?);
    let internal = body.opt_bool("internal_note")?.unwrap_or(false);

    let ticket = load(ctx, &ticket_id, &err::RESPOND_NOT_FOUND).await?;
    let is_owner = ticket.user_id == caller.user_id;
    let staff = caller.can(MODIFY);
    if !is_owner && !staff {
        return Err(err::RESPOND_FORBIDDEN.err().with_log(format!("caller {} is neither owner nor staff", caller.user_id)));
    }
    if !staff && (new_status.is_some() || new_priority.is_some() || internal) {
        return Err(err::RESPOND_FORBIDDEN.err().with_log("staff-only field from a non-staff caller"));
    }
    if new_status.as_deref().is_some_and(|v| !model::STATUSES.contains(&v)) {
        return Err(err::RESPOND_STATUS_INVALID.err());
    }
    if new_priority.as_deref().is_some_and(|v| !model::PRIORITIES.contains(&v)) {
        return Err(err::RESPOND_PRIORITY_INVALID.err());
    }
    if ticket.status == model::STATUS_CLOSED {
        return Err(err::RESPOND_CLOSED.err());
    }
    let uploads = attachments::decode_all(body.opt_array("attachments")?, &err::RESPOND_ATTACHMENT_TOO_LARGE)?;
    drop(body);
    drop(req);

    let stored = attachments::put_all(ctx, &ticket.ticket_id, uploads).await?;
    let now = Now::get();
    // The owner writes as the user; anyone else got here through ticketControl.allowModify.
    let (kind, staff_name) = if is_owner {
        (model::FROM_USER, None)
    } else {
        (model::FROM_SUPPORT, Some(caller.display_name.clone().unwrap_or_else(|| "Support team".into())))
    };
    let message = Message::new(&ticket.ticket_id, kind, &caller.user_id, staff_name, content, internal, &now, stored);

    // Ticket changes: counters of what the owner can see vs. staff only; `updated_at` moves only
    // with something the owner can see.
    let status = new_status.clone().unwrap_or_else(|| ticket.status.clone());
    let priority = new_priority.clone().unwrap_or_else(|| ticket.priority.clone());
    let (replies, files) = if internal { ("internal_notes", "internal_attachments") } else { ("public_replies", "public_attachments") };
    let visible_change = !internal || status != ticket.status || priority != ticket.priority;
    let mut sets = vec!["staff_updated_at = :now"];
    if visible_change {
        sets.push("updated_at = :now");
    }
    if new_status.is_some() {
        sets.push("#st = :st");
    }
    if new_priority.is_some() {
        sets.push("priority = :pr");
    }
    if !is_owner {
        sets.push("updated_by = :me");
    }
    let mut update = Update::builder()
        .table_name(&ctx.config.tables.tickets)
        .key("pk", s(model::pk(&ticket.ticket_id)))
        .key("sk", s(model::TICKET_SK))
        .update_expression(format!("SET {} ADD {replies} :one, {files} :files", sets.join(", ")))
        .condition_expression("attribute_exists(pk) AND #st <> :closed")
        .expression_attribute_names("#st", "status")
        .expression_attribute_values(":now", s(now.iso.clone()))
        .expression_attribute_values(":closed", s(model::STATUS_CLOSED))
        .expression_attribute_values(":one", n(1))
        .expression_attribute_values(":files", n(message.attachments.len()));
    if let Some(st) = &new_status {
        update = update.expression_attribute_values(":st", s(st.clone()));
    }
    if let Some(pr) = &new_priority {
        update = update.expression_attribute_values(":pr", s(pr.clone()));
    }
    if !is_owner {
        update = update.expression_attribute_values(":me", s(caller.user_id.clone()));
    }

    let written = async {
        let writes = vec![
            Guarded::new(
                TransactWriteItem::builder().update(update.build().map_err(ApiError::internal)?).build(),
                Some(err::RESPOND_CLOSED.err().with_log("ticket closed or deleted meanwhile")),
            ),
            Guarded::from(put_new(ctx, message.to_item()?)?),
        ];
        store::transact(ctx, writes).await
    }
    .await;
    if let Err(e) = written {
        attachments::delete(ctx, &message.attachments).await;
        if e.status == 409 && model::get(ctx, &ticket.ticket_id).await?.is_none() {
            return Err(err::RESPOND_NOT_FOUND.err().with_log("ticket deleted meanwhile"));
        }
        return Err(e);
    }

    Ok(Reply::new(json!({
        "success": true,
        "ticket_id": ticket.ticket_id,
        "message_id": message.message_id,
        "created_at": message.created_at,
        "ticket_status": status,
        "ticket_priority": priority,
    })))
}
