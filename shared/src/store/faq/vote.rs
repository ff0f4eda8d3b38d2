//! Votes: one per user per FAQ, shared by `support_faq_toggle_helpful` and `support_faq_rating`.
//!
//! A vote write is one transaction: the vote item, conditioned on the version of the vote that was
//! read (or on its absence), and the FAQ's `helpful_count`/`unhelpful_count` changes, conditioned
//! on the FAQ being active. A lost race (the same user voting concurrently) is retried from a
//! fresh read, so counts are exact however votes interleave.

use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};

use super::{pk, record, vote_sk, write::backoff, ACTIVE, SK};
use crate::config::Ctx;
use crate::errors::{ApiError, Spec};
use crate::ratelimit::RateLimit;
use crate::store::{self, n, s, Guarded};
use crate::{clock, ids};

/// Feedback texts kept per vote (oldest dropped first).
pub const FEEDBACK_KEPT: usize = 10;
const MAX_ATTEMPTS: u32 = 30;
/// Log text of the error that marks a lost race on the vote item (never answered: retried).
const VOTE_RACE: &str = "faq vote changed since it was read";

/// One feedback text and the vote it came with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Feedback {
    pub helpful: bool,
    pub text: String,
    pub at: String,
}

/// A user's vote on an FAQ.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Vote {
    pub pk: String,
    pub sk: String,
    pub faq_id: String,
    pub user_id: String,
    pub helpful: bool,
    /// `rate_` + 24 hex; kept for the life of the vote.
    pub rating_id: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    #[serde(default)]
    pub feedback: Vec<Feedback>,
}

/// How a vote is cast.
pub enum Mode<'a> {
    /// Sets or flips the vote; the same value again changes no count (feedback sent with it is
    /// kept). Every call counts against `limit` (`on_limit` when exhausted).
    Toggle { limit: &'a RateLimit, on_limit: &'a Spec },
    /// Stores a first or changed vote; the same value again -> `already`.
    Rating { already: &'a Spec },
}

/// The result of a vote.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub vote: Vote,
    /// Whether a count changed.
    pub changed: bool,
    /// The FAQ's helpful count after the vote.
    pub helpful_count: i64,
}

async fn read(ctx: &Ctx, marker: &str, user_id: &str) -> Result<Option<Vote>, ApiError> {
    store::get(ctx, &ctx.config.tables.faqs, &pk(marker), &vote_sk(user_id))
        .await?
        .map(|i| serde_dynamo::from_item(i).map_err(|e| ApiError::internal(format!("bad vote record: {e}"))))
        .transpose()
}

/// Casts `user_id`'s vote on the active FAQ `marker`. Unknown or removed FAQ -> `not_found`.
pub async fn cast(
    ctx: &Ctx,
    marker: &str,
    user_id: &str,
    helpful: bool,
    feedback: Option<String>,
    mode: Mode<'_>,
    not_found: &Spec,
) -> Result<Outcome, ApiError> {
    for attempt in 0..MAX_ATTEMPTS {
        let (faq, previous) = tokio::try_join!(record::get_active(ctx, marker), read(ctx, marker, user_id))?;
        if faq.is_none() {
            return Err(not_found.err());
        }
        match try_cast(ctx, marker, user_id, helpful, feedback.clone(), &mode, not_found, previous).await {
            Err(e) if is_vote_race(&e) => backoff(attempt).await,
            Err(e) => return Err(e),
            Ok((vote, changed)) => {
                let helpful_count = record::get(ctx, marker).await?.map(|f| f.helpful_count).unwrap_or(0);
                return Ok(Outcome { vote, changed, helpful_count });
            }
        }
    }
    Err(ApiError::internal("faq vote lost the race too many times"))
}

fn vote_race() -> ApiError {
    ApiError::internal(VOTE_RACE)
}

fn is_vote_race(e: &ApiError) -> bool {
    e.status == 500 && e.log.as_deref() == Some(VOTE_RACE)
}

#[allow(clippy::too_many_arguments)]
async fn try_cast(
    ctx: &Ctx,
    marker: &str,
    user_id: &str,
    helpful: bool,
    feedback: Option<String>,
    mode: &Mode<'_>,
    not_found: &Spec,
    previous: Option<Vote>,
) -> Result<(Vote, bool), ApiError> {
    let same = previous.as_ref().is_some_and(|p| p.helpful == helpful);
    if let (true, Mode::Rating { already }) = (same, mode) {
        return Err(already.err());
    }
    let now = clock::now_iso();
    let mut writes = Vec::new();
    if let Mode::Toggle { limit, on_limit } = mode {
        writes.push(limit.guarded(ctx, clock::now_secs(), on_limit));
    }

    let mut vote = previous.clone().unwrap_or_else(|| Vote {
        pk: pk(marker),
        sk: vote_sk(user_id),
        faq_id: marker.to_owned(),
        user_id: user_id.to_owned(),
        helpful,
        rating_id: ids::short_id(ids::RATING),
        created_at: now.clone(),
        updated_at: now.clone(),
        version: 0,
        feedback: Vec::new(),
    });
    let changes_vote = !same || feedback.is_some();
    if changes_vote {
        vote.helpful = helpful;
        vote.updated_at = now.clone();
        vote.version += 1;
        if let Some(text) = feedback {
            vote.feedback.push(Feedback { helpful, text, at: now });
            let excess = vote.feedback.len().saturating_sub(FEEDBACK_KEPT);
            vote.feedback.drain(..excess);
        }
        let item = serde_dynamo::to_item(&vote).map_err(ApiError::internal)?;
        let mut put = Put::builder().table_name(&ctx.config.tables.faqs).set_item(Some(item));
        put = match &previous {
            None => put.condition_expression("attribute_not_exists(pk)"),
            Some(p) => put
                .condition_expression("#version = :v")
                .expression_attribute_names("#version", "version")
                .expression_attribute_values(":v", n(p.version)),
        };
        let put = put.build().map_err(ApiError::internal)?;
        writes.push(Guarded::new(TransactWriteItem::builder().put(put).build(), Some(vote_race())));
    }
    if !same {
        let (dh, du) = match (previous.as_ref().map(|p| p.helpful), helpful) {
            (None, true) => (1, 0),
            (None, false) => (0, 1),
            (Some(_), true) => (1, -1),
            (Some(_), false) => (-1, 1),
        };
        let update = Update::builder()
            .table_name(&ctx.config.tables.faqs)
            .key("pk", s(pk(marker)))
            .key("sk", s(SK))
            .update_expression("ADD helpful_count :dh, unhelpful_count :du")
            .condition_expression("#status = :active")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":dh", n(dh))
            .expression_attribute_values(":du", n(du))
            .expression_attribute_values(":active", s(ACTIVE))
            .build()
            .map_err(ApiError::internal)?;
        writes.push(Guarded::new(TransactWriteItem::builder().update(update).build(), Some(not_found.err())));
    }
    if !writes.is_empty() {
        store::transact(ctx, writes).await?;
    }
    Ok((vote, !same))
}
