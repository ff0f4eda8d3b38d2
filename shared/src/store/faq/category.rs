//! The five FAQ categories of the spec and their counters of active FAQs.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use serde_json::{json, Value};

use super::COUNTERS_PK;
use crate::config::Ctx;
use crate::errors::ApiError;
use crate::store::{self, n, s};

/// A category as the spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub icon: &'static str,
}

/// The categories, in the spec's order.
pub const CATEGORIES: [Category; 5] = [
    Category {
        id: "cat_account",
        name: "Account Management",
        description: "Questions related to user accounts, profiles, and settings",
        icon: "user-circle",
    },
    Category {
        id: "cat_payments",
        name: "Payments & Transactions",
        description: "Questions about payments, transfers, and transaction histories",
        icon: "credit-card",
    },
    Category {
        id: "cat_security",
        name: "Security & Privacy",
        description: "Information about account security, privacy settings, and data protection",
        icon: "shield-check",
    },
    Category {
        id: "cat_services",
        name: "Services & Features",
        description: "Help with platform features and services",
        icon: "cube",
    },
    Category {
        id: "cat_technical",
        name: "Technical Issues",
        description: "Troubleshooting and technical support",
        icon: "cog",
    },
];

/// Whether `id` is one of the categories (exact, case-sensitive).
pub fn is_category(id: &str) -> bool {
    CATEGORIES.iter().any(|c| c.id == id)
}

impl Category {
    pub fn to_json(&self, faq_count: i64) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "icon": self.icon,
            "faq_count": faq_count,
        })
    }
}

/// Adds `delta` to the active-FAQ counter of `category`, for a transaction.
pub fn counter_change(ctx: &Ctx, category: &str, delta: i64) -> Result<TransactWriteItem, ApiError> {
    let update = Update::builder()
        .table_name(&ctx.config.tables.faqs)
        .key("pk", s(COUNTERS_PK))
        .key("sk", s(category))
        .update_expression("ADD faq_count :d")
        .expression_attribute_values(":d", n(delta))
        .build()
        .map_err(ApiError::internal)?;
    Ok(TransactWriteItem::builder().update(update).build())
}

/// Every category with its count of active FAQs (0 when none was ever counted).
pub async fn with_counts(ctx: &Ctx) -> Result<Vec<(Category, i64)>, ApiError> {
    let out = ctx
        .ddb
        .query()
        .table_name(&ctx.config.tables.faqs)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(":pk", s(COUNTERS_PK))
        .consistent_read(true)
        .send()
        .await
        .map_err(store::internal)?;
    let items = out.items.unwrap_or_default();
    let count_of = |id: &str| -> i64 {
        items
            .iter()
            .find(|i| i.get("sk").and_then(|v| v.as_s().ok()).map(String::as_str) == Some(id))
            .and_then(|i| i.get("faq_count"))
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok(CATEGORIES.iter().map(|c| (*c, count_of(c.id))).collect())
}
