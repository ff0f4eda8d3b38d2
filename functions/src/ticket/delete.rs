//! `DELETE /support_delete_ticket`: the owner deletes a ticket that is not `in_progress`.
//!
//! One transaction removes the ticket record (on the condition that the caller owns it and it is
//! not being processed) and writes the deletion audit; from then on the ticket is gone for every
//! action, and no reply can be added (replies require the ticket record). Then its messages,
//! feedback and notifications are deleted and its attachment objects removed for good.

use aws_sdk_dynamodb::types::{Delete, DeleteRequest, TransactWriteItem, WriteRequest};
use serde_json::json;
use shared::{
    attachments, auth,
    errors::ticket as err,
    input::{JsonBody, Query},
    store::{
        self,
        ticket::{self as model, DeletionAudit, Message, Now, Ticket},
        s, Guarded, Item,
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::{load, put_new};

pub const ACTION: &str = "support_delete_ticket";
pub const MAX_REASON: usize = 1000;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let body = JsonBody::parse(&req)?;
    // The spec sends a body; a `ticket_id` in the query string is accepted as well.
    let ticket_id = match body.opt_str("ticket_id", super::ID_ANY_LENGTH)? {
        Some(id) => id.trim().to_owned(),
        None => Query::from_request(&req).get("ticket_id", super::ID_ANY_LENGTH)?.ok_or_else(|| err::TICKET_ID_REQUIRED.err())?,
    };
    // The audit record keeps no personal data: addresses and long numbers leave the reason.
    let reason = body.opt_str("reason", MAX_REASON)?.map(|r| shared::redact::personal_data(r.trim()));

    let ticket = load(ctx, &ticket_id, &err::DELETE_NOT_FOUND).await?;
    if ticket.user_id != caller.user_id {
        return Err(err::DELETE_FORBIDDEN.err().with_log(format!("caller {} is not the owner", caller.user_id)));
    }
    if ticket.status == model::STATUS_IN_PROGRESS {
        return Err(err::DELETE_IN_PROGRESS.err());
    }

    let now = Now::get();
    let audit = DeletionAudit {
        pk: model::audit_pk(&ticket.ticket_id),
        sk: model::AUDIT_SK.into(),
        gsi2pk: model::AUDIT_LIST.into(),
        gsi2sk: model::list_sk(now.ms, &ticket.ticket_id),
        ticket_id: ticket.ticket_id.clone(),
        reference_number: ticket.reference_number.clone(),
        category: ticket.category.clone(),
        priority: ticket.priority.clone(),
        status: ticket.status.clone(),
        created_at: ticket.created_at.clone(),
        deleted_at: now.iso.clone(),
        deleted_by: "owner".into(),
        reason,
        message_count: 1 + ticket.public_replies + ticket.internal_notes,
        attachment_count: ticket.public_attachments + ticket.internal_attachments,
    };
    let remove = Delete::builder()
        .table_name(&ctx.config.tables.tickets)
        .key("pk", s(model::pk(&ticket.ticket_id)))
        .key("sk", s(model::TICKET_SK))
        .condition_expression("attribute_exists(pk) AND user_id = :me AND #st <> :busy")
        .expression_attribute_names("#st", "status")
        .expression_attribute_values(":me", s(caller.user_id.clone()))
        .expression_attribute_values(":busy", s(model::STATUS_IN_PROGRESS))
        .build()
        .map_err(ApiError::internal)?;
    let audit_item = serde_dynamo::to_item(&audit).map_err(ApiError::internal)?;
    let done = store::transact(
        ctx,
        vec![
            Guarded::new(TransactWriteItem::builder().delete(remove).build(), Some(err::DELETE_IN_PROGRESS.err())),
            Guarded::from(put_new(ctx, audit_item)?),
        ],
    )
    .await;
    if let Err(e) = done {
        // The condition failed: deleted meanwhile (404) or taken into processing (400).
        return Err(match model::get(ctx, &ticket.ticket_id).await? {
            None if e.status == 400 => err::DELETE_NOT_FOUND.err().with_log("deleted meanwhile"),
            _ => e,
        });
    }

    remove_children(ctx, &ticket).await?;
    Ok(Reply::new(json!({
        "ticket_id": ticket.ticket_id,
        "deleted_at": now.iso,
        "success": true,
        "message": "Support ticket successfully deleted",
    })))
}

/// Deletes every other record of the ticket's item collection and its attachment objects.
async fn remove_children(ctx: &Ctx, ticket: &Ticket) -> Result<(), ApiError> {
    let items = model::collection(ctx, &ticket.ticket_id, "").await?;
    let mut files = Vec::new();
    for item in &items {
        if item.get("sk").and_then(|v| v.as_s().ok()).is_some_and(|sk| sk.starts_with(model::MSG_PREFIX)) {
            files.extend(Message::from_item(item.clone())?.attachments);
        }
    }
    // Objects first: should this stop half-way, the records that point to them are still there.
    attachments::delete_all(ctx, &files).await?;
    batch_delete(ctx, &items).await
}

/// Deletes items by key, 25 per request, retrying what DynamoDB leaves unprocessed.
async fn batch_delete(ctx: &Ctx, items: &[Item]) -> Result<(), ApiError> {
    let table = &ctx.config.tables.tickets;
    for chunk in items.chunks(25) {
        let mut requests = chunk
            .iter()
            .map(|item| {
                let key = ["pk", "sk"].iter().filter_map(|k| item.get(*k).map(|v| ((*k).to_owned(), v.clone()))).collect();
                let del = DeleteRequest::builder().set_key(Some(key)).build().map_err(ApiError::internal)?;
                Ok(WriteRequest::builder().delete_request(del).build())
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let mut attempt = 0u32;
        while !requests.is_empty() {
            attempt += 1;
            let out = ctx.ddb.batch_write_item().request_items(table.clone(), requests).send().await.map_err(store::internal)?;
            requests = out.unprocessed_items.and_then(|mut m| m.remove(table)).unwrap_or_default();
            if !requests.is_empty() {
                if attempt >= 8 {
                    return Err(ApiError::internal(format!("{} ticket records left unprocessed", requests.len())));
                }
                tokio::time::sleep(std::time::Duration::from_millis(20 * 2u64.pow(attempt))).await;
            }
        }
    }
    Ok(())
}
