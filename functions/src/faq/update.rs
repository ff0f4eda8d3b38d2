//! `PATCH /control_support_faq_update`: a partial update of an active FAQ (signed,
//! `helpControl.allowModify`).

use serde_json::Value;
use shared::{
    auth, errors::{faq as err, ApiError, Spec},
    input::{JsonBody, MAX_SHORT},
    store::faq::{category::is_category, write, ANSWER_MAX, QUESTION_MAX},
    Body, Ctx, Reply, Request, Response,
};

pub const ACTION: &str = "control_support_faq_update";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// A text field that may be left out, but not sent blank.
fn text_change(body: &JsonBody, name: &str, max: usize, blank: &Spec) -> Result<Option<String>, ApiError> {
    match body.opt_str(name, max)? {
        Some(v) => Ok(Some(v)),
        None if body.has(name) => Err(blank.err()),
        None => Ok(None),
    }
}

/// `ctgy`: absent or `null` -> unchanged; `""` -> no category; else a category id.
fn category_change(body: &JsonBody) -> Result<Option<Option<String>>, ApiError> {
    match body.value("ctgy") {
        None => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(_) => {
            let c = body.opt_str("ctgy", 64)?.unwrap_or_default();
            if is_category(&c) {
                Ok(Some(Some(c)))
            } else {
                Err(err::CTGY_INVALID.err())
            }
        }
    }
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    caller.require(super::MODIFY_PERMISSION, &err::UPDATE_PERMISSION)?;
    let body = JsonBody::parse(&req)?;
    let marker = body.req_str("qxid", MAX_SHORT, &err::UPDATE_QXID_REQUIRED)?;
    let changes = write::Changes {
        question: text_change(&body, "qstn", QUESTION_MAX, &err::QSTN_REQUIRED)?,
        answer: text_change(&body, "answ", ANSWER_MAX, &err::ANSW_REQUIRED)?,
        category: category_change(&body)?,
    };
    if changes.is_empty() {
        return Err(err::UPDATE_NO_DATA.err());
    }
    write::update(ctx, marker.trim(), &changes, &caller.user_id).await?;
    Ok(Reply::operation_successful())
}
