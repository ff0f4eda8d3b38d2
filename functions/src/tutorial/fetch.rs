//! `GET /support_tutoral_fetch` (the spec's spelling): by `rqtp`,
//! - `base`: the published tutorials, newest first, pages of 20;
//! - `mk`: one tutorial by its marker `rqvl` (published or archived; drafts only for staff with
//!   `helpControl.allowModify`; removed ones never);
//! - `all`: every tutorial whatever its status (removed ones included, so they can be restored),
//!   newest first, pages of 20; staff with `helpControl.allowModify` only.

use serde_json::{json, Value};
use shared::{
    auth::{self, Caller},
    errors::tutorial as err,
    ids,
    input::{Query, MAX_SHORT},
    pagination,
    store::{self, tutorial::{self as model, Status, Tutorial}},
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::PERMISSION_MODIFY;

pub const ACTION: &str = "support_tutoral_fetch";
pub const PAGE_SIZE: usize = 20;

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// What `rqtp` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Base,
    Marker,
    All,
}

fn kind(query: &Query) -> Result<Kind, ApiError> {
    match query.get("rqtp", MAX_SHORT).ok().flatten().as_deref() {
        Some("base") => Ok(Kind::Base),
        Some("mk") => Ok(Kind::Marker),
        Some("all") => Ok(Kind::All),
        _ => Err(err::FETCH_RQTP_INVALID.err()),
    }
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    let query = Query::from_request(&req);
    let data = match kind(&query)? {
        Kind::Base => list(ctx, Kind::Base, query.raw("page")).await?,
        Kind::All => {
            caller.require(PERMISSION_MODIFY, &err::FETCH_PERMISSION)?;
            list(ctx, Kind::All, query.raw("page")).await?
        }
        Kind::Marker => {
            let rqvl = query.get("rqvl", MAX_SHORT)?.ok_or_else(|| ApiError::missing_field("rqvl"))?;
            one(ctx, &caller, &rqvl).await?
        }
    };
    Ok(Reply::new(data))
}

async fn one(ctx: &Ctx, caller: &Caller, marker: &str) -> Result<Value, ApiError> {
    if !ids::is_marker(marker, ids::TUTORIAL) {
        return Err(err::FETCH_NOT_FOUND.err().with_log("malformed marker"));
    }
    let item = store::get(ctx, &ctx.config.tables.tutorials, &model::pk(marker), model::SK).await?;
    let tutorial = Tutorial::from_item(item.ok_or_else(|| err::FETCH_NOT_FOUND.err())?)?;
    if !tutorial.status.readable_by_marker(caller.can(PERMISSION_MODIFY)) {
        return Err(err::FETCH_NOT_FOUND.err().with_log(format!("tutorial is {}", tutorial.status.as_str())));
    }
    Ok(tutorial.to_json())
}

async fn list(ctx: &Ctx, kind: Kind, page: Option<&str>) -> Result<Value, ApiError> {
    // A token only works for the list that made it.
    let (binding, index, pk_value, key_attrs) = match kind {
        Kind::All => (format!("{ACTION}|rqtp=all"), "gsi2", model::ALL_PK.to_owned(), &model::GSI2_KEY_ATTRS),
        _ => (format!("{ACTION}|rqtp=base"), "gsi1", model::status_pk(Status::Published), &model::GSI1_KEY_ATTRS),
    };
    let start = pagination::decode(ctx, &binding, page)?;
    let page = store::query_page(
        ctx,
        || store::newest_first(ctx, &ctx.config.tables.tutorials, index, &pk_value),
        start,
        PAGE_SIZE,
        // The index is eventually consistent: a tutorial just moved out of `published` may still
        // be listed there for a moment; its own status decides.
        |item| kind == Kind::All || store::attr_s(item, "status") == Some(Status::Published.as_str()),
        key_attrs,
    )
    .await?;
    let result = page
        .items
        .into_iter()
        .map(|item| Tutorial::from_item(item).map(|t| t.to_json()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(json!({
        "result": result,
        "pagination": pagination::next_token(ctx, &binding, page.next.as_ref()),
    }))
}
