//! `GET /core_contact_fetch`: one submission by `rqid`, or newest-first pages of 20.

use serde_json::{json, Value};
use shared::{
    auth, errors::contact as err, ids,
    input::{Query, MAX_SHORT},
    pagination,
    store::{self, contact::{self as model, Contact}},
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "core_contact_fetch";
pub const PAGE_SIZE: usize = 20;
/// Permission needed when the deployment sets `CONTACT_FETCH_REQUIRES_AUTH`.
pub const PERMISSION: &str = "contactControl.allowView";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    if ctx.config.contact_fetch_requires_auth {
        auth::authenticate(ctx, &req, ACTION).await?.require(PERMISSION, &err::FETCH_PERMISSION)?;
    }
    let query = Query::from_request(&req);
    match query.get("rqid", MAX_SHORT)? {
        Some(rqid) => one(ctx, &rqid).await.map(Reply::new),
        None => list(ctx, query.raw("page")).await.map(Reply::new),
    }
}

async fn one(ctx: &Ctx, rqid: &str) -> Result<Value, ApiError> {
    if !ids::is_marker(rqid, ids::CONTACT) {
        return Err(err::NOT_FOUND.err());
    }
    let item = store::get(ctx, &ctx.config.tables.contacts, &model::pk(rqid), model::SK)
        .await?
        .ok_or_else(|| err::NOT_FOUND.err())?;
    Ok(Contact::from_item(item)?.to_json())
}

async fn list(ctx: &Ctx, page: Option<&str>) -> Result<Value, ApiError> {
    let binding = ACTION;
    let start = pagination::decode(ctx, binding, page)?;
    let page = store::query_page(
        ctx,
        || store::newest_first(ctx, &ctx.config.tables.contacts, "gsi1", model::LIST_PK),
        start,
        PAGE_SIZE,
        |_| true,
        &model::KEY_ATTRS,
    )
    .await?;
    let result = page
        .items
        .into_iter()
        .map(|item| Contact::from_item(item).map(|c| c.to_json()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({
        "result": result,
        "pagination": pagination::next_token(ctx, binding, page.next.as_ref()),
    }))
}
