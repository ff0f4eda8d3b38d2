//! Shared crate of the Support & Resources API: everything the 20 actions have in common.
//!
//! | module | holds |
//! |---|---|
//! | [`envelope`] | the JSON envelope, HTTP status, `X-Request-Id`, `Retry-After` |
//! | [`errors`] | the error catalogue: every text and MPS number |
//! | [`input`] | JSON body and query parsing, caller IP, request id |
//! | [`auth`] | request signatures, credentials, permissions, replay refusal |
//! | [`config`] | configuration from the environment, AWS clients built once |
//! | [`store`] | DynamoDB helpers and the records of each domain |
//! | [`attachments`] | ticket attachments in S3: decode, check, store, delete, pre-signed URLs |
//! | [`pagination`] | opaque, tamper-evident page tokens |
//! | [`ratelimit`] | atomic fixed-window counters |
//! | [`routes`] | the 20 actions and their HTTP methods |
//! | [`redact`] | personal data out of free text kept for audit |
//! | [`runtime`] | the Lambda entry point and per-request logging |
//! | [`ids`], [`clock`] | identifiers and timestamps |

pub mod attachments;
pub mod auth;
pub mod clock;
pub mod config;
pub mod envelope;
pub mod errors;
pub mod ids;
pub mod input;
pub mod pagination;
#[cfg(feature = "provision")]
pub mod provision;
pub mod ratelimit;
pub mod redact;
pub mod routes;
pub mod runtime;
pub mod store;

pub use config::Ctx;
pub use envelope::Reply;
pub use errors::ApiError;
pub use lambda_http::{Body, Request, Response};
