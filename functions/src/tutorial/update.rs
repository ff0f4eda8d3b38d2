//! `PATCH /support_tutorial_update`: staff change some fields of a tutorial, and its status
//! with `stts` (`published`, `draft`, `archived`). Fields left out keep their values. A removed
//! tutorial takes changes only together with a `stts` that restores it.

use shared::{
    auth, clock,
    errors::tutorial as err,
    ids,
    input::{JsonBody, MAX_SHORT, MAX_TEXT},
    store::{self, s, tutorial::{self as model, Status}},
    ApiError, Body, Ctx, Reply, Request, Response,
};

use super::PERMISSION_MODIFY;

pub const ACTION: &str = "support_tutorial_update";

pub async fn handler(ctx: &'static Ctx, req: Request) -> Response<Body> {
    shared::runtime::respond(ACTION, ctx, req, run).await
}

/// The changes asked for; `None` = keep.
#[derive(Debug, Default)]
struct Changes {
    title: Option<String>,
    contents: Option<String>,
    videourl: Option<String>,
    coverpix: Option<String>,
    status: Option<Status>,
}

impl Changes {
    fn parse(body: &JsonBody) -> Result<Self, ApiError> {
        Ok(Changes {
            title: body.opt_str("ttle", model::MAX_TITLE)?.map(|t| t.trim().to_owned()),
            contents: body.opt_str("cntx", MAX_TEXT)?,
            videourl: model::url_field(body, "vurl", &err::VURL_INVALID)?,
            coverpix: model::url_field(body, "purl", &err::PURL_INVALID)?,
            status: model::client_status(body)?,
        })
    }

    fn is_empty(&self) -> bool {
        self.title.is_none() && self.contents.is_none() && self.videourl.is_none() && self.coverpix.is_none() && self.status.is_none()
    }
}

async fn run(ctx: &'static Ctx, req: Request) -> Result<Reply, ApiError> {
    let caller = auth::authenticate(ctx, &req, ACTION).await?;
    caller.require(PERMISSION_MODIFY, &err::UPDATE_PERMISSION)?;

    let body = JsonBody::parse(&req)?;
    let qxid = body.req_str("qxid", MAX_SHORT, &err::UPDATE_QXID_REQUIRED)?.trim().to_owned();
    let changes = Changes::parse(&body)?;
    if changes.is_empty() {
        return Err(err::UPDATE_NO_DATA.err());
    }
    if !ids::is_marker(&qxid, ids::TUTORIAL) {
        return Err(err::UPDATE_NOT_FOUND.err().with_log("malformed marker"));
    }

    let mut sets = vec!["updated_ms = :now".to_owned(), "updated_by = :by".to_owned()];
    let mut update = ctx
        .ddb
        .update_item()
        .table_name(&ctx.config.tables.tutorials)
        .key("pk", s(model::pk(&qxid)))
        .key("sk", s(model::SK))
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":now", store::n(clock::now_ms()))
        .expression_attribute_values(":by", s(&caller.user_id));
    let fields = [
        ("title", changes.title),
        ("contents", changes.contents),
        ("videourl", changes.videourl),
        ("coverpix", changes.coverpix),
    ];
    for (name, value) in fields {
        if let Some(v) = value {
            sets.push(format!("{name} = :{name}"));
            update = update.expression_attribute_values(format!(":{name}"), s(v));
        }
    }
    let condition = match changes.status {
        Some(status) => {
            // The status and the per-status list key change together.
            sets.push("#status = :status".into());
            sets.push("gsi1pk = :gsi1pk".into());
            update = update
                .expression_attribute_values(":status", s(status.as_str()))
                .expression_attribute_values(":gsi1pk", s(model::status_pk(status)));
            "attribute_exists(pk)"
        }
        None => {
            update = update.expression_attribute_values(":removed", s(Status::Removed.as_str()));
            "attribute_exists(pk) AND #status <> :removed"
        }
    };
    let result = update
        .update_expression(format!("SET {}", sets.join(", ")))
        .condition_expression(condition)
        .send()
        .await;
    match result {
        Ok(_) => Ok(Reply::operation_successful()),
        Err(e) if store::is_condition_failed(&e) => Err(why_not_applied(ctx, &qxid).await?),
        Err(e) => Err(store::internal(e)),
    }
}

/// The answer to an update whose condition failed: the tutorial is gone, or it is removed and
/// the request does not restore it.
async fn why_not_applied(ctx: &Ctx, marker: &str) -> Result<ApiError, ApiError> {
    Ok(match store::get(ctx, &ctx.config.tables.tutorials, &model::pk(marker), model::SK).await? {
        None => err::UPDATE_NOT_FOUND.err(),
        Some(item) if store::attr_s(&item, "status") == Some(Status::Removed.as_str()) => {
            err::UPDATE_UNPROCESSABLE.err().with_log("tutorial is removed; an update must set stts to restore it")
        }
        // Restored between the two reads: the caller may simply try again.
        Some(_) => err::UPDATE_UNPROCESSABLE.err().with_log("tutorial changed while updating"),
    })
}
