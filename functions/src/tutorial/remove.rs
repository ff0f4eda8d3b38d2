//! `DELETE /support_tutorial_remove` and `GET /support_tutorial_remove` (the spec's example):
//! staff remove the tutorial `reqv`. By default a soft delete (status `removed`: hidden from
//! users, kept in the table, restorable through update); `permanent=true` deletes it for good.

use shared::{
    auth, clock,
    errors::tutorial as err,
    ids,
    input::{Query, MAX_SHORT},
    store::{self, s, tutorial::{self as model, Status}},
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::PERMISSION_MODIFY;

pub const ACTION: &str = "support_tutorial_remove";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// `permanent`: absent or empty -> false; `true` / `false` in any case; anything else -> 400.
fn permanent(query: &Query) -> Result<bool, ApiError> {
    match query.raw("permanent").map(str::trim) {
        None | Some("") => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(err::PERMANENT_INVALID.err()),
    }
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate_once(ctx, &req, ACTION).await?;
    caller.require(PERMISSION_MODIFY, &err::REMOVE_PERMISSION)?;

    let query = Query::from_request(&req);
    let reqv = query.get("reqv", MAX_SHORT)?.ok_or_else(|| err::REMOVE_REQV_REQUIRED.err())?;
    let permanent = permanent(&query)?;
    if !ids::is_marker(&reqv, ids::TUTORIAL) {
        return Err(err::REMOVE_NOT_FOUND.err().with_log("malformed marker"));
    }

    let result = if permanent {
        // Any status, a soft-removed one included.
        ctx.ddb
            .delete_item()
            .table_name(&ctx.config.tables.tutorials)
            .key("pk", s(model::pk(&reqv)))
            .key("sk", s(model::SK))
            .condition_expression("attribute_exists(pk)")
            .send()
            .await
            .map(|_| ())
            .map_err(|e| if store::is_condition_failed(&e) { err::REMOVE_NOT_FOUND.err() } else { store::internal(e) })
    } else {
        // A tutorial already removed is not found again.
        ctx.ddb
            .update_item()
            .table_name(&ctx.config.tables.tutorials)
            .key("pk", s(model::pk(&reqv)))
            .key("sk", s(model::SK))
            .update_expression("SET #status = :removed, gsi1pk = :gsi1pk, updated_ms = :now, updated_by = :by")
            .condition_expression("attribute_exists(pk) AND #status <> :removed")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":removed", s(Status::Removed.as_str()))
            .expression_attribute_values(":gsi1pk", s(model::status_pk(Status::Removed)))
            .expression_attribute_values(":now", store::n(clock::now_ms()))
            .expression_attribute_values(":by", s(&caller.user_id))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| if store::is_condition_failed(&e) { err::REMOVE_NOT_FOUND.err() } else { store::internal(e) })
    };
    result?;
    tracing::info!(tutorial = %reqv, permanent, "tutorial removed");
    Ok(Reply::operation_successful())
}
