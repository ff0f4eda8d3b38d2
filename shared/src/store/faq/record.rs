//! The FAQ item and its reading.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{pk, text, ACTIVE, SK};
use crate::config::Ctx;
use crate::errors::ApiError;
use crate::ids;
use crate::store::{self, Item};

/// An FAQ as stored. `question` and `answer` are HTML-entity-encoded ([`text::encode`]).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Faq {
    pub pk: String,
    pub sk: String,
    /// Index keys, present only while the FAQ is active (sparse indexes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi1sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi2pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsi2sk: Option<String>,
    pub marker: String,
    pub question: String,
    pub answer: String,
    /// Hash of the normalised question: the key of its uniqueness claim.
    pub question_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `active` or `removed`.
    pub status: String,
    pub recorded_ms: i64,
    pub updated_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed_ms: Option<i64>,
    /// User id of the staff credential that created / last changed it.
    pub created_by: String,
    pub updated_by: String,
    /// Bumped by every create/update/remove; writes are conditioned on the version they read.
    pub version: i64,
    /// Users whose current vote is helpful / not helpful.
    #[serde(default)]
    pub helpful_count: i64,
    #[serde(default)]
    pub unhelpful_count: i64,
}

impl Faq {
    pub fn is_active(&self) -> bool {
        self.status == ACTIVE
    }

    /// The public shape of the spec (text decoded), plus `category`.
    pub fn to_json(&self) -> Value {
        json!({
            "marker": self.marker,
            "question": text::decode(&self.question),
            "answer": text::decode(&self.answer),
            "category": self.category,
            "status": self.status,
            "recorded": self.recorded_ms.to_string(),
        })
    }

    pub fn from_item(item: Item) -> Result<Self, ApiError> {
        serde_dynamo::from_item(item).map_err(|e| ApiError::internal(format!("bad faq record: {e}")))
    }

    pub fn to_item(&self) -> Result<Item, ApiError> {
        serde_dynamo::to_item(self).map_err(ApiError::internal)
    }
}

/// The FAQ `marker` (any status), read consistently; a malformed marker is simply not found.
pub async fn get(ctx: &Ctx, marker: &str) -> Result<Option<Faq>, ApiError> {
    if !ids::is_marker(marker, ids::FAQ) {
        return Ok(None);
    }
    store::get(ctx, &ctx.config.tables.faqs, &pk(marker), SK).await?.map(Faq::from_item).transpose()
}

/// The FAQ `marker` when it exists and is active.
pub async fn get_active(ctx: &Ctx, marker: &str) -> Result<Option<Faq>, ApiError> {
    Ok(get(ctx, marker).await?.filter(Faq::is_active))
}
