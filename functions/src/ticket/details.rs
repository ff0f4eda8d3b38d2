//! `GET /support_ticket_details`: one ticket and its conversation, oldest message first, with
//! pre-signed download URLs for the attachments. Internal notes, and anything that would tell
//! they exist, reach only callers with `ticketControl.allowView`.

use serde_json::{json, Value};
use shared::{
    attachments, auth,
    errors::ticket as err,
    input::Query,
    store::ticket::{self as model, Message},
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::{load, VIEW};

pub const ACTION: &str = "support_ticket_details";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn message_json(ctx: &Ctx, m: &Message, staff: bool) -> Result<Value, ApiError> {
    let mut files = Vec::with_capacity(m.attachments.len());
    for a in &m.attachments {
        files.push(json!({
            "id": a.id,
            "type": a.kind(),
            "filename": a.filename,
            "url": attachments::presigned_url(ctx, a).await?,
            "content_type": a.content_type,
            "size": a.size,
        }));
    }
    let mut v = json!({
        "message_id": m.message_id,
        "ticket_id": m.ticket_id,
        "type": m.kind,
        "content": m.content,
        "created_at": m.created_at,
        "attachments": files,
    });
    if m.kind == model::FROM_SUPPORT {
        v["staff_name"] = json!(m.staff_name.as_deref().unwrap_or("Support team"));
    }
    if staff {
        v["internal"] = json!(m.internal);
    }
    Ok(v)
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let ticket_id = Query::from_request(&req).get("ticket_id", super::ID_ANY_LENGTH)?.ok_or_else(|| err::TICKET_ID_REQUIRED.err())?;
    let ticket = load(ctx, &ticket_id, &err::DETAILS_NOT_FOUND).await?;
    let staff = caller.can(VIEW);
    if ticket.user_id != caller.user_id && !staff {
        return Err(err::DETAILS_FORBIDDEN.err().with_log(format!("caller {} is not the owner", caller.user_id)));
    }
    let mut messages = Vec::new();
    for m in model::messages(ctx, &ticket.ticket_id).await? {
        if m.internal && !staff {
            continue;
        }
        messages.push(message_json(ctx, &m, staff).await?);
    }
    Ok(Reply::new(json!({
        "ticket": ticket.details_json(staff),
        "messages": messages,
    })))
}
