//! Integration tests of every action: real `lambda_http::Request`s (built from API Gateway v2
//! events, as the runtime builds them) against the local DynamoDB/S3 stand-in started by
//! `make test`. One test binary for all actions; each test uses its own ids and credentials, so
//! tests run in parallel and in any order.

mod common;

mod contact;
mod events;
mod faq;
mod ticket;
mod tutorial;
