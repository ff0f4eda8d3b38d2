//! FAQ knowledge base (issue 3): one sub-module per action.
//!
//! Staff create, edit and retire FAQs (signed, with `helpControl.*` permissions); anyone reads
//! active FAQs, by category; signed-in users vote on them. Storage: [`shared::store::faq`].

pub mod categories;
pub mod create;
pub mod fetch;
pub mod rating;
pub mod remove;
pub mod toggle_helpful;
pub mod update;

/// Permission of FAQ create.
pub const CREATE_PERMISSION: &str = "helpControl.allowCreate";
/// Permission of FAQ update and remove.
pub const MODIFY_PERMISSION: &str = "helpControl.allowModify";

/// The body of a vote (toggle and rating): `faq_id`, `helpful` (missing -> `helpful_missing`,
/// each action's own text) and optional `feedback`.
pub(crate) struct VoteFields {
    pub faq_id: String,
    pub helpful: bool,
    pub feedback: Option<String>,
}

impl VoteFields {
    pub(crate) fn parse(req: &shared::Request, helpful_missing: &shared::errors::Spec) -> Result<Self, shared::ApiError> {
        use shared::{errors::faq as err, input::{JsonBody, MAX_SHORT}, store::faq::FEEDBACK_MAX};
        let body = JsonBody::parse(req)?;
        Ok(VoteFields {
            faq_id: body.req_str("faq_id", MAX_SHORT, &err::FAQ_ID_REQUIRED)?.trim().to_owned(),
            helpful: body.opt_bool("helpful")?.ok_or_else(|| helpful_missing.err())?,
            feedback: body.opt_str("feedback", FEEDBACK_MAX)?,
        })
    }
}
