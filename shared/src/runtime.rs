//! The Lambda runtime around a handler: JSON logs with the request id, the envelope, and the
//! AWS clients built once per process.

use std::convert::Infallible;
use std::future::Future;
use std::time::Instant;

use lambda_http::{service_fn, Body, Request, Response};
use tracing::Instrument;

use crate::config::Ctx;
use crate::envelope::{self, Reply};
use crate::errors::{self, ApiError};
use crate::input::request_id;

/// Runs `handler` for `action` and turns its outcome into the envelope. Client errors are logged
/// at info with their reason, unexpected ones at error; bodies and secrets are never logged.
pub async fn respond<F, Fut>(action: &'static str, ctx: &'static Ctx, req: Request, handler: F) -> Response<Body>
where
    F: FnOnce(&'static Ctx, Request) -> Fut,
    Fut: Future<Output = Result<Reply, ApiError>>,
{
    let rid = request_id(&req);
    let span = tracing::info_span!("request", request_id = %rid, action);
    let method = req.method().clone();
    async move {
        let started = Instant::now();
        let allowed = crate::routes::methods(action);
        let outcome = if allowed.contains(&method.as_str()) {
            handler(ctx, req).await
        } else {
            // Refused before the signature check and the body: a GET cannot stand in for a POST.
            Err(errors::METHOD_NOT_ALLOWED.err().with_allow(allowed))
        };
        let ms = started.elapsed().as_millis() as u64;
        match outcome {
            Ok(reply) => {
                tracing::info!(status = 200, %method, ms, "answered");
                envelope::ok(action, reply, &rid)
            }
            Err(err) => {
                let reason = err.log.as_deref();
                if err.status >= 500 {
                    tracing::error!(status = err.status, %method, ms, reason, "failed");
                } else {
                    tracing::info!(status = err.status, %method, ms, reason, details = %err.details, "refused");
                }
                envelope::fail(action, &err, &rid)
            }
        }
    }
    .instrument(span)
    .await
}

/// JSON logs for CloudWatch; level from `RUST_LOG` (default `info`).
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,aws_config=warn,aws_smithy_runtime=warn,hyper=warn"));
    let _ = tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(true)
        .with_span_list(false)
        .with_target(false)
        .with_ansi(false)
        .try_init();
}

/// The `main` of every action binary: logging, clients once, then serve invocations.
pub async fn run<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(&'static Ctx, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Response<Body>> + Send + 'static,
{
    init_logging();
    let ctx = Ctx::global().await;
    warm_up(ctx).await;
    let handler = &*Box::leak(Box::new(handler));
    lambda_http::run(service_fn(move |req: Request| {
        let fut = handler(ctx, req);
        async move { Ok::<_, Infallible>(fut.await) }
    }))
    .await
}

/// Opens the TLS connection to DynamoDB during init (not on the first request): a published
/// measurement saw 745 ms of a 912 ms first request spent in the handshake. Any answer will do,
/// even AccessDenied; only in AWS (the local stand-in has no TLS).
async fn warm_up(ctx: &Ctx) {
    if ctx.config.endpoint.is_some() {
        return;
    }
    let probe = ctx
        .ddb
        .get_item()
        .table_name(&ctx.config.tables.credentials)
        .key("pk", aws_sdk_dynamodb::types::AttributeValue::S("warm-up".into()))
        .send();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), probe).await;
}
