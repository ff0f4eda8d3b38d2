//! `POST /support_faq_rating`: the caller's first or changed rating of an FAQ (signed). The same
//! rating twice -> 429 "already rated". Shares the one vote per user per FAQ with the toggle.

use serde_json::json;
use shared::{
    auth, clock, errors::faq as err,
    store::faq::vote,
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "support_faq_rating";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let super::VoteFields { faq_id, helpful, feedback } = super::VoteFields::parse(&req, &err::RATING_HELPFUL_REQUIRED)?;

    let mode = vote::Mode::Rating { already: &err::RATING_ALREADY_RATED };
    let outcome = vote::cast(ctx, &faq_id, &caller.user_id, helpful, feedback, mode, &err::RATING_NOT_FOUND).await?;
    let thanks = if helpful {
        "Thank you for your feedback! We're glad this was helpful."
    } else {
        "Thank you for your feedback! We'll use it to improve this answer."
    };
    Ok(Reply::new(json!({
        "rating_id": outcome.vote.rating_id,
        "faq_id": faq_id,
        "submitted_at": clock::now_iso(),
        "current_helpful_count": outcome.helpful_count,
        "thank_you_message": thanks,
    })))
}
