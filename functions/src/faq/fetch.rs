//! `GET /control_support_faq_fetch`: one active FAQ by `reqv`, or newest-first pages of 20 active
//! FAQs, optionally of one `category`. Public.
//!
//! The list keeps the spec's shape: `DATA` is the array; the next-page token is the envelope's
//! top-level `PAGINATION` ("" when there is no next page).

use serde_json::{json, Value};
use shared::{
    errors::faq as err,
    input::{Query, MAX_SHORT},
    pagination,
    store::{
        self,
        faq::{self as model, category::is_category, record, Faq},
    },
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "control_support_faq_fetch";
pub const PAGE_SIZE: usize = 20;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let query = Query::from_request(&req);
    if let Some(reqv) = query.get("reqv", MAX_SHORT)? {
        let faq = record::get_active(ctx, &reqv).await?.ok_or_else(|| err::FETCH_NOT_FOUND.err())?;
        return Ok(Reply::new(faq.to_json()));
    }
    let category = query.get("category", 64)?;
    if category.as_deref().is_some_and(|c| !is_category(c)) {
        return Err(err::CATEGORY_INVALID.err());
    }
    let (items, token) = list(ctx, category.as_deref(), query.raw("page")).await?;
    Ok(Reply::new(Value::Array(items)).with_top_level("PAGINATION", json!(token)))
}

/// One page of active FAQs, newest first, and the token of the next page.
async fn list(ctx: &Ctx, category: Option<&str>, page: Option<&str>) -> Result<(Vec<Value>, String), ApiError> {
    // The token only works for the query that made it: same action, same category filter.
    let binding = format!("{ACTION}\ncategory={}", category.unwrap_or(""));
    let start = pagination::decode(ctx, &binding, page)?;
    let (index, key_attrs, pk_value) = match category {
        None => ("gsi1", &model::GSI1_KEY_ATTRS, model::ACTIVE_PK.to_owned()),
        Some(c) => ("gsi2", &model::GSI2_KEY_ATTRS, model::category_list_pk(c)),
    };
    let page = store::query_page(
        ctx,
        || store::newest_first(ctx, &ctx.config.tables.faqs, index, &pk_value),
        start,
        PAGE_SIZE,
        // Removed FAQs leave the indexes; the status check also covers index propagation delay.
        |item| store::attr_s(item, "status") == Some(model::ACTIVE),
        key_attrs,
    )
    .await?;
    let items = page
        .items
        .into_iter()
        .map(|item| Faq::from_item(item).map(|f| f.to_json()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((items, pagination::next_token(ctx, &binding, page.next.as_ref())))
}
