//! Fixed-window rate limits kept as atomic counters in the guard table (with TTL).
//!
//! A limit is one conditional `ADD` on `rl#<scope>#<hashed key>#<window start>`; it can join a
//! transaction with the write it protects, so a limited request changes nothing and an accepted
//! one is counted exactly once.

use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use sha2::{Digest, Sha256};

use crate::config::{Ctx, Limit};
use crate::errors::{ApiError, Spec};
use crate::store::{self, n, s, Guarded};

/// One limit applied to one key (a device serial, an IP, a user id).
#[derive(Debug, Clone)]
pub struct RateLimit {
    pub scope: &'static str,
    pub key: String,
    pub limit: Limit,
}

impl RateLimit {
    pub fn new(scope: &'static str, key: impl Into<String>, limit: Limit) -> Self {
        RateLimit { scope, key: key.into(), limit }
    }

    fn window_start(&self, now: i64) -> i64 {
        now - now.rem_euclid(self.limit.window as i64)
    }

    /// Seconds until the current window ends.
    pub fn retry_after(&self, now: i64) -> u64 {
        (self.window_start(now) + self.limit.window as i64 - now).max(1) as u64
    }

    /// The counter key; the raw key (an IP, a serial) is hashed, never stored.
    pub fn counter_key(&self, now: i64) -> String {
        let digest = hex::encode(&Sha256::digest(self.key.as_bytes())[..16]);
        format!("rl#{}#{digest}#{}", self.scope, self.window_start(now))
    }

    /// The conditional counter update, for a transaction.
    pub fn update(&self, ctx: &Ctx, now: i64) -> TransactWriteItem {
        let update = Update::builder()
            .table_name(&ctx.config.tables.guard)
            .key("pk", s(self.counter_key(now)))
            .update_expression("ADD hits :one SET expires_at = if_not_exists(expires_at, :exp)")
            .condition_expression("attribute_not_exists(hits) OR hits < :max")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":max", n(self.limit.max))
            .expression_attribute_values(":exp", n(self.window_start(now) + 2 * self.limit.window as i64))
            .build()
            .expect("table, key and expression are set");
        TransactWriteItem::builder().update(update).build()
    }

    /// The update guarded by `on_limit` (with `Retry-After`).
    pub fn guarded(&self, ctx: &Ctx, now: i64, on_limit: &Spec) -> Guarded {
        Guarded::new(self.update(ctx, now), Some(on_limit.err().with_retry_after(self.retry_after(now)).with_log(format!("rate limit {}", self.scope))))
    }
}

/// Counts one hit on every limit, all or none; the first exhausted one answers `on_limit`.
pub async fn hit(ctx: &Ctx, limits: &[RateLimit], on_limit: &Spec) -> Result<(), ApiError> {
    let now = crate::clock::now_secs();
    store::transact(ctx, limits.iter().map(|l| l.guarded(ctx, now, on_limit)).collect()).await
}
