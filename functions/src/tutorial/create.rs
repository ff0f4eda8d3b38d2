//! `POST /control_support_tutorial_create`: staff add a tutorial (published unless `stts` says
//! `draft` or `archived`).

use serde_json::json;
use shared::{
    auth, clock, errors::tutorial as err, ids,
    input::{JsonBody, MAX_TEXT},
    store::{self, tutorial::{self as model, Status, Tutorial}},
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::PERMISSION_CREATE;

pub const ACTION: &str = "control_support_tutorial_create";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    caller.require(PERMISSION_CREATE, &err::CREATE_PERMISSION)?;

    let body = JsonBody::parse(&req)?;
    let title = body.req_str("ttle", model::MAX_TITLE, &err::TTLE_REQUIRED)?.trim().to_owned();
    let contents = body.req_str("cntx", MAX_TEXT, &err::CNTX_REQUIRED)?;
    let videourl = model::url_field(&body, "vurl", &err::VURL_INVALID)?.ok_or_else(|| err::VURL_REQUIRED.err())?;
    let coverpix = model::url_field(&body, "purl", &err::PURL_INVALID)?.ok_or_else(|| err::PURL_REQUIRED.err())?;
    let status = model::client_status(&body)?.unwrap_or(Status::Published);

    let marker = ids::marker(ids::TUTORIAL);
    let tutorial = Tutorial::new(marker.clone(), title, contents, videourl, coverpix, status, clock::now_ms(), caller.user_id);
    ctx.ddb
        .put_item()
        .table_name(&ctx.config.tables.tutorials)
        .set_item(Some(tutorial.to_item()?))
        .condition_expression("attribute_not_exists(pk)")
        .send()
        .await
        .map_err(store::internal)?;

    Ok(Reply::new(json!({"COMMENT": "Operation successful!", "MKID": marker})))
}
