//! `POST /support_faq_toggle_helpful`: sets or flips the caller's vote on an FAQ (signed; rate
//! limited per user).

use serde_json::json;
use shared::{
    auth, errors::faq as err,
    ratelimit::RateLimit,
    store::faq::vote,
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "support_faq_toggle_helpful";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let super::VoteFields { faq_id, helpful, feedback } = super::VoteFields::parse(&req, &err::TOGGLE_HELPFUL_REQUIRED)?;

    let limit = RateLimit::new("faq-toggle", caller.user_id.clone(), ctx.config.limits.faq_toggle_per_user);
    let mode = vote::Mode::Toggle { limit: &limit, on_limit: &err::TOGGLE_RATE_LIMITED };
    let outcome = vote::cast(ctx, &faq_id, &caller.user_id, helpful, feedback, mode, &err::TOGGLE_NOT_FOUND).await?;
    Ok(Reply::new(json!({
        "success": true,
        "faq_id": faq_id,
        "helpful": outcome.vote.helpful,
        "helpful_count": outcome.helpful_count,
        "message": "Thank you for your feedback!",
    })))
}
