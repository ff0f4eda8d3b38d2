//! `POST /control_support_faq_create`: a new FAQ (signed, `helpControl.allowCreate`).

use serde_json::json;
use shared::{
    auth, errors::faq as err,
    input::JsonBody,
    store::faq::{category::is_category, write, ANSWER_MAX, QUESTION_MAX},
    ApiError, Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "control_support_faq_create";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    caller.require(super::CREATE_PERMISSION, &err::CREATE_PERMISSION)?;
    let body = JsonBody::parse(&req)?;
    let question = body.req_str("qstn", QUESTION_MAX, &err::QSTN_REQUIRED)?;
    let answer = body.req_str("answ", ANSWER_MAX, &err::ANSW_REQUIRED)?;
    let category = body.opt_str("ctgy", 64)?;
    if category.as_deref().is_some_and(|c| !is_category(c)) {
        return Err(err::CTGY_INVALID.err());
    }
    let faq = write::create(ctx, write::NewFaq { question, answer, category, by: caller.user_id }).await?;
    Ok(Reply::new(json!({"COMMENT": "Operation successful!", "MKID": faq.marker})))
}
