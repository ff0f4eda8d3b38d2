//! `GET /support_faq_categories`: the five categories with their counts of active FAQs (signed).

use serde_json::json;
use shared::{auth, store::faq::category, ApiError, Body, Ctx, Reply, Request, Response};

pub const ACTION: &str = "support_faq_categories";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    auth::authenticate(ctx, &req, ACTION).await?;
    let categories: Vec<_> = category::with_counts(ctx).await?.iter().map(|(c, count)| c.to_json(*count)).collect();
    Ok(Reply::new(json!({"categories": categories})))
}
