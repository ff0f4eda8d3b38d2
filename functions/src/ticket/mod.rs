//! Support tickets with S3 attachments (issue 4): one sub-module per action.
//!
//! | module | action |
//! |---|---|
//! | [`create`] | `support_ticket_create` |
//! | [`list`] | `support_get_tickets` |
//! | [`details`] | `support_ticket_details` |
//! | [`respond`] | `support_ticket_respond` |
//! | [`delete`] | `support_delete_ticket` |
//! | [`status`] | `support_update_ticket_status` |
//! | [`feedback`] | `support_submit_feedback` |
//!
//! Records and keys: `shared::store::ticket`; files: `shared::attachments`.

pub mod create;
pub mod delete;
pub mod details;
pub mod feedback;
pub mod list;
pub mod respond;
pub mod status;

use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use shared::{
    errors::Spec,
    input::JsonBody,
    store::{
        ticket::{self as model, Ticket},
        Item,
    },
    ApiError, Ctx,
};

/// Read every user's tickets and their internal notes.
pub const VIEW: &str = "ticketControl.allowView";
/// Change status and priority, answer any ticket, write internal notes.
pub const MODIFY: &str = "ticketControl.allowModify";

/// No length limit on a `ticket_id`: any malformed id, long ones too, is answered like a missing
/// ticket (404), not with a 400.
pub(crate) const ID_ANY_LENGTH: usize = usize::MAX;

/// The ticket, or `not_found` when it does not exist or the id is malformed.
pub(crate) async fn load(ctx: &Ctx, ticket_id: &str, not_found: &Spec) -> Result<Ticket, ApiError> {
    model::get(ctx, ticket_id).await?.ok_or_else(|| not_found.err())
}

/// The required `ticket_id` of a body.
pub(crate) fn ticket_id(body: &JsonBody) -> Result<String, ApiError> {
    Ok(body.req_str("ticket_id", ID_ANY_LENGTH, &shared::errors::ticket::TICKET_ID_REQUIRED)?.trim().to_owned())
}

/// A transaction write putting a new record (`pk`/`sk` must not exist yet).
pub(crate) fn put_new(ctx: &Ctx, item: Item) -> Result<TransactWriteItem, ApiError> {
    let put = Put::builder()
        .table_name(&ctx.config.tables.tickets)
        .set_item(Some(item))
        .condition_expression("attribute_not_exists(pk)")
        .build()
        .map_err(ApiError::internal)?;
    Ok(TransactWriteItem::builder().put(put).build())
}
