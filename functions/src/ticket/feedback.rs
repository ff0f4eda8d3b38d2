//! `POST /support_submit_feedback`: the owner rates the support of a resolved or closed ticket,
//! once. The feedback record's key is per ticket and written only if absent, in one transaction
//! with a check that the ticket is still the caller's and resolved or closed.

use aws_sdk_dynamodb::types::{ConditionCheck, TransactWriteItem};
use serde_json::{json, Value};
use shared::{
    auth,
    errors::ticket as err,
    ids,
    input::{JsonBody, MAX_TEXT},
    store::{
        self,
        ticket::{self as model, Feedback, Now},
        s, Guarded,
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::{load, put_new, ticket_id};

pub const ACTION: &str = "support_submit_feedback";
pub const MAX_COMMENTS: usize = 5000;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// An integer JSON number 1..=5; `"5"`, `4.5`, `5.0`, 0 and 6 are refused.
fn rating(body: &JsonBody) -> Result<i64, ApiError> {
    match body.value("rating") {
        None => Err(err::FEEDBACK_RATING_REQUIRED.err()),
        Some(Value::Number(n)) => n.as_i64().filter(|r| (1..=5).contains(r)).ok_or_else(|| err::FEEDBACK_RATING_INVALID.err()),
        Some(_) => Err(err::FEEDBACK_RATING_INVALID.err().with_log("rating is not a number")),
    }
}

/// Areas from the contract's list, each once, in the order sent.
fn areas(body: &JsonBody) -> Result<Vec<String>, ApiError> {
    let Some(list) = body.value("areas_for_improvement") else { return Ok(Vec::new()) };
    let Value::Array(list) = list else { return Err(err::FEEDBACK_AREAS_INVALID.err().with_log("not an array")) };
    let mut out: Vec<String> = Vec::new();
    for v in list {
        let area = v.as_str().map(|a| a.trim().to_ascii_lowercase()).filter(|a| model::FEEDBACK_AREAS.contains(&a.as_str()));
        let area = area.ok_or_else(|| err::FEEDBACK_AREAS_INVALID.err())?;
        if !out.contains(&area) {
            out.push(area);
        }
    }
    Ok(out)
}

async fn feedback_exists(ctx: &Ctx, ticket_id: &str) -> Result<bool, ApiError> {
    Ok(store::get(ctx, &ctx.config.tables.tickets, &model::pk(ticket_id), model::FEEDBACK_SK).await?.is_some())
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let body = JsonBody::parse(&req)?;
    let ticket_id = ticket_id(&body)?;
    let rating = rating(&body)?;
    let comments = body.opt_str("comments", MAX_COMMENTS.min(MAX_TEXT))?;
    let areas = areas(&body)?;

    let ticket = load(ctx, &ticket_id, &err::FEEDBACK_NOT_FOUND).await?;
    if ticket.user_id != caller.user_id {
        return Err(err::FEEDBACK_FORBIDDEN.err().with_log(format!("caller {} is not the owner", caller.user_id)));
    }
    if ticket.status != model::STATUS_RESOLVED && ticket.status != model::STATUS_CLOSED {
        return Err(err::FEEDBACK_NOT_RESOLVED.err());
    }

    // Already rated: answered from a read (the conditional put below stays the authority).
    if feedback_exists(ctx, &ticket.ticket_id).await? {
        return Err(err::FEEDBACK_ALREADY_SUBMITTED.err());
    }

    let now = Now::get();
    let feedback_id = ids::short_id(ids::FEEDBACK);
    let feedback = Feedback {
        pk: model::pk(&ticket.ticket_id),
        sk: model::FEEDBACK_SK.into(),
        gsi2pk: model::FEEDBACK_LIST.into(),
        gsi2sk: model::list_sk(now.ms, &feedback_id),
        feedback_id: feedback_id.clone(),
        ticket_id: ticket.ticket_id.clone(),
        rating,
        comments,
        areas_for_improvement: areas,
        category: ticket.category.clone(),
        submitted_at: now.iso.clone(),
    };
    let check = ConditionCheck::builder()
        .table_name(&ctx.config.tables.tickets)
        .key("pk", s(model::pk(&ticket.ticket_id)))
        .key("sk", s(model::TICKET_SK))
        .condition_expression("user_id = :me AND (#st = :resolved OR #st = :closed)")
        .expression_attribute_names("#st", "status")
        .expression_attribute_values(":me", s(caller.user_id.clone()))
        .expression_attribute_values(":resolved", s(model::STATUS_RESOLVED))
        .expression_attribute_values(":closed", s(model::STATUS_CLOSED))
        .build()
        .map_err(ApiError::internal)?;
    let item = serde_dynamo::to_item(&feedback).map_err(ApiError::internal)?;
    let written = store::transact(
        ctx,
        vec![
            Guarded::new(put_new(ctx, item)?, Some(err::FEEDBACK_ALREADY_SUBMITTED.err())),
            Guarded::new(TransactWriteItem::builder().condition_check(check).build(), Some(err::FEEDBACK_NOT_RESOLVED.err().with_log("status changed meanwhile"))),
        ],
    )
    .await;
    if let Err(e) = written {
        if e.status == 400 && model::get(ctx, &ticket.ticket_id).await?.is_none() {
            return Err(err::FEEDBACK_NOT_FOUND.err().with_log("deleted meanwhile"));
        }
        return Err(e);
    }

    Ok(Reply::new(json!({
        "feedback_id": feedback_id,
        "ticket_id": ticket.ticket_id,
        "submitted_at": now.iso,
        "success": true,
        "thank_you_message": "Thank you for your feedback! We're always working to improve our support services.",
    })))
}
