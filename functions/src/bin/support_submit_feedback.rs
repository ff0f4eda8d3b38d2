//! Lambda entry point of `support_submit_feedback`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_http::Error> {
    shared::runtime::run(functions::ticket::feedback::handler).await
}
