//! `POST /support_ticket_create`: a signed user opens a ticket, with up to 5 attachments.
//!
//! Order of work, so a failure leaves nothing behind: validate every field and decode every
//! attachment; refuse early when the user's rate limit is spent; take a reference number; upload
//! the files; write rate-limit hit, ticket and opening message in one transaction; when that
//! fails, delete the uploaded files.

use serde_json::json;
use shared::{
    attachments, auth, clock,
    errors::ticket as err,
    ids,
    input::{JsonBody, MAX_SHORT, MAX_TEXT},
    ratelimit::RateLimit,
    store::{
        self,
        ticket::{self as model, Message, Now, Ticket},
        s, Guarded,
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::put_new;

pub const ACTION: &str = "support_ticket_create";
pub const RATE_SCOPE: &str = "ticket-create";
/// Longest `transaction_id` (contract).
pub const MAX_TRANSACTION_ID: usize = 64;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// The checked fields of a create request.
struct NewTicket {
    subject: String,
    message: String,
    category: String,
    priority: String,
    transaction_id: Option<String>,
    uploads: Vec<attachments::Upload>,
}

fn parse(body: &JsonBody) -> Result<NewTicket, ApiError> {
    let subject = body.req_str("subject", MAX_SHORT, &err::CREATE_SUBJECT_REQUIRED)?.trim().to_owned();
    let message = body.req_str("message", MAX_TEXT, &err::CREATE_MESSAGE_REQUIRED)?;
    let category = body.req_str("category", MAX_SHORT, &err::CREATE_CATEGORY_REQUIRED)?.trim().to_ascii_lowercase();
    if !model::CATEGORIES.contains(&category.as_str()) {
        return Err(err::CREATE_CATEGORY_INVALID.err());
    }
    let priority = match body.opt_str("priority", MAX_SHORT)? {
        None => model::DEFAULT_PRIORITY.to_owned(),
        Some(p) => {
            let p = p.trim().to_ascii_lowercase();
            if !model::CREATE_PRIORITIES.contains(&p.as_str()) {
                return Err(err::CREATE_PRIORITY_INVALID.err());
            }
            p
        }
    };
    let transaction_id = body.opt_str("transaction_id", MAX_TRANSACTION_ID)?.map(|t| t.trim().to_owned());
    let uploads = attachments::decode_all(body.opt_array("attachments")?, &err::CREATE_ATTACHMENT_TOO_LARGE)?;
    Ok(NewTicket { subject, message, category, priority, transaction_id, uploads })
}

/// Refuses before any upload when the user's window is already spent. The transaction's
/// conditional counter stays the authority; this read only saves uploading for nothing.
async fn precheck_rate_limit(ctx: &Ctx, limit: &RateLimit, now: i64) -> Result<(), ApiError> {
    let out = ctx
        .ddb
        .get_item()
        .table_name(&ctx.config.tables.guard)
        .key("pk", s(limit.counter_key(now)))
        .consistent_read(true)
        .send()
        .await
        .map_err(store::internal)?;
    let hits = out
        .item
        .and_then(|i| i.get("hits").and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<u64>().ok()))
        .unwrap_or(0);
    if hits >= limit.limit.max as u64 {
        return Err(err::CREATE_RATE_LIMITED.err().with_retry_after(limit.retry_after(now)).with_log("rate limit ticket-create"));
    }
    Ok(())
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let body = JsonBody::parse(&req)?;
    let new = parse(&body)?;
    drop(body);
    drop(req);

    let limit = RateLimit::new(RATE_SCOPE, caller.user_id.clone(), ctx.config.limits.ticket_create_per_user);
    let now_secs = clock::now_secs();
    precheck_rate_limit(ctx, &limit, now_secs).await?;

    let now = Now::get();
    let ticket_id = ids::short_id(ids::TICKET);
    let reference_number = model::next_reference(ctx, &now.day).await?;
    let stored = attachments::put_all(ctx, &ticket_id, new.uploads).await?;

    let opening = Message::new(&ticket_id, model::FROM_USER, &caller.user_id, None, new.message.clone(), false, &now, stored);
    let sort = model::list_sk(now.ms, &ticket_id);
    let ticket = Ticket {
        pk: model::pk(&ticket_id),
        sk: model::TICKET_SK.into(),
        gsi1pk: model::user_list_pk(&caller.user_id),
        gsi1sk: sort.clone(),
        gsi2pk: model::ALL_TICKETS.into(),
        gsi2sk: sort,
        ticket_id: ticket_id.clone(),
        reference_number,
        user_id: caller.user_id.clone(),
        subject: new.subject,
        message: new.message,
        category: new.category,
        priority: new.priority,
        status: model::STATUS_OPEN.into(),
        transaction_id: new.transaction_id,
        created_at: now.iso.clone(),
        created_ms: now.ms,
        updated_at: now.iso.clone(),
        staff_updated_at: now.iso.clone(),
        updated_by: None,
        public_replies: 0,
        internal_notes: 0,
        public_attachments: opening.attachments.len() as i64,
        internal_attachments: 0,
    };

    let written = async {
        let writes = vec![
            limit.guarded(ctx, now_secs, &err::CREATE_RATE_LIMITED),
            Guarded::from(put_new(ctx, ticket.to_item()?)?),
            Guarded::from(put_new(ctx, opening.to_item()?)?),
        ];
        store::transact(ctx, writes).await
    }
    .await;
    if let Err(e) = written {
        attachments::delete(ctx, &opening.attachments).await;
        return Err(e);
    }

    Ok(Reply::new(json!({
        "ticket_id": ticket.ticket_id,
        "reference_number": ticket.reference_number,
        "subject": ticket.subject,
        "category": ticket.category,
        "status": ticket.status,
        "priority": ticket.priority,
        "created_at": ticket.created_at,
        "transaction_id": ticket.transaction_id,
        "message": "Thank you for contacting support. Your ticket has been created and a support representative will respond shortly.",
    })))
}
