//! `DELETE /control_support_faq_remove?reqv=<marker>`: soft delete (signed,
//! `helpControl.allowModify`).

use shared::{
    auth, errors::faq as err,
    input::{JsonBody, Query, MAX_SHORT},
    store::faq::write,
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "control_support_faq_remove";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    caller.require(super::MODIFY_PERMISSION, &err::REMOVE_PERMISSION)?;
    // The spec sends `reqv` in the query (with a `{}` body); a `reqv` in the body is accepted too.
    let marker = match Query::from_request(&req).get("reqv", MAX_SHORT)? {
        Some(m) => m,
        None => JsonBody::parse(&req)?.req_str("reqv", MAX_SHORT, &err::REMOVE_REQV_REQUIRED)?,
    };
    write::remove(ctx, marker.trim(), &caller.user_id).await?;
    Ok(Reply::operation_successful())
}
